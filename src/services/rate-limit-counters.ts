import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Clock } from '../ports/clock';
import type { Database, Dialect } from '../ports/database';
import { compiledOnce } from './compiled-once';
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
  const window = {
    key: createHash('sha256').update(key).digest('base64url'),
    windowStart: new Date(start).toISOString(),
    expiresAt: new Date(end).toISOString(),
  };
  return { hits: await hitCounter(deps).count(window), ttlMs: end - now };
}

/** This process's counter of one database: in memory then written (SQLite), batched per turn (PostgreSQL). */
interface HitCounter {
  /** The hits in the window, this one included. */
  count(window: CounterWindow): number | Promise<number>;
  /** Resolves once every hit counted so far is in the table. */
  flush(): Promise<void>;
}

interface CounterWindow {
  key: string;
  windowStart: string;
  expiresAt: string;
}

const upsertHits = compiledOnce(
  (db, row: { key: string; windowStart: string; delta: number; expiresAt: string }) =>
    db
      .insertInto('rate_limit_counters')
      .values({ key: row.key, window_start: row.windowStart, hits: row.delta, expires_at: row.expiresAt })
      .onConflict((oc) =>
        oc
          .columns(['key', 'window_start'])
          .doUpdateSet((eb) => ({ hits: eb('rate_limit_counters.hits', '+', row.delta) })),
      )
      .returning('hits'),
);

/** Adds hits to the shared counters, one upsert each; returns the totals after each. */
async function addHits(
  db: Database,
  dialect: Dialect,
  rows: (CounterWindow & { delta: number })[],
): Promise<number[]> {
  const totals: number[] = [];
  for (const row of rows) {
    const { rows: written } = await upsertHits(db, dialect, row);
    totals.push(Number(written[0]!.hits));
  }
  return totals;
}

const synchronousNormal = compiledOnce(() => sql`pragma synchronous = normal`);
const synchronousFull = compiledOnce(() => sql`pragma synchronous = full`);

/**
 * SQLite has one connection per process, which every filing's transaction needs too: a
 * request must not queue there (behind a commit) just to be counted. Hits are counted in
 * memory and answered at once — the total last read from the table plus this process's hits
 * since — and written to the table in one go after each burst (one upsert per counter, not per
 * request). Other processes on the same file (WORKERS) see them after that write, and this
 * process sees theirs at its own next write: until then its answers are lower than the shared
 * total. No hit is lost; a write that fails is tried again with the next. See docs/scaling.md.
 */
class SqliteHitCounter implements HitCounter {
  private readonly windows = new Map<
    string,
    CounterWindow & { end: number; total: number; pending: number }
  >();
  private flushing: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  count(window: CounterWindow): number {
    const id = `${window.key} ${window.windowStart}`;
    let counted = this.windows.get(id);
    if (!counted) {
      counted = { ...window, end: Date.parse(window.expiresAt), total: 0, pending: 0 };
      this.windows.set(id, counted);
    }
    counted.pending += 1;
    void this.flushSoon();
    return counted.total + counted.pending;
  }

  /** Resolves once every hit counted so far is in the table. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if ([...this.windows.values()].some((w) => w.pending > 0)) {
      void this.flushSoon();
      await this.flushing;
    }
  }

  private flushSoon(): Promise<void> | undefined {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      do {
        this.again = false;
        // The hits of requests arriving in this turn of the event loop go in the same write.
        await new Promise((resolve) => setImmediate(resolve));
        await this.write().catch(() => {});
      } while (this.again);
    })().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async write(): Promise<void> {
    const due = [...this.windows.values()].filter((w) => w.pending > 0).map((w) => ({ w, delta: w.pending }));
    if (due.length > 0) {
      // A lost counter is harmless, a durable commit is not free (~0.5 ms of fsync): these
      // statements commit without waiting for the disk. The database adapter opens SQLite
      // with synchronous=FULL, which is restored at once; the connection is held throughout,
      // so no other statement commits in between.
      const totals = await this.db.connection().execute(async (connection) => {
        await synchronousNormal(connection, 'sqlite', {});
        try {
          return await addHits(
            connection,
            'sqlite',
            due.map(({ w, delta }) => ({
              key: w.key,
              windowStart: w.windowStart,
              expiresAt: w.expiresAt,
              delta,
            })),
          );
        } finally {
          await synchronousFull(connection, 'sqlite', {});
        }
      });
      due.forEach(({ w, delta }, i) => {
        w.pending -= delta;
        w.total = totals[i]!;
      });
    }
    const now = this.clock.now().getTime();
    for (const [id, w] of this.windows) if (w.end < now && w.pending === 0) this.windows.delete(id);
  }
}

/**
 * PostgreSQL: the hits of the requests that arrive in one turn of the event loop are added with
 * one upsert per counter (`hits = hits + n`), and each request is answered with its own place
 * in the total that upsert returns: as exact, across every node, as one upsert per request, in
 * fewer round trips (a client's concurrent requests, an integration's parallel uploads). The
 * table is UNLOGGED, so the commit writes no WAL to wait for.
 */
class PostgresHitBatcher implements HitCounter {
  private readonly due = new Map<
    string,
    CounterWindow & { waiters: Array<{ resolve(hits: number): void; reject(error: unknown): void }> }
  >();
  private armed = false;

  constructor(private readonly db: Database) {}

  count(window: CounterWindow): Promise<number> {
    return new Promise((resolve, reject) => {
      const id = `${window.key} ${window.windowStart}`;
      let counter = this.due.get(id);
      if (!counter) {
        counter = { ...window, waiters: [] };
        this.due.set(id, counter);
      }
      counter.waiters.push({ resolve, reject });
      if (this.armed) return;
      this.armed = true;
      setImmediate(() => void this.write());
    });
  }

  /** Nothing to wait for: a hit is answered once its upsert is done. */
  async flush(): Promise<void> {}

  private async write(): Promise<void> {
    this.armed = false;
    const counters = [...this.due.values()];
    this.due.clear();
    // The pool's connections count different counters in parallel.
    await Promise.all(
      counters.map(async ({ waiters, ...window }) => {
        try {
          const [total] = await addHits(this.db, 'postgres', [{ ...window, delta: waiters.length }]);
          const before = total! - waiters.length;
          waiters.forEach((waiter, i) => waiter.resolve(before + i + 1));
        } catch (error) {
          for (const waiter of waiters) waiter.reject(error);
        }
      }),
    );
  }
}

const hitCounters = new WeakMap<Database, HitCounter>();

function hitCounter(deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock'>): HitCounter {
  let counter = hitCounters.get(deps.db);
  if (!counter) {
    counter =
      deps.dialect === 'sqlite' ? new SqliteHitCounter(deps.db, deps.clock) : new PostgresHitBatcher(deps.db);
    hitCounters.set(deps.db, counter);
  }
  return counter;
}

/** Writes the hits this process has counted but not yet written (SQLite; nothing on PostgreSQL). */
export async function flushRateLimitCounters(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock'>,
): Promise<void> {
  await hitCounter(deps).flush();
}

/** Removes the counters of windows that have ended. */
export async function pruneRateLimitCounters(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock'>,
): Promise<number> {
  await flushRateLimitCounters(deps);
  const result = await deps.db
    .deleteFrom('rate_limit_counters')
    .where('expires_at', '<=', deps.clock.now().toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
