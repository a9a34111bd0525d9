import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index';

export function registerHealthRoutes(app: FastifyInstance, services: Services): void {
  // Process alive: no dependency is consulted.
  app.get('/healthz', { config: { access: 'public' }, logLevel: 'warn' }, async (_request, reply) => {
    return reply.header('cache-control', 'no-store').send({ status: 'ok' });
  });

  // Ready to serve: the database and the blob store answer.
  app.get('/readyz', { config: { access: 'public' }, logLevel: 'warn' }, async (_request, reply) => {
    const checks = await services.readiness();
    const ok = checks.database && checks.blobs;
    return reply
      .status(ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: ok ? 'ok' : 'unavailable', checks });
  });
}
