import { sql } from 'kysely';
import type { Database, Dialect, FlushCommits, Tx } from '../ports/database';
import { compiledOnce } from './compiled-once';
import type { ServiceDeps } from './deps';
import { reportCommitBatch } from './commit-batches';
import { deferInserts, flushInserts } from './deferred-inserts';
import { forgetLogCursor, lockLogForAppend } from './transparency-log';

/**
 * Group commit of the transactions that issue receipts (UPP, proofs of sending and of
 * receipt). Receipts are appended to the transparency log one after another, so on SQLite
 * (one connection) and on PostgreSQL (the log's append lock held until commit) such
 * transactions were bound by one durable commit each. Here the transactions that arrive while
 * a commit is under way wait for it and then share the next one: one `BEGIN`, one hold of the
 * log's lock, each caller's work in turn, one `COMMIT`. Every caller is answered only after the
 * commit that made its work durable; when a caller's work fails, the batch runs again with each
 * caller in a savepoint of its own, so the failing one is rolled back alone and its neighbours
 * go on. No timer: a lone transaction
 * starts at once, so a quiet node pays nothing. See docs/performance.md ("Group commit").
 *
 * On SQLite a durable COMMIT would fsync on the event loop (better-sqlite3 is synchronous), and
 * no request could be read meanwhile. So a batch commits with synchronous=NORMAL (restored to
 * FULL at once, the connection held throughout) and the write-ahead log is then fdatasync'ed on
 * the thread pool (`flushCommits`); callers are answered only after that flush.
 */

/** How many callers one commit may carry at most (a bound on the batch's lock hold). */
export const MAX_BATCH = 128;

export interface GroupCommitStats {
  /** Whether this process batches (the `GROUP_COMMIT` setting). */
  enabled: boolean;
  /** Durable commits of receipt transactions made so far. */
  commits: number;
  /** Callers whose work those commits carried. */
  committed: number;
  /** Callers whose own work failed (rolled back alone; their neighbours committed). */
  failed: number;
  /** Callers run again alone because their batch's transaction failed before its commit. */
  retriedAlone: number;
  /** Batches run again with a savepoint per caller because a caller's work or their rows failed. */
  rerunIsolated: number;
  /** The most callers one commit carried. */
  largestBatch: number;
  /** Callers waiting now for the commit under way to end (the queue's depth). */
  queued: number;
}

type Work = (tx: Tx) => Promise<unknown>;

/** The batch's own statements, run for every caller (savepoints) or every commit. */
const statements = {
  savepoint: compiledOnce(() => sql`savepoint group_commit`),
  release: compiledOnce(() => sql`release savepoint group_commit`),
  rollback: compiledOnce(() => sql`rollback to savepoint group_commit`),
  synchronousNormal: compiledOnce(() => sql`pragma synchronous = normal`),
  synchronousFull: compiledOnce(() => sql`pragma synchronous = full`),
};

interface Pending {
  work: Work;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Per database handle, i.e. per node: batching happens within a process, never across. */
class GroupCommitter {
  private readonly queue: Pending[] = [];
  private draining = false;
  readonly stats: Omit<GroupCommitStats, 'enabled' | 'queued'> = {
    commits: 0,
    committed: 0,
    failed: 0,
    retriedAlone: 0,
    rerunIsolated: 0,
    largestBatch: 0,
  };

  constructor(
    private readonly db: Database,
    private readonly dialect: Dialect,
    private readonly lock: (tx: Tx) => Promise<void>,
    private readonly flush: FlushCommits | undefined,
  ) {}

  /**
   * A transaction whose commit is durable once `durable()` has returned: on SQLite it commits
   * without its own fsync; elsewhere the commit itself is durable.
   */
  private async transact<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const flush = this.flush;
    if (!flush) return this.db.transaction().execute(work);
    return this.db.connection().execute(async (connection) => {
      await statements.synchronousNormal(connection, this.dialect, {});
      try {
        return await connection.transaction().execute(work);
      } finally {
        await statements.synchronousFull(connection, this.dialect, {});
      }
    });
  }

  /** Makes the commits made so far durable (SQLite: one fdatasync of the WAL off the event loop). */
  async durable(): Promise<void> {
    if (this.flush) await this.flush();
  }

  get queued(): number {
    return this.queue.length;
  }

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  /** One batch at a time: whatever queued while a commit was under way forms the next batch. */
  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        // Let the event loop run first: better-sqlite3 commits synchronously (its fsync blocks
        // the loop), so callers whose requests are ready queue only when the loop gets a turn.
        await new Promise((resolve) => setImmediate(resolve));
        await this.commitBatch();
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * The batch is taken from the queue once the log's lock is held: while another node's batch
   * held it (PostgreSQL), the callers that arrived meanwhile join this one. It runs first
   * without savepoints and with the callers' new rows written table by table at its end
   * (deferred-inserts.ts); if a caller's work or those inserts fail, that transaction is
   * rolled back, nobody is answered yet, and the same batch runs again with a savepoint per
   * caller and its rows written at once, so the failure stays its own.
   */
  private async commitBatch(): Promise<void> {
    let batch: Pending[] | undefined;
    const take = (): Pending[] => (batch ??= this.queue.splice(0, MAX_BATCH));
    if ((await this.runBatch(take, false)) === 'isolate') {
      this.stats.rerunIsolated += 1;
      await this.runBatch(take, true);
    }
  }

