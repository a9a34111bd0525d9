import type { FastifyInstance } from 'fastify';
import { AppError } from '../../domain/errors';
import type { Services } from '../../services/index';
import { ResidentExportPage } from '../../views/pages/resident-export';

/**
 * The resident's export: a page saying what it holds and a form (POST with CSRF, so a link
 * prefetch never makes one) that answers with the ZIP, streamed as it is made.
 */
export function registerResidentExportRoutes(app: FastifyInstance, services: Services): void {
  const signedIn = { access: 'authenticated' as const };

  app.get('/konto/eksport', { config: signedIn }, async (_request, reply) =>
    reply.page((ctx) => ResidentExportPage({ ctx })),
  );

  app.post('/konto/eksport', { config: signedIn, preHandler: app.csrfProtection }, async (request, reply) => {
    if (!request.user)
      throw new AppError({ code: 'unauthenticated', status: 401, key: 'access.unauthenticated' });
    const result = await services.exportResidentData(request.user.accountId);
    return reply
      .type('application/zip')
      .header('content-disposition', `attachment; filename="${result.fileName}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(result.stream);
  });
}
