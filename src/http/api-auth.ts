import type { FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors';
import type { TokenPrincipal } from '../services/integration-tokens';

/** The token that the access check authenticated for this request (routes with `{ token }` access). */
export function tokenOf(request: FastifyRequest): TokenPrincipal {
  if (!request.token) throw new AppError({ code: 'unauthorized', status: 401, key: 'tokens.error.missing' });
  return request.token;
}
