import type { FastifyInstance } from 'fastify';
import { AppError } from '../domain/errors';

/**
 * One request budget per integration token across the whole API, counted in the shared
 * database so that every node draws on it, so a system polling in a tight loop exhausts its
 * own budget and nobody else's. Registered after
 * the access check, which knows the token; a refusal is a 429 with Retry-After.
 */
export function registerTokenRateLimit(app: FastifyInstance, options: { perMinute: number }): void {
  const limiter = app.createRateLimit({
    max: options.perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `token:${request.token?.tokenId ?? ''}`,
  });
  app.addHook('preHandler', async (request, reply) => {
    if (!request.token) return;
    const result = await limiter(request);
    if (!result.isAllowed && result.isExceeded) {
      reply.header('retry-after', String(Math.max(1, result.ttlInSeconds)));
      throw new AppError({ code: 'rate_limited', status: 429, key: 'error.rateLimited' });
    }
  });
}
