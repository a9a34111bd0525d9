import type { FastifyInstance } from 'fastify';
import { API, type BodyOf } from '../api-contract';
import type { Services } from '../../services/index';
import { tokenOf } from '../api-auth';

/** Webhook endpoints of an office, managed with an `admin` token of that office. */
export function registerApiWebhookRoutes(app: FastifyInstance, services: Services): void {
  const admin = { token: ['admin' as const], office: 'param:officeId' as const };
  // The access rule has checked that the token belongs to the office named in the path.
  const ownOffice = (request: { params: unknown }): string =>
    (request.params as { officeId: string }).officeId;

  app.post<{ Params: { officeId: string }; Body: BodyOf<typeof API.createWebhookEndpoint> }>(
    '/api/v1/offices/:officeId/webhooks',
    { config: { access: admin, contract: API.createWebhookEndpoint, shownOnce: ['secret'] } },
    async (request, reply) => {
      const officeId = ownOffice(request);
      const body = request.body;
      const endpoint = await services.createWebhookEndpoint({
        actor: { tokenId: tokenOf(request).tokenId },
        officeId,
        url: body.url,
        events: body.events,
        description: body.description,
      });
      return reply.status(201).header('cache-control', 'no-store').send(endpoint);
    },
  );

  app.get<{ Params: { officeId: string } }>(
    '/api/v1/offices/:officeId/webhooks',
    { config: { access: admin, contract: API.listWebhookEndpoints } },
    async (request, reply) => {
      const endpoints = await services.listWebhookEndpoints(ownOffice(request));
      return reply.header('cache-control', 'no-store').send({ endpoints });
    },
  );

  app.delete<{ Params: { officeId: string; endpointId: string } }>(
    '/api/v1/offices/:officeId/webhooks/:endpointId',
    { config: { access: admin, contract: API.disableWebhookEndpoint } },
    async (request, reply) => {
      await services.disableWebhookEndpoint(
        { tokenId: tokenOf(request).tokenId },
        ownOffice(request),
        request.params.endpointId,
      );
      return reply.status(204).send();
    },
  );

  app.get<{ Params: { officeId: string; endpointId: string } }>(
    '/api/v1/offices/:officeId/webhooks/:endpointId/deliveries',
    { config: { access: admin, contract: API.listWebhookDeliveries } },
    async (request, reply) => {
      const deliveries = await services.listWebhookDeliveries(ownOffice(request), request.params.endpointId);
      return reply.header('cache-control', 'no-store').send({ deliveries });
    },
  );

  app.post<{ Params: { officeId: string; deliveryId: string } }>(
    '/api/v1/offices/:officeId/webhook-deliveries/:deliveryId/replay',
    { config: { access: admin, contract: API.replayWebhookDelivery } },
    async (request, reply) => {
      await services.replayWebhookDelivery(
        { tokenId: tokenOf(request).tokenId },
        ownOffice(request),
        request.params.deliveryId,
      );
      return reply.status(202).send();
    },
  );
}
