import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../ports/database';
import type { ServiceDeps } from './deps';

/**
 * Rate-limit counters shared by every node: one row per limit, client and fixed window of
 * `windowMs` (aligned to the epoch), counted with one upsert. Keys are stored hashed, so the
 * table holds no IP addresses. See docs/scaling.md.
 */
export interface CountedHit {
  /** Requests in the current window, this one included. */
  hits: number;
  /** Milliseconds until the window ends. */
  ttlMs: number;
}

export async function countRateLimitHit(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock'>,
  key: string,
  windowMs: number,
): Promise<CountedHit> {
  const now = deps.clock.now().getTime();
  const start = now - (now % windowMs);
  const end = start + windowMs;
  const upsert = (db: Database) =>
    db
      .insertInto('rate_limit_counters')
      .values({
        key: createHash('sha256').update(key).digest('base64url'),
        window_start: new Date(start).toISOString(),
        hits: 1,
        expires_at: new Date(end).toISOString(),
      })
      .onConflict((oc) =>
        oc
          .columns(['key', 'window_start'])
          .doUpdateSet((eb) => ({ hits: eb('rate_limit_counters.hits', '+', 1) })),
      )
      .returning('hits')
      .executeTakeFirstOrThrow();
  let row: { hits: number };
  if (deps.dialect === 'sqlite') {
    // A lost counter is harmless, a durable commit per API request is not (~0.5 ms of fsync):
    // this one statement commits without waiting for the disk. The database adapter opens
    // SQLite with synchronous=FULL, which is restored at once; the connection is held
    // throughout, so no other statement commits in between.
    row = await deps.db.connection().execute(async (connection) => {
      await sql`pragma synchronous = normal`.execute(connection);
      try {
        return await upsert(connection);
      } finally {
        await sql`pragma synchronous = full`.execute(connection);
      }
    });
  } else {
    // PostgreSQL: the table is UNLOGGED, so the commit writes no WAL to wait for.
    row = await upsert(deps.db);
  }
  return { hits: Number(row.hits), ttlMs: end - now };
}

/** Removes the counters of windows that have ended. */
export async function pruneRateLimitCounters(deps: Pick<ServiceDeps, 'db' | 'clock'>): Promise<number> {
  const result = await deps.db
    .deleteFrom('rate_limit_counters')
    .where('expires_at', '<=', deps.clock.now().toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
