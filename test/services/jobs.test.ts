import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp, createServiceLayer, type App } from '../../src/app';
import { ManualClock } from '../../src/ports/clock';
import type { ClaimedJob, JobHandlers } from '../../src/services/jobs';
import { testDialects, testEnvironment, type TestEnvironment } from '../helpers/databases';

const runner = (runnerId: string, limit = 10) => ({ runnerId, limit, lockMs: 60_000 });

for (const dialect of testDialects()) {
  describe(`jobs (${dialect})`, () => {
    let env: TestEnvironment;
    let app: App;
    const clock = new ManualClock('2026-11-26T10:00:00.000Z');
    const ran: ClaimedJob[] = [];
    let failUntilAttempt = 0;
    const handlers: JobHandlers = {
      record: {
        async run(job) {
          ran.push(job);
          if (job.attempt < failUntilAttempt) throw new Error(`attempt ${job.attempt} failed`);
        },
      },
    };

    before(async () => {
      // The background runner is off: these tests run jobs themselves, on their own clock.
      env = await testEnvironment(dialect, { JOBS_POLL_MS: '0' });
      app = await createApp({
        config: env.config,
        clock,
        ...(env.pgSchema ? { pgSchema: env.pgSchema } : {}),
      });
    });
    after(async () => {
      await app.close();
      await env.cleanup();
    });

    test('a job runs when its time comes, on the clock the test controls, and a dedupe key schedules it once', async () => {
      ran.length = 0;
      const runAt = new Date('2026-11-26T10:05:00.000Z');
      await app.services.enqueueJob({ kind: 'record', payload: { n: 1 }, runAt, dedupeKey: 'timer:1' });
      await app.services.enqueueJob({ kind: 'record', payload: { n: 2 }, runAt, dedupeKey: 'timer:1' });
      assert.equal(await app.services.runDueJobs(runner('a'), handlers), 0, 'not due yet');
      clock.set('2026-11-26T10:05:00.000Z');
      assert.equal(await app.services.runDueJobs(runner('a'), handlers), 1);
      assert.deepEqual(
        ran.map((j) => j.payload),
        [{ n: 1 }],
      );
      assert.equal(await app.services.runDueJobs(runner('a'), handlers), 0, 'done jobs never run again');
      const row = await app.database.db
        .selectFrom('jobs')
        .selectAll()
        .where('dedupe_key', '=', 'timer:1')
        .executeTakeFirstOrThrow();
      assert.equal(row.outcome, 'done');
      assert.equal(row.finished_at, '2026-11-26T10:05:00.000Z');
      assert.equal(Number(row.attempts), 1);
    });

    test('a failing job is retried with back-off and given up after its last attempt', async () => {
      ran.length = 0;
      failUntilAttempt = 99;
      await app.services.enqueueJob({
        kind: 'record',
        payload: { n: 3 },
        runAt: clock.now(),
        dedupeKey: 'failing',
      });
      assert.equal(await app.services.runDueJobs(runner('a'), handlers), 1);
      assert.equal(await app.services.runDueJobs(runner('a'), handlers), 0, 'waits for its back-off');
      clock.advance(9_999);
      assert.equal(await app.services.runDueJobs(runner('a'), handlers), 0);
      clock.advance(1);
      assert.equal(await app.services.runDueJobs(runner('a'), handlers), 1, 'second attempt after 10 s');
      for (let i = 0; i < 10; i++) {
        clock.advance(3_600_000);
        await app.services.runDueJobs(runner('a'), handlers);
      }
      assert.deepEqual(
        ran.map((j) => j.attempt),
        [1, 2, 3, 4, 5],
      );
      const row = await app.database.db
        .selectFrom('jobs')
        .selectAll()
        .where('dedupe_key', '=', 'failing')
        .executeTakeFirstOrThrow();
      assert.equal(row.outcome, 'failed');
      assert.equal(row.last_error, 'attempt 5 failed');
      failUntilAttempt = 0;
    });

    test('a job with no handler is not lost silently: it fails with a message', async () => {
      await app.services.enqueueJob({
        kind: 'nobody-knows',
        payload: null,
        runAt: clock.now(),
        dedupeKey: 'orphan',
      });
      await app.services.runDueJobs(runner('a'), handlers);
      const row = await app.database.db
        .selectFrom('jobs')
        .selectAll()
        .where('dedupe_key', '=', 'orphan')
        .executeTakeFirstOrThrow();
      assert.equal(row.last_error, 'no handler for job kind nobody-knows');
    });

    test('a job claimed by a runner that died is run again once its lock lapses', async () => {
      ran.length = 0;
      await app.services.enqueueJob({
        kind: 'record',
        payload: { n: 4 },
        runAt: clock.now(),
        dedupeKey: 'crash',
      });
      const claimed = await app.services.claimDueJobs(runner('dies'));
      assert.equal(claimed.length, 1);
      await app.services.runDueJobs(runner('b'), handlers);
      assert.equal(ran.length, 0, 'held by the first runner');
      clock.advance(60_001);
      await app.services.runDueJobs(runner('b'), handlers);
      assert.deepEqual(
        ran.map((j) => [j.payload, j.attempt]),
        [[{ n: 4 }, 2]],
      );
      // The dead runner's late completion changes nothing.
      await app.services.runClaimedJob(claimed[0]!, 'dies');
      const row = await app.database.db
        .selectFrom('jobs')
        .selectAll()
        .where('dedupe_key', '=', 'crash')
        .executeTakeFirstOrThrow();
      assert.equal(row.outcome, 'done');
    });

    test('jobs survive a restart: enqueued before the app stops, run by the next one', async () => {
      ran.length = 0;
      await app.services.enqueueJob({
        kind: 'record',
        payload: { n: 5 },
        runAt: new Date(clock.now().getTime() + 1000),
        dedupeKey: 'restart',
      });
      await app.close();
      app = await createApp({
        config: env.config,
        clock,
        ...(env.pgSchema ? { pgSchema: env.pgSchema } : {}),
      });
      clock.advance(1000);
      await app.services.runDueJobs(runner('after-restart'), handlers);
      assert.deepEqual(
        ran.map((j) => j.payload),
        [{ n: 5 }],
      );
    });

    test('two runners on separate connections run each of 300 jobs exactly once', async () => {
      const second = await createServiceLayer(env.config, {
        clock,
        ...(env.pgSchema ? { pgSchema: env.pgSchema } : {}),
      });
      try {
        const runs = new Map<string, number>();
        const counting: JobHandlers = {
          count: {
            async run(job) {
              runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
              await new Promise((resolve) => setImmediate(resolve));
            },
          },
        };
        for (let i = 0; i < 300; i++)
          await app.services.enqueueJob({ kind: 'count', payload: { i }, runAt: clock.now() });
        const drain = async (services: typeof app.services, id: string) => {
          let total = 0;
          for (;;) {
            const n = await services.runDueJobs(runner(id, 7), counting);
            if (n === 0) return total;
            total += n;
          }
        };
        const [a, b] = await Promise.all([drain(app.services, 'one'), drain(second.services, 'two')]);
        assert.equal(runs.size, 300, 'none lost');
        assert.ok(
          [...runs.values()].every((n) => n === 1),
          'none run twice',
        );
        assert.equal(a + b, 300);
        if (dialect === 'postgres') assert.ok(a > 0 && b > 0, `both runners took a share (${a}/${b})`);
        const open = await app.database.db
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('kind', '=', 'count')
          .where('finished_at', 'is', null)
          .executeTakeFirstOrThrow();
        assert.equal(Number(open.n), 0);
      } finally {
        await second.database.close();
      }
    });

    test('finished jobs are pruned after a week, idempotency keys after a day; open jobs never', async () => {
      await app.services.enqueueJob({
        kind: 'record',
        payload: { n: 6 },
        runAt: clock.now(),
        dedupeKey: 'prune-done',
      });
      await app.services.enqueueJob({
        kind: 'record',
        payload: { n: 7 },
        runAt: new Date(clock.now().getTime() + 30 * 86_400_000),
        dedupeKey: 'prune-later',
      });
      await app.services.runDueJobs(runner('a'), handlers);
      await app.services.reserveIdempotencyKey({ tokenId: 't', key: 'k', digest: 'd' });
      clock.advance(8 * 86_400_000);
      await app.services.pruneFinished();
      const keys = await app.database.db
        .selectFrom('jobs')
        .select('dedupe_key')
        .where('dedupe_key', 'in', ['prune-done', 'prune-later'])
        .execute();
      assert.deepEqual(
        keys.map((k) => k.dedupe_key),
        ['prune-later'],
      );
      assert.equal((await app.database.db.selectFrom('idempotency_keys').selectAll().execute()).length, 0);
    });
  });
}
