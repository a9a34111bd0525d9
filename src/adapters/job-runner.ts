import type { ClaimedJob } from '../services/jobs';

export interface JobRunnerOptions {
  /** Claims up to `limit` due jobs. */
  claim(limit: number): Promise<ClaimedJob[]>;
  run(job: ClaimedJob): Promise<unknown>;
  /** Most jobs in flight at once in this process. */
  concurrency: number;
  pollMs: number;
  onError(error: unknown): void;
}

/**
 * Polls for due jobs and runs them without waiting for one another: a slow job (a webhook
 * endpoint that hangs until its timeout) takes one slot and never holds up the rest.
 * `stop()` stops claiming and waits for the jobs in flight, so the database can close after.
 */
export function startJobRunner(options: JobRunnerOptions): { stop(): Promise<void> } {
  const inFlight = new Set<Promise<unknown>>();
  let polling = false;
  let stopped = false;
  // A full claim means more may be due: a freed slot claims again at once instead of waiting for the next tick.
  let backlog = false;

  async function poll(): Promise<void> {
    if (polling || stopped) return;
    polling = true;
    try {
      const free = options.concurrency - inFlight.size;
      if (free <= 0) return;
      const jobs = await options.claim(free);
      backlog = jobs.length === free;
      for (const job of jobs) {
        const running = options
          .run(job)
          .catch(options.onError)
          .finally(() => {
            inFlight.delete(running);
            if (backlog) void poll();
          });
        inFlight.add(running);
      }
    } catch (error) {
      options.onError(error);
    } finally {
      polling = false;
    }
  }

  const timer = setInterval(() => void poll(), options.pollMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (polling) await new Promise((resolve) => setTimeout(resolve, 5));
      await Promise.all([...inFlight]);
    },
  };
}
