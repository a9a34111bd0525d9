import type { FastifyInstance } from 'fastify';
import { AppError } from '../../domain/errors';
import type { Services } from '../../services/index';
import { tokenOf } from '../api-auth';

/** A JSON object body with no fields but these; anything else is a 400 naming the fields. */
export function jsonObject(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new AppError({ code: 'bad_body', status: 400, key: 'api.error.bodyObject' });
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length > 0)
    throw new AppError({
      code: 'unknown_fields',
      status: 400,
      key: 'api.error.unknownFields',
      params: { fields: unknown.join(', ') },
    });
  return body as Record<string, unknown>;
}

/** Webhook endpoints of an office, managed with an `admin` token of that office. */
export function registerApiWebhookRoutes(app: FastifyInstance, services: Services): void {
  const admin = { config: { access: { token: ['admin' as const], office: 'param:officeId' as const } } };
  // The access rule has checked that the token belongs to the office named in the path.
  const ownOffice = (request: { params: unknown }): string =>
    (request.params as { officeId: string }).officeId;

  app.post<{ Params: { officeId: string } }>(
    '/api/v1/offices/:officeId/webhooks',
    { config: { ...admin.config, shownOnce: ['secret'] } },
    async (request, reply) => {
      const officeId = ownOffice(request);
      const body = jsonObject(request.body, ['url', 'events', 'description']);
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
    admin,
    async (request, reply) => {
      const endpoints = await services.listWebhookEndpoints(ownOffice(request));
      return reply.header('cache-control', 'no-store').send({ endpoints });
    },
  );

  app.delete<{ Params: { officeId: string; endpointId: string } }>(
    '/api/v1/offices/:officeId/webhooks/:endpointId',
    admin,
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
    admin,
    async (request, reply) => {
      const deliveries = await services.listWebhookDeliveries(ownOffice(request), request.params.endpointId);
      return reply.header('cache-control', 'no-store').send({ deliveries });
    },
  );

  app.post<{ Params: { officeId: string; deliveryId: string } }>(
    '/api/v1/offices/:officeId/webhook-deliveries/:deliveryId/replay',
    admin,
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
