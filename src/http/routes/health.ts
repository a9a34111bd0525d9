import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index';

export function registerHealthRoutes(
  app: FastifyInstance,
  services: Services,
  isDraining: () => boolean,
): void {
  // Process alive: no dependency is consulted.
  app.get('/healthz', { config: { access: 'public' }, logLevel: 'warn' }, async (_request, reply) => {
    return reply.header('cache-control', 'no-store').send({ status: 'ok' });
  });

  // Ready to serve: the database and the blob store answer, each within the readiness budget,
  // and the node is not shutting down. The checks name the dependency that failed.
  app.get('/readyz', { config: { access: 'public' }, logLevel: 'warn' }, async (_request, reply) => {
    if (isDraining()) {
      return reply.status(503).header('cache-control', 'no-store').send({ status: 'draining' });
    }
    const checks = await services.readiness();
    const ok = checks.database && checks.blobs;
    return reply
      .status(ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: ok ? 'ok' : 'unavailable', checks });
  });
}
