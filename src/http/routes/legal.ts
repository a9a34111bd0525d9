import type { FastifyInstance } from 'fastify';
import type { LegalConfig } from '../../config';
import { AppError } from '../../domain/errors';
import type { Services } from '../../services/index';
import { AccessibilityStatementPage, PrivacyNoticePage, TermsPage } from '../../views/pages/legal';

const OFFICE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The accessibility statement, privacy notice and terms: the installation's and each office's. */
export function registerLegalRoutes(
  app: FastifyInstance,
  { services, legal, publicUrl }: { services: Services; legal: LegalConfig; publicUrl: string },
): void {
  const publicRoute = { config: { access: 'public' as const } };
  const site = publicUrl;

  const office = async (officeId: string) => {
    if (!OFFICE_ID.test(officeId))
      throw new AppError({
        code: 'not_found',
        status: 404,
        key: 'error.officeNotFound',
        params: { officeId },
      });
    return services.getOffice(officeId);
  };

  app.get('/deklaracja-dostepnosci', publicRoute, async (_request, reply) => {
    const offices = await services.listOffices();
    return reply.page((ctx) => AccessibilityStatementPage({ ctx, subject: { site, legal }, offices }));
  });
  app.get<{ Params: { officeId: string } }>(
    '/urzad/:officeId/deklaracja-dostepnosci',
    publicRoute,
    async (request, reply) => {
      const subject = { site, legal, office: await office(request.params.officeId) };
      return reply.page((ctx) => AccessibilityStatementPage({ ctx, subject, offices: [] }));
    },
  );
  app.get('/ochrona-danych', publicRoute, async (_request, reply) => {
    const offices = await services.listOffices();
    return reply.page((ctx) => PrivacyNoticePage({ ctx, subject: { site, legal }, offices }));
  });
  app.get<{ Params: { officeId: string } }>(
    '/urzad/:officeId/ochrona-danych',
    publicRoute,
    async (request, reply) => {
      const subject = { site, legal, office: await office(request.params.officeId) };
      return reply.page((ctx) => PrivacyNoticePage({ ctx, subject, offices: [] }));
    },
  );
  app.get('/regulamin', publicRoute, async (_request, reply) =>
    reply.page((ctx) => TermsPage({ ctx, subject: { site, legal } })),
  );
}
