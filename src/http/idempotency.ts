import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors';
import type { Services } from '../services/index';
import { IDEMPOTENCY_KEY_PATTERN } from '../services/idempotency';
import { isTokenAccess } from './access';

declare module 'fastify' {
  interface FastifyRequest {
    /** The idempotency key this request reserved; its answer is stored when sent. */
    idempotencyKey?: { tokenId: string; key: string };
  }
}

/**
 * `Idempotency-Key` on every POST of the API, in one place: registered after the access check,
 * so the key belongs to the authenticated token. Multipart filings are left to the filing
 * service, which binds the key to the document and its receipt in the same transaction.
 */
export function registerIdempotency(app: FastifyInstance, services: Services): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || !request.url.startsWith('/api/')) return;
    const access = request.routeOptions.config.access;
    if (!access || !isTokenAccess(access) || !request.token) return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    if (typeof header !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(header)) {
      throw new AppError({ code: 'bad_idempotency_key', status: 400, key: 'filing.error.idempotencyKey' });
    }
    if (request.isMultipart()) return;
    const reservation = await services.reserveIdempotencyKey({
      tokenId: request.token.tokenId,
      key: header,
      digest: digestOf(request),
    });
    if (reservation.kind === 'replay') {
      const { status, type, body } = reservation.response;
      if (type) reply.type(type);
      return reply
        .status(status)
        .header('idempotent-replayed', 'true')
        .send(body === '' ? undefined : body);
    }
    request.idempotencyKey = { tokenId: request.token.tokenId, key: header };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const reserved = request.idempotencyKey;
    if (!reserved) return payload;
    request.idempotencyKey = undefined;
    const body =
      typeof payload === 'string'
        ? payload
        : Buffer.isBuffer(payload)
          ? payload.toString('utf8')
          : payload == null
            ? ''
            : undefined;
    // Streams are not stored: free the key rather than replay something else.
    const status = body === undefined ? 500 : reply.statusCode;
    const type = reply.getHeader('content-type');
    await services.completeIdempotencyKey({
      ...reserved,
      response: { status, type: typeof type === 'string' ? type : null, body: body ?? '' },
    });
    return payload;
  });
}

function digestOf(request: FastifyRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([request.method, request.url.split('?')[0], request.body ?? null]))
    .digest('hex');
}
