import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index';
import { IntegrationSystemsPage, type SystemFormValues } from '../../views/pages/integration-system-pages';
import { formErrors, formOf, keep } from '../forms';

/** The office admin's integration systems (EZD calling the SOAP services) under /urzad/{officeId}/systemy. */
export function registerOfficeSystemRoutes(
  app: FastifyInstance,
  { services, publicUrl }: { services: Services; publicUrl: string },
): void {
  const config = { access: { role: 'office-admin' as const, office: 'param:officeId' as const } };
  const empty: SystemFormValues = { name: '', certificate: '', boxes: [] };

  const render = async (
    officeId: string,
    extra: { values: SystemFormValues } & Partial<Parameters<typeof IntegrationSystemsPage>[0]>,
  ) => {
    const office = await services.getOffice(officeId);
    const systems = await services.listIntegrationSystems(office.id);
    return (ctx: Parameters<typeof IntegrationSystemsPage>[0]['ctx']) =>
      IntegrationSystemsPage({
        ctx,
        officeId: office.id,
        officeName: office.name,
        boxes: office.boxes,
        systems,
        serviceUrl: publicUrl,
        ...extra,
      });
  };

  app.get<{ Params: { officeId: string } }>('/urzad/:officeId/systemy', { config }, async (request, reply) =>
    reply.page(await render(request.params.officeId, { values: empty })),
  );

  app.post<{ Params: { officeId: string } }>(
    '/urzad/:officeId/systemy',
    { config, preHandler: app.csrfProtection },
    async (request, reply) => {
      const body = formOf(request);
      const boxes = [body.boxes ?? []].flat().filter((b): b is string => typeof b === 'string');
      // A PEM certificate is longer than a usual form value; the form body limit bounds it.
      const certificate = typeof body.certificate === 'string' ? body.certificate : '';
      const values = { name: keep(body.name) ?? '', certificate, boxes };
      try {
        const created = await services.addIntegrationSystem({
          officeId: request.params.officeId,
          name: values.name,
          certificatePem: values.certificate,
          boxes,
        });
        return reply.page(await render(request.params.officeId, { values: empty, created }), 201);
      } catch (error) {
        const form = formErrors(error);
        if (!form) throw error;
        return reply.page(
          await render(request.params.officeId, { values, errors: form.errors }),
          form.status,
        );
      }
    },
  );

  app.post<{ Params: { officeId: string; systemId: string } }>(
    '/urzad/:officeId/systemy/:systemId/uniewaznij',
    { config, preHandler: app.csrfProtection },
    async (request, reply) => {
      await services.revokeIntegrationSystem({
        systemId: request.params.systemId,
        officeId: request.params.officeId,
      });
      return reply.redirect(`/urzad/${request.params.officeId}/systemy`, 303);
    },
  );
}
