import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database, Tx } from '../ports/database';
import type { ServiceDeps } from './deps';

/**
 * Durable jobs (timers, mail, webhook deliveries) in the `jobs` table. A job is enqueued inside
 * the caller's transaction, so it exists exactly when the change that caused it commits. Any
 * node claims due jobs (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: one UPDATE statement,
 * which holds the write lock), runs the handler for the job's kind and marks it finished once.
 *
 * Delivery is at least once: a process that dies between running a handler and marking the job
 * runs it again once the lock lapses. Handlers must therefore be idempotent (check the state
 * they are about to change, use the job id as a key).
 */
export interface NewJob {
  kind: string;
  payload: unknown;
  runAt: Date;
  /** Schedules the job once: enqueueing again with the same key does nothing. */
  dedupeKey?: string;
}

export interface ClaimedJob {
  id: string;
  kind: string;
  payload: unknown;
  /** 1 on the first run. */
  attempt: number;
  runAt: string;
}

export interface JobHandler {
  run(job: ClaimedJob): Promise<void>;
  /** Milliseconds until the next try after a failure, or undefined to give up. */
  retryDelayMs?(job: ClaimedJob, error: unknown): number | undefined;
}

export type JobHandlers = Readonly<Record<string, JobHandler>>;

export interface RunnerOptions {
  runnerId: string;
  /** Most jobs claimed at once. */
  limit: number;
  /** How long a claim holds; a job still locked after this is handed to another runner. */
  lockMs: number;
}

const MAX_DEFAULT_ATTEMPTS = 5;
/** 10 s, 20 s, 40 s, 80 s, then give up. */
const defaultRetryDelay = (job: ClaimedJob): number | undefined =>
  job.attempt < MAX_DEFAULT_ATTEMPTS ? 10_000 * 2 ** (job.attempt - 1) : undefined;

export async function enqueue(db: Database | Tx, job: NewJob): Promise<void> {
  await db
    .insertInto('jobs')
    .values({
      id: randomUUID(),
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? null),
      dedupe_key: job.dedupeKey ?? null,
      run_at: job.runAt.toISOString(),
      attempts: 0,
      locked_until: null,
      locked_by: null,
      finished_at: null,
      outcome: null,
      last_error: null,
      created_at: job.runAt.toISOString(),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

/** Claims up to `limit` due jobs that nobody holds, oldest first. */
export async function claimDueJobs(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock'>,
  options: RunnerOptions,
): Promise<ClaimedJob[]> {
  if (options.limit <= 0) return [];
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const until = new Date(now.getTime() + options.lockMs).toISOString();
  const skipLocked = deps.dialect === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
  const due = sql`finished_at IS NULL AND run_at <= ${nowIso} AND (locked_until IS NULL OR locked_until <= ${nowIso})`;
  const result = await sql<{ id: string; kind: string; payload: string; attempts: number; run_at: string }>`
    UPDATE jobs SET locked_until = ${until}, locked_by = ${options.runnerId}, attempts = attempts + 1
    WHERE id IN (SELECT id FROM jobs WHERE ${due} ORDER BY run_at, id LIMIT ${options.limit} ${skipLocked})
      AND ${due}
    RETURNING id, kind, payload, attempts, run_at`.execute(deps.db);
  return result.rows
    .map((r) => ({
      id: r.id,
      kind: r.kind,
      payload: JSON.parse(r.payload) as unknown,
      attempt: Number(r.attempts),
      runAt: r.run_at,
    }))
    .sort((a, b) => (a.runAt < b.runAt ? -1 : a.runAt > b.runAt ? 1 : 0));
}

/**
 * Runs one claimed job and records the outcome, guarded by the claim: a runner whose lock
 * lapsed (and was taken over) changes nothing.
 */
export async function runClaimedJob(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  handlers: JobHandlers,
  job: ClaimedJob,
  runnerId: string,
): Promise<'done' | 'retry' | 'failed'> {
  const handler = handlers[job.kind];
  let failure: unknown;
  try {
    if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
    await handler.run(job);
  } catch (error) {
    failure = error;
  }
  const now = deps.clock.now();
  if (failure === undefined) {
    await deps.db
      .updateTable('jobs')
      .set({ finished_at: now.toISOString(), outcome: 'done', locked_until: null, last_error: null })
      .where('id', '=', job.id)
      .where('locked_by', '=', runnerId)
      .where('finished_at', 'is', null)
      .execute();
    return 'done';
  }
  const message = (failure instanceof Error ? failure.message : String(failure)).slice(0, 1000);
  const delay = handler?.retryDelayMs ? handler.retryDelayMs(job, failure) : defaultRetryDelay(job);
  const base = deps.db
    .updateTable('jobs')
    .where('id', '=', job.id)
    .where('locked_by', '=', runnerId)
    .where('finished_at', 'is', null);
  if (delay === undefined) {
    await base
      .set({ finished_at: now.toISOString(), outcome: 'failed', locked_until: null, last_error: message })
      .execute();
    return 'failed';
  }
  await base
    .set({
      run_at: new Date(now.getTime() + delay).toISOString(),
      locked_until: null,
      locked_by: null,
      last_error: message,
    })
    .execute();
  return 'retry';
}

/** Claims the due jobs and runs them all concurrently; returns how many ran (tests, the CLI). */
export async function runDueJobs(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock'>,
  handlers: JobHandlers,
  options: RunnerOptions,
): Promise<number> {
  const jobs = await claimDueJobs(deps, options);
  await Promise.all(jobs.map((job) => runClaimedJob(deps, handlers, job, options.runnerId)));
  return jobs.length;
}

export interface JobView {
  id: string;
  kind: string;
  runAt: string;
  attempts: number;
  finishedAt: string | null;
  outcome: 'done' | 'failed' | null;
  lastError: string | null;
}

export async function findJob(
  deps: Pick<ServiceDeps, 'db'>,
  where: { dedupeKey: string },
): Promise<JobView | undefined> {
  const row = await deps.db
    .selectFrom('jobs')
    .selectAll()
    .where('dedupe_key', '=', where.dedupeKey)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        kind: row.kind,
        runAt: row.run_at,
        attempts: Number(row.attempts),
        finishedAt: row.finished_at,
        outcome: row.outcome,
        lastError: row.last_error,
      }
    : undefined;
}

const KEEP_FINISHED_JOBS_MS = 7 * 24 * 60 * 60 * 1000;
const KEEP_IDEMPOTENCY_KEYS_MS = 24 * 60 * 60 * 1000;

/**
 * Removes finished jobs after a week and idempotency keys after a day, so neither table grows
 * without bound. Webhook deliveries and their attempts stay (they are the office's record).
 */
export async function pruneFinished(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
): Promise<{ jobs: number; idempotencyKeys: number }> {
  const now = deps.clock.now().getTime();
  const jobs = await deps.db
    .deleteFrom('jobs')
    .where('finished_at', 'is not', null)
    .where('finished_at', '<', new Date(now - KEEP_FINISHED_JOBS_MS).toISOString())
    .executeTakeFirst();
  const keys = await deps.db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', new Date(now - KEEP_IDEMPOTENCY_KEYS_MS).toISOString())
    .executeTakeFirst();
  return { jobs: Number(jobs.numDeletedRows), idempotencyKeys: Number(keys.numDeletedRows) };
}