  private async runBatch(take: () => Pending[], isolated: boolean): Promise<'done' | 'isolate'> {
    let batch: Pending[] = [];
    const done: { pending: Pending; value: unknown }[] = [];
    // Refusals are told after the commit: a caller that looks for what its neighbour filed
    // (the same idempotency key twice in one batch) then finds it committed.
    const refused = new Map<Pending, unknown>();
    let reachedCommit = false;
    let isolate = false;
    try {
      await this.transact(async (tx) => {
        await this.lock(tx);
        batch = take();
        if (batch.length === 1) {
          // A lone caller needs no savepoint: its failure rolls back the transaction it alone is in.
          const pending = batch[0]!;
          try {
            done.push({ pending, value: await pending.work(tx) });
          } catch (error) {
            this.stats.failed += 1;
            refused.set(pending, error);
            throw error;
          }
          reachedCommit = true;
          return;
        }
        if (!isolated) {
          // Each table's rows of the whole batch in one statement; a failure here, or in a
          // caller's work, cannot be told from its neighbours': the batch runs again isolated.
          deferInserts(tx);
          try {
            for (const pending of batch) done.push({ pending, value: await pending.work(tx) });
            await flushInserts(tx, this.dialect);
          } catch (error) {
            isolate = true;
            done.length = 0;
            throw error;
          }
          reachedCommit = true;
          return;
        }
        for (const pending of batch) {
          await statements.savepoint(tx, this.dialect, {});
          try {
            const value = await pending.work(tx);
            await statements.release(tx, this.dialect, {});
            done.push({ pending, value });
          } catch (error) {
            // Only this caller's statements are undone; the batch goes on without it.
            await statements.rollback(tx, this.dialect, {});
            await statements.release(tx, this.dialect, {});
            forgetLogCursor(tx);
            this.stats.failed += 1;
            refused.set(pending, error);
          }
        }
        reachedCommit = true;
      });
      await this.durable();
    } catch (error) {
      if (isolate) return 'isolate';
      for (const [pending, own] of refused) pending.reject(own);
      if (reachedCommit) {
        // The commit itself failed: whether it took effect is unknown (a lost connection),
        // so nobody is told success and nobody's work is repeated — as for a lone filing.
        for (const { pending } of done) pending.reject(error);
        return 'done';
      }
      // The transaction broke before its commit and was rolled back: nothing of it exists,
      // so each caller not refused for its own work gets a transaction of its own (those still
      // queued too, when it broke before the lock was held and the batch taken).
      if (batch.length === 0) batch = take();
      for (const pending of batch) {
        if (refused.has(pending)) continue;
        this.stats.retriedAlone += 1;
        await this.retryAlone(pending);
      }
      return 'done';
    }
    this.count(done.length);
    for (const { pending, value } of done) pending.resolve(value);
    for (const [pending, own] of refused) pending.reject(own);
    return 'done';
  }

  /** A caller of a batch that broke before its commit, in a transaction of its own. */
  private async retryAlone(pending: Pending): Promise<void> {
    try {
      const value = await this.transact(async (tx) => {
        await this.lock(tx);
        return pending.work(tx);
      });
      await this.durable();
      this.count(1);
      pending.resolve(value);
    } catch (error) {
      pending.reject(error);
    }
  }

  count(size: number): void {
    if (size === 0) return;
    this.stats.commits += 1;
    this.stats.committed += size;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, size);
    reportCommitBatch(size);
  }
}

const committers = new WeakMap<Database, GroupCommitter>();

function committerFor(deps: Pick<ServiceDeps, 'db' | 'dialect' | 'config' | 'flushCommits'>): GroupCommitter {
  let committer = committers.get(deps.db);
  if (!committer) {
    committer = new GroupCommitter(
      deps.db,
      deps.dialect,
      (tx) => lockLogForAppend(tx, deps.dialect),
      deps.config.groupCommit ? deps.flushCommits : undefined,
    );
    committers.set(deps.db, committer);
  }
  return committer;
}

/**
 * Runs `work` (which issues a receipt) in a durable transaction and resolves once that
 * transaction has committed: with `GROUP_COMMIT` on (the default) in a batch shared with the
 * receipts issued at the same moment on this node, otherwise in a transaction of its own.
 * `work` must use only `tx`; it may run again alone if its batch's transaction breaks.
 */
export async function inReceiptTransaction<T>(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'config' | 'flushCommits'>,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const committer = committerFor(deps);
  if (deps.config.groupCommit) return committer.run(work);
  const value = await deps.db.transaction().execute(async (tx) => {
    await lockLogForAppend(tx, deps.dialect);
    return work(tx);
  });
  committer.count(1);
  return value;
}

/**
 * Resolves once the receipts committed so far are durable. On SQLite a batch is visible to
 * readers a moment before its flush ends; a reader that acknowledges what it found (the
 * idempotency replay answering with an earlier receipt) flushes first. Replays are rare.
 */
export async function receiptsDurable(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'config' | 'flushCommits'>,
): Promise<void> {
  await committerFor(deps).durable();
}

/** Commits and callers so far on this node; filings per commit is `committed / commits`. */
export function groupCommitStats(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'config' | 'flushCommits'>,
): GroupCommitStats {
  const committer = committerFor(deps);
  return { enabled: deps.config.groupCommit, ...committer.stats, queued: committer.queued };
}
