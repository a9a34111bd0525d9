import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors';
import type { Services } from '../services/index';
import type { Reservation, StoredResponse } from '../services/idempotency';
import { isTokenAccess } from './access';
import { idempotencyKey } from './api-contract';

declare module 'fastify' {
  interface FastifyRequest {
    /** The idempotency key this request reserved; its answer is stored when sent. */
    idempotencyKey?: { tokenId: string; key: string };
    /** A valid key of a multipart request, reserved once its body has been read. */
    idempotencyPending?: { tokenId: string; key: string };
  }
  interface FastifyContextConfig {
    /** Top-level answer fields shown once (secrets): never stored, so never replayed. */
    shownOnce?: string[];
  }
}

/** A repeated request: its first answer is sent again as it was. */
export class IdempotentReplay extends Error {
  constructor(readonly response: StoredResponse) {
    super('idempotent replay');
  }
}

/** Sends the stored first answer of a repeated request. */
export function sendReplay(reply: FastifyReply, response: StoredResponse): FastifyReply {
  if (response.type) reply.type(response.type);
  return reply
    .status(response.status)
    .header('idempotent-replayed', 'true')
    .send(response.body === '' ? undefined : response.body);
}

/**
 * `Idempotency-Key` on every POST of the API, in one place: registered after the access check,
 * so the key belongs to the authenticated token. A JSON (or empty) body is digested here; a
 * multipart body is digested by `reserveMultipart` once its parts are read (field values and
 * file digests), so that a filing and a delivery honour the key the same way. The first
 * answer, success or refusal, is stored; server errors free the key.
 */
export function registerIdempotency(app: FastifyInstance, services: Services): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || !request.url.startsWith('/api/')) return;
    const access = request.routeOptions.config.access;
    if (!access || !isTokenAccess(access) || !request.token) return;
    if (request.headers['idempotency-key'] === undefined) return;
    // The header's schema is the one the OpenAPI document gives.
    const parsed = idempotencyKey.safeParse(request.headers['idempotency-key']);
    if (!parsed.success) {
      throw new AppError({ code: 'bad_idempotency_key', status: 400, key: 'filing.error.idempotencyKey' });
    }
    const header = parsed.data;
    if (request.isMultipart()) {
      request.idempotencyPending = { tokenId: request.token.tokenId, key: header };
      return;
    }
    const reservation = await reserveWaiting(services, {
      tokenId: request.token.tokenId,
      key: header,
      digest: digestOf([request.method, request.url.split('?')[0], request.body ?? null]),
    });
    if (reservation.kind === 'replay') return sendReplay(reply, reservation.response);
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
      response: {
        status,
        type: typeof type === 'string' ? type : null,
        body: withoutShownOnce(body ?? '', request.routeOptions.config.shownOnce),
      },
    });
    return payload;
  });
}

/**
 * Reserves the key of a multipart request whose body has been read: the digest covers the
 * text fields and each file's field, name and SHA-256. A repeat throws `IdempotentReplay`
 * (the error handler sends the first answer); another request with the key gets 409.
 */
export async function reserveMultipart(
  request: FastifyRequest,
  services: Services,
  content: { fields: Record<string, string>; files: { field: string; name: string; sha256: string }[] },
): Promise<void> {
  const pending = request.idempotencyPending;
  if (!pending) return;
  request.idempotencyPending = undefined;
  const fields = Object.entries(content.fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const reservation = await reserveWaiting(services, {
    ...pending,
    digest: digestOf([
      request.method,
      request.url.split('?')[0],
      fields,
      content.files.map((f) => [f.field, f.name, f.sha256]),
    ]),
  });
  if (reservation.kind === 'replay') throw new IdempotentReplay(reservation.response);
  request.idempotencyKey = pending;
}

/** How long a repeat waits for the first request with its key to be answered. */
const WAIT_FOR_FIRST_MS = 15_000;

/**
 * Reserves a key; a repeat that arrives while the first request is still running waits for its
 * answer (concurrent retries all get the one answer), and is refused with 409 only if the
 * first one is still not answered after a while.
 */
async function reserveWaiting(
  services: Services,
  input: { tokenId: string; key: string; digest: string },
): Promise<Reservation> {
  const until = Date.now() + WAIT_FOR_FIRST_MS;
  for (let pause = 10; ; pause = Math.min(pause * 2, 500)) {
    try {
      return await services.reserveIdempotencyKey(input);
    } catch (error) {
      const running = error instanceof AppError && error.code === 'idempotency_in_progress';
      if (!running || Date.now() + pause > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

function withoutShownOnce(body: string, fields: string[] | undefined): string {
  if (!fields?.length || body === '') return body;
  try {
    const parsed = JSON.parse(body) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return body;
    const copy = { ...(parsed as Record<string, unknown>) };
    for (const field of fields) delete copy[field];
    return JSON.stringify(copy);
  } catch {
    return body;
  }
}

function digestOf(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
