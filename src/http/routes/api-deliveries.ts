import type { FastifyInstance } from 'fastify';
import { API } from '../api-contract';
import { AppError } from '../../domain/errors';
import type { Services } from '../../services/index';
import { tokenOf } from '../api-auth';
import { receiveFiling } from '../receive-filing';

/** Letters from the office's system to residents, with `deliver` tokens. */
export function registerApiDeliveryRoutes(app: FastifyInstance, services: Services): void {
  app.post<{ Params: { officeId: string } }>(
    '/api/v1/offices/:officeId/deliveries',
    { config: { access: { token: ['deliver'], office: 'param:officeId' }, contract: API.sendLetter } },
    async (request, reply) => {
      const { officeId } = request.params;
      const token = tokenOf(request);
      if (!request.isMultipart())
        throw new AppError({ code: 'unsupported_media_type', status: 415, key: 'filing.error.notMultipart' });
      const office = await services.getOffice(officeId);
      reply.header('connection', 'close'); // dropped again below once the whole body was read
      const { files, fields } = await receiveFiling(request, services, office.policy.maxSizeBytes);
      reply.removeHeader('connection');
      const result = await services.deliverLetter({
        officeId,
        sender: { type: 'token', ref: token.tokenId, name: token.name },
        recipientAccountId: fields.recipientAccountId,
        recipientPesel: fields.recipientPesel,
        title: fields.title ?? '',
        files,
        inReplyTo: fields.inReplyTo || undefined,
      });
      return reply
        .status(201)
        .header('location', `/api/v1/deliveries/${result.deliveryId}`)
        .send({ deliveryId: result.deliveryId, proofOfSendingId: result.proofOfSendingId });
    },
  );

  app.get<{ Params: { deliveryId: string } }>(
    '/api/v1/deliveries/:deliveryId',
    { config: { access: { token: ['deliver'] }, contract: API.getDelivery } },
    async (request, reply) => {
      const d = await services.getOfficeDelivery(tokenOf(request).officeId, request.params.deliveryId);
      return reply.header('cache-control', 'no-store').send({
        deliveryId: d.id,
        status: d.status,
        sentAt: d.sentAt,
        ...(d.receivedAt ? { receivedAt: d.receivedAt } : {}),
        ...(d.deemedAt ? { deemedAt: d.deemedAt } : {}),
        ...(d.notCollectedSince ? { notCollectedSince: d.notCollectedSince } : {}),
        inReplyTo: d.inReplyTo,
        proofs: d.proofs,
      });
    },
  );
}
