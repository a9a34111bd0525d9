import type { ServiceDeps } from './deps';
import { logTreeSize } from './transparency-log';

export interface OperationalGauges {
  /** Documents no office system has acknowledged through the pull API yet, in every box. */
  pullPending: number;
  /** Background jobs not finished yet (due or scheduled). */
  jobsPending: number;
  /** Webhook deliveries still to be made (or retried). */
  webhooksPending: number;
  /** Entries in the transparency log. */
  logSize: number;
  /** Seconds since the newest signed checkpoint; undefined before the first. */
  checkpointAgeSeconds: number | undefined;
}

/** What `/metrics` shows of the queues and the log, read when it is scraped. */
export async function operationalGauges(deps: Pick<ServiceDeps, 'db' | 'clock'>): Promise<OperationalGauges> {
  const count = (n: { n: number | string | bigint } | undefined) => Number(n?.n ?? 0);
  const [pull, jobs, webhooks, logSize, checkpoint] = await Promise.all([
    deps.db
      .selectFrom('documents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('acked_at', 'is', null)
      .executeTakeFirst(),
    deps.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('finished_at', 'is', null)
      .executeTakeFirst(),
    deps.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirst(),
    logTreeSize(deps),
    deps.db
      .selectFrom('tlog_checkpoints')
      .select('created_at')
      .orderBy('tree_size', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  return {
    pullPending: count(pull),
    jobsPending: count(jobs),
    webhooksPending: count(webhooks),
    logSize,
    checkpointAgeSeconds: checkpoint
      ? Math.max(0, (deps.clock.now().getTime() - new Date(checkpoint.created_at).getTime()) / 1000)
      : undefined,
  };
}
