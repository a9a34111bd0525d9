import { sql } from 'kysely';
import { AppError } from '../domain/errors';
import type { ServiceDeps } from './deps';
import type { TokenPrincipal } from './integration-tokens';
import { getDocument, type DocumentView } from './read-documents';

/**
 * The pull queue of an office's box, with ePUAP's semantics (count pending, fetch the next,
 * acknowledge it by its digest) made safe under many pullers: "next" leases the oldest
 * unacknowledged document (in the order of the transparency log) that no one else holds; a lease that runs out hands it out again.
 */
export async function countPending(
  deps: Pick<ServiceDeps, 'db'>,
  officeId: string,
  boxName: string,
): Promise<number> {
  const row = await deps.db
    .selectFrom('documents')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('office_id', '=', officeId)
    .where('box_name', '=', boxName)
    .where('acked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function leaseNext(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock'>,
  input: { token: TokenPrincipal; boxName: string; leaseMs: number },
): Promise<(DocumentView & { leaseUntil: string }) | undefined> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const until = new Date(now.getTime() + input.leaseMs).toISOString();
  const skipLocked = deps.dialect === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
  const result = await sql<{ id: string }>`
    UPDATE documents SET lease_until = ${until}, lease_owner = ${input.token.tokenId}
    WHERE id = (
      SELECT id FROM documents
      WHERE office_id = ${input.token.officeId} AND box_name = ${input.boxName} AND acked_at IS NULL
        AND (lease_until IS NULL OR lease_until <= ${nowIso})
      ORDER BY seq
      LIMIT 1
      ${skipLocked}
    )
    AND acked_at IS NULL AND (lease_until IS NULL OR lease_until <= ${nowIso})
    RETURNING id`.execute(deps.db);
  const id = result.rows[0]?.id;
  if (!id) return undefined;
  const document = await getDocument(deps, { kind: 'token', token: input.token }, id);
  return { ...document, leaseUntil: until };
}

/** Acknowledges a document by the SHA-256 of its main document; acknowledging again is fine. */
export async function acknowledge(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  input: { token: TokenPrincipal; documentId: string; sha256: unknown },
): Promise<void> {
  if (typeof input.sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(input.sha256)) {
    throw new AppError({
      code: 'bad_digest',
      status: 400,
      key: 'pull.error.digestFormat',
      fieldErrors: [{ field: 'sha256', key: 'pull.error.digestFormat' }],
    });
  }
  const doc = await deps.db
    .selectFrom('documents')
    .select(['id', 'main_sha256', 'acked_at'])
    .where('id', '=', input.documentId)
    .where('office_id', '=', input.token.officeId)
    .executeTakeFirst();
  if (!doc)
    throw new AppError({
      code: 'not_found',
      status: 404,
      key: 'filing.error.documentNotFound',
      params: { id: input.documentId },
    });
  if (doc.main_sha256 !== input.sha256.toLowerCase())
    throw new AppError({ code: 'digest_mismatch', status: 409, key: 'pull.error.digestMismatch' });
  if (doc.acked_at) return;
  await deps.db
    .updateTable('documents')
    .set({ acked_at: deps.clock.now().toISOString(), lease_until: null, lease_owner: null })
    .where('id', '=', doc.id)
    .where('acked_at', 'is', null)
    .execute();
}
