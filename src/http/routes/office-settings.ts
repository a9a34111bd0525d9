import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index';
import { OfficeSettingsPage } from '../../views/pages/office-settings';
import { formOf } from '../forms';

/** The office admin's delivery settings under /urzad/{officeId}/ustawienia. */
export function registerOfficeSettingsRoutes(
  app: FastifyInstance,
  { services }: { services: Services },
): void {
  const config = { access: { role: 'office-admin' as const, office: 'param:officeId' as const } };

  app.get<{ Params: { officeId: string }; Querystring: { zapisano?: string } }>(
    '/urzad/:officeId/ustawienia',
    { config },
    async (request, reply) => {
      const office = await services.getOffice(request.params.officeId);
      return reply.page((ctx) =>
        OfficeSettingsPage({
          ctx,
          office,
          deemedDelivery: office.policy.deemedDelivery,
          saved: request.query.zapisano === '1',
        }),
      );
    },
  );

  app.post<{ Params: { officeId: string } }>(
    '/urzad/:officeId/ustawienia',
    { config, preHandler: app.csrfProtection },
    async (request, reply) => {
      const office = await services.getOffice(request.params.officeId);
      const value = formOf(request).deemedDelivery;
      if (value !== 'on' && value !== 'off')
        return reply.page(
          (ctx) =>
            OfficeSettingsPage({
              ctx,
              office,
              deemedDelivery: office.policy.deemedDelivery,
              errors: [{ field: 'deemedDelivery', key: 'office.settings.deemed.missing' }],
            }),
          400,
        );
      await services.setDeemedDelivery({
        actorId: request.user!.accountId,
        officeId: office.id,
        deemedDelivery: value === 'on',
      });
      return reply.redirect(`/urzad/${office.id}/ustawienia?zapisano=1`, 303);
    },
  );
}
