import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index';
import {
  WebhookDeliveriesPage,
  WebhooksPage,
  type EndpointFormValues,
} from '../../views/pages/webhook-pages';
import { webhookEndpointInput, webhookEndpointRefusal } from '../api-contract';
import { formErrors, formOf, keep } from '../forms';
import { parseRequest } from '../request-validation';

/** The office admin's webhook pages under /urzad/{officeId}/webhooki. */
export function registerOfficeWebhookRoutes(
  app: FastifyInstance,
  { services }: { services: Services },
): void {
  const config = { access: { role: 'office-admin' as const, office: 'param:officeId' as const } };
  const csrf = app.csrfProtection;
  const empty: EndpointFormValues = { url: '', description: '', events: ['document.received'] };

  app.get<{ Params: { officeId: string } }>(
    '/urzad/:officeId/webhooki',
    { config },
    async (request, reply) => {
      const office = await services.getOffice(request.params.officeId);
      const endpoints = await services.listWebhookEndpoints(office.id);
      return reply.page((ctx) =>
        WebhooksPage({ ctx, officeId: office.id, officeName: office.name, endpoints, values: empty }),
      );
    },
  );

  app.post<{ Params: { officeId: string } }>(
    '/urzad/:officeId/webhooki',
    { config, preHandler: csrf },
    async (request, reply) => {
      const office = await services.getOffice(request.params.officeId);
      const body = formOf(request);
      const events = [body.events ?? []].flat().filter((e): e is string => typeof e === 'string');
      const values = { url: keep(body.url) ?? '', description: keep(body.description) ?? '', events };
      try {
        // The same schema as the API's: one set of rules and messages for the endpoint.
        const input = parseRequest(
          webhookEndpointInput,
          { url: body.url, events, description: body.description },
          webhookEndpointRefusal,
        );
        const created = await services.createWebhookEndpoint({
          actor: { accountId: request.user!.accountId },
          officeId: office.id,
          ...input,
        });
        const endpoints = await services.listWebhookEndpoints(office.id);
        // The secret is on this page only: never cached, never shown again.
        reply.header('cache-control', 'no-store');
        return reply.page(
          (ctx) =>
            WebhooksPage({
              ctx,
              officeId: office.id,
              officeName: office.name,
              endpoints,
              values: empty,
              created,
            }),
          201,
        );
      } catch (error) {
        const form = formErrors(error);
        if (!form) throw error;
        const endpoints = await services.listWebhookEndpoints(office.id);
        return reply.page(
          (ctx) =>
            WebhooksPage({
              ctx,
              officeId: office.id,
              officeName: office.name,
              endpoints,
              values,
              errors: form.errors,
            }),
          form.status,
        );
      }
    },
  );

  app.post<{ Params: { officeId: string; endpointId: string } }>(
    '/urzad/:officeId/webhooki/:endpointId/wylacz',
    { config, preHandler: csrf },
    async (request, reply) => {
      await services.disableWebhookEndpoint(
        { accountId: request.user!.accountId },
        request.params.officeId,
        request.params.endpointId,
      );
      return reply.redirect(`/urzad/${request.params.officeId}/webhooki`, 303);
    },
  );

  app.get<{ Params: { officeId: string; endpointId: string } }>(
    '/urzad/:officeId/webhooki/:endpointId',
    { config },
    async (request, reply) => {
      const { officeId, endpointId } = request.params;
      const endpoint = (await services.listWebhookEndpoints(officeId)).find((e) => e.id === endpointId);
      if (!endpoint) return reply.callNotFound();
      const deliveries = await services.listWebhookDeliveries(officeId, endpointId);
      return reply.page((ctx) => WebhookDeliveriesPage({ ctx, officeId, endpoint, deliveries }));
    },
  );

  app.post<{ Params: { officeId: string; deliveryId: string } }>(
    '/urzad/:officeId/webhooki/wysylki/:deliveryId/ponow',
    { config, preHandler: csrf },
    async (request, reply) => {
      const { officeId, deliveryId } = request.params;
      const { endpointId } = await services.replayWebhookDelivery(
        { accountId: request.user!.accountId },
        officeId,
        deliveryId,
      );
      return reply.redirect(`/urzad/${officeId}/webhooki/${endpointId}`, 303);
    },
  );
}
