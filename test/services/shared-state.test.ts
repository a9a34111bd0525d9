import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createServiceLayer } from '../../src/app';
import type { OpenDatabase } from '../../src/adapters/database';
import { ManualClock } from '../../src/ports/clock';
import type { Services } from '../../src/services/index';
import {
  recordPostgresStatements,
  testDialects,
  testEnvironment,
  type TestEnvironment,
} from '../helpers/databases';

for (const dialect of testDialects()) {
  describe(`shared state: leases and rate-limit counters (${dialect})`, () => {
    let env: TestEnvironment;
    let database: OpenDatabase;
    let services: Services;
    const clock = new ManualClock('2026-11-26T10:00:30.000Z');

    before(async () => {
      env = await testEnvironment(dialect);
      ({ database, services } = await createServiceLayer(env.config, {
        clock,
        ...(env.pgSchema ? { pgSchema: env.pgSchema } : {}),
      }));
    });
    after(async () => {
      await database.close();
      await env.cleanup();
    });

    test('a lease has one holder until it lapses or is released; the holder renews it', async () => {
      assert.equal(await services.acquireLease('signer', 'node-a', 10_000), true);
      assert.equal(await services.acquireLease('signer', 'node-b', 10_000), false, 'held by another');
      assert.equal(await services.leaseHolder('signer'), 'node-a');
      assert.equal(await services.acquireLease('other-task', 'node-b', 10_000), true, 'leases are per name');
      clock.advance(8_000);
      assert.equal(await services.acquireLease('signer', 'node-a', 10_000), true, 'renewed by its holder');
      clock.advance(8_000);
      assert.equal(
        await services.acquireLease('signer', 'node-b', 10_000),
        false,
        'the renewal moved the expiry on',
      );
      clock.advance(2_000);
      assert.equal(await services.leaseHolder('signer'), undefined, 'lapsed');
      assert.equal(
        await services.acquireLease('signer', 'node-b', 10_000),
        true,
        'a lapsed lease is taken over',
      );
      assert.equal(await services.acquireLease('signer', 'node-a', 10_000), false);
      await services.releaseLease('signer', 'node-a');
      assert.equal(await services.leaseHolder('signer'), 'node-b', 'only the holder releases');
      await services.releaseLease('signer', 'node-b');
      assert.equal(await services.acquireLease('signer', 'node-a', 10_000), true, 'released: free at once');
    });

    test('concurrent acquisitions: exactly one wins', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => services.acquireLease('race', `node-${i}`, 10_000)),
      );
      assert.equal(results.filter(Boolean).length, 1);
    });

    test('counters count per key and fixed window, concurrently without losing a hit, and expired windows are pruned', async () => {
      clock.set('2026-11-26T10:00:30.000Z');
      const hits = await Promise.all(
        Array.from({ length: 20 }, () => services.countRateLimitHit('limiter token:1', 60_000)),
      );
      assert.deepEqual(
        hits.map((h) => h.hits).sort((a, b) => a - b),
        Array.from({ length: 20 }, (_, i) => i + 1),
        'every hit counted once',
      );
      assert.equal(hits[0]?.ttlMs, 30_000, 'the window ends on the minute');
      assert.equal(
        (await services.countRateLimitHit('limiter token:2', 60_000)).hits,
        1,
        'another key counts apart',
      );
      const stored = await database.db.selectFrom('rate_limit_counters').select('key').execute();
      assert.ok(
        stored.every((r) => !r.key.includes('token')),
        'keys are stored hashed',
      );
      clock.set('2026-11-26T10:01:00.000Z');
      assert.deepEqual(
        await services.countRateLimitHit('limiter token:1', 60_000),
        { hits: 1, ttlMs: 60_000 },
        'a new window starts at 1',
      );
      assert.equal(await services.pruneRateLimitCounters(), 2, 'the two counters of the ended window');
      assert.equal(await services.pruneRateLimitCounters(), 0);
      assert.equal(
        (await services.countRateLimitHit('limiter token:1', 60_000)).hits,
        2,
        'the current window is kept',
      );
    });

    if (dialect === 'postgres')
      test('hits counted in one turn of the event loop share one upsert per counter; each gets its own total', async () => {
        clock.set('2026-11-26T10:07:10.000Z');
        assert.equal((await services.countRateLimitHit('limiter token:3', 60_000)).hits, 1);
        const recording = recordPostgresStatements();
        let hits: number[];
        try {
          hits = (
            await Promise.all([
              ...Array.from({ length: 6 }, () => services.countRateLimitHit('limiter token:3', 60_000)),
              services.countRateLimitHit('limiter token:4', 60_000),
            ])
          ).map((h) => h.hits);
        } finally {
          recording.stop();
        }
        assert.deepEqual(hits, [2, 3, 4, 5, 6, 7, 1], 'each request its own place in the shared total');
        const upserts = recording.sent.filter((s) => /insert into "rate_limit_counters"/.test(s.text));
        assert.equal(upserts.length, 2, 'one upsert per counter');
        assert.equal((await services.countRateLimitHit('limiter token:3', 60_000)).hits, 8);
      });

    if (dialect === 'sqlite')
      test('processes on one SQLite file (WORKERS) count in memory, write every hit and learn the others at their next write', async () => {
        clock.set('2026-11-26T10:05:10.000Z');
        // A second process on the same file, as a second worker is.
        const other = await createServiceLayer(env.config, { clock });
        try {
          const key = 'limiter token:workers';
          const first = await Promise.all(
            Array.from({ length: 5 }, () => services.countRateLimitHit(key, 60_000)),
          );
          assert.deepEqual(
            first.map((h) => h.hits).sort((a, b) => a - b),
            [1, 2, 3, 4, 5],
          );
          await services.flushRateLimitCounters();
          assert.equal((await other.services.countRateLimitHit(key, 60_000)).hits, 1, 'not yet seen');
          await other.services.countRateLimitHit(key, 60_000);
          await other.services.countRateLimitHit(key, 60_000);
          await other.services.flushRateLimitCounters();
          assert.equal(
            (await other.services.countRateLimitHit(key, 60_000)).hits,
            9,
            'after its write the other process knows the total',
          );
          assert.equal((await services.countRateLimitHit(key, 60_000)).hits, 6, 'one write behind');
          await services.flushRateLimitCounters();
          await other.services.flushRateLimitCounters();
          const row = await database.db
            .selectFrom('rate_limit_counters')
            .select('hits')
            .where('window_start', '=', '2026-11-26T10:05:00.000Z')
            .executeTakeFirstOrThrow();
          assert.equal(Number(row.hits), 10, 'no hit lost');
          assert.equal((await services.countRateLimitHit(key, 60_000)).hits, 11);
        } finally {
          await other.database.close();
        }
      });
  });
}
