import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors';
import type { TokenScope } from '../ports/database';
import type { Services } from '../services/index';
import type { TokenPrincipal } from '../services/integration-tokens';

declare module 'fastify' {
  interface FastifyRequest {
    token?: TokenPrincipal;
  }
}

/** Authenticates the bearer token and requires one of the scopes; 401 or 403 problem+json otherwise. */
export function requireToken(services: Services, ...scopes: TokenScope[]) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    try {
      const token = await services.authenticateToken(request.headers.authorization);
      if (!scopes.includes(token.scope)) throw new AppError({ code: 'forbidden', status: 403, key: 'tokens.error.scope', params: { scopes: scopes.join(', ') } });
      request.token = token;
    } catch (error) {
      if (error instanceof AppError && error.status === 401) reply.header('www-authenticate', 'Bearer');
      throw error;
    }
  };
}

export function tokenOf(request: FastifyRequest): TokenPrincipal {
  if (!request.token) throw new AppError({ code: 'unauthorized', status: 401, key: 'tokens.error.missing' });
  return request.token;
}
