import { AppError } from '../domain/errors';
import type { ServiceDeps } from './deps';

/**
 * Idempotency keys of API requests: the first request with a key reserves it with the digest
 * of the request; its answer is stored; a repeat with the same digest gets that answer again,
 * one with another digest (or while the first is still running) gets 409. Keys are per token
 * and expire after 24 hours.
 */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
const KEEP_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse {
  status: number;
  type: string | null;
  body: string;
}

export type Reservation = { kind: 'reserved' } | { kind: 'replay'; response: StoredResponse };

export async function reserveIdempotencyKey(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  input: { tokenId: string; key: string; digest: string },
): Promise<Reservation> {
  const now = deps.clock.now();
  // An expired key is free again.
  await deps.db
    .deleteFrom('idempotency_keys')
    .where('token_id', '=', input.tokenId)
    .where('key', '=', input.key)
    .where('created_at', '<', new Date(now.getTime() - KEEP_MS).toISOString())
    .execute();
  const inserted = await deps.db
    .insertInto('idempotency_keys')
    .values({
      token_id: input.tokenId,
      key: input.key,
      request_digest: input.digest,
      created_at: now.toISOString(),
      response_status: null,
      response_type: null,
      response_body: null,
    })
    .onConflict((oc) => oc.columns(['token_id', 'key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return { kind: 'reserved' };
  const earlier = await deps.db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('token_id', '=', input.tokenId)
    .where('key', '=', input.key)
    .executeTakeFirst();
  if (!earlier || earlier.request_digest !== input.digest) {
    throw new AppError({
      code: 'idempotency_conflict',
      status: 409,
      key: 'filing.error.idempotencyConflict',
    });
  }
  if (earlier.response_status === null) {
    throw new AppError({
      code: 'idempotency_in_progress',
      status: 409,
      key: 'api.error.idempotencyInProgress',
    });
  }
  return {
    kind: 'replay',
    response: {
      status: Number(earlier.response_status),
      type: earlier.response_type,
      body: earlier.response_body ?? '',
    },
  };
}

/** Stores the answer of a reserved key; a server error frees the key so the client can retry. */
export async function completeIdempotencyKey(
  deps: Pick<ServiceDeps, 'db'>,
  input: { tokenId: string; key: string; response: StoredResponse },
): Promise<void> {
  const where = deps.db
    .updateTable('idempotency_keys')
    .where('token_id', '=', input.tokenId)
    .where('key', '=', input.key);
  if (input.response.status >= 500) {
    await deps.db
      .deleteFrom('idempotency_keys')
      .where('token_id', '=', input.tokenId)
      .where('key', '=', input.key)
      .execute();
    return;
  }
  await where
    .set({
      response_status: input.response.status,
      response_type: input.response.type,
      response_body: input.response.body,
    })
    .execute();
}
