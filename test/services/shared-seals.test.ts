import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { migrate, openDatabase, type OpenDatabase } from '../../src/adapters/database';
import { createServiceLayer } from '../../src/app';
import { KeyMismatchError, sealFingerprint, sharedSeals } from '../../src/services/nodes';
import { testDialects, testEnvironment, type TestEnvironment } from '../helpers/databases';
import { temporarySeals } from '../helpers/receipts';

for (const dialect of testDialects()) {
  describe(`seals whose fingerprints the database keeps (${dialect})`, () => {
    let env: TestEnvironment;
    let database: OpenDatabase;
    const keys = [temporarySeals(), temporarySeals()];
    let time = 1_000_000;
    const now = () => time;

    before(async () => {
      env = await testEnvironment(dialect);
      // One connection, as SQLite has: a transaction holding it is what a node's pool looks like
      // when every connection waits for the log's lock.
      database = openDatabase({
        databaseUrl: env.config.databaseUrl,
        dataDir: env.config.dataDir,
        poolSize: 1,
        ...(env.pgSchema ? { pgSchema: env.pgSchema } : {}),
      });
      await migrate(database.db, database.dialect);
    });
    after(async () => {
      await database.close();
      await env.cleanup();
      for (const k of keys) k.cleanup();
    });

    test("the first node's seal is recorded; another node's seal for the office is refused", async () => {
      const first = sharedSeals(keys[0]!.seals, database.db, now);
      const other = sharedSeals(keys[1]!.seals, database.db, now);
      const seal = await first.forOffice('um-a', 'Urząd A');
      const recorded = await database.db
        .selectFrom('meta')
        .select('value')
        .where('key', '=', 'seal:office:um-a')
        .executeTakeFirstOrThrow();
      assert.equal(recorded.value, sealFingerprint(seal));
      await assert.rejects(other.forOffice('um-a', 'Urząd A'), KeyMismatchError);
      // Refused again without a new look: the check's verdict holds until the next one.
      await assert.rejects(other.forOffice('um-a', 'Urząd A'), /um-a/);
    });

    test('a check that is due runs beside the caller, who is not kept waiting for a connection', async () => {
      const seals = sharedSeals(keys[0]!.seals, database.db, now);
      const seal = await seals.forOffice('um-b', 'Urząd B');
      time += 60_000;
      // Inside a transaction holding the only connection, as a receipt is sealed: a check that
      // waited here for a connection would wait for ever.
      await database.db.transaction().execute(async (tx) => {
        assert.equal(sealFingerprint(await seals.forOffice('um-b', 'Urząd B')), sealFingerprint(seal));
        await tx.selectFrom('meta').select('key').execute();
      });
      // The check ran once the connection was free, and found the seal still the recorded one.
      const again = await seals.forOffice('um-b', 'Urząd B');
      assert.equal(sealFingerprint(again), sealFingerprint(seal));
    });

    test("a seal rotated on another node is found at the next due check and refused until it is this node's too", async () => {
      const a = sharedSeals(keys[0]!.seals, database.db, now);
      await a.forOffice('um-c', 'Urząd C');
      // Another node records another seal for the office (`seals rotate` there).
      const rotated = await keys[1]!.seals.forOffice('um-c', 'Urząd C');
      await database.db
        .updateTable('meta')
        .set({ value: sealFingerprint(rotated) })
        .where('key', '=', 'seal:office:um-c')
        .execute();
      // Checked a moment ago: sealed with as before.
      await a.forOffice('um-c', 'Urząd C');
      time += 60_000;
      // The due check starts with this call and ends after it; the next call has its verdict.
      await a.forOffice('um-c', 'Urząd C');
      await waitFor(async () => {
        try {
          await a.forOffice('um-c', 'Urząd C');
          return false;
        } catch (error) {
          assert.ok(error instanceof KeyMismatchError);
          return true;
        }
      });
    });
  });
}

for (const dialect of testDialects().filter((d) => d === 'postgres')) {
  test(`a node's first seal check does not wait for the pool its receipt transactions hold (${dialect})`, async () => {
    // Short, so that on a node whose check shared the pool the test fails in seconds.
    const env = await testEnvironment(dialect, { DATABASE_CONNECT_TIMEOUT_SECONDS: '2' });
    const { database, deps } = await createServiceLayer(env.config, {
      ...(env.pgSchema ? { pgSchema: env.pgSchema } : {}),
    });
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let holding = 0;
    // Every pooled connection held, as by transactions with one filing each waiting for the
    // log's lock while the holder seals its receipt.
    const held = Array.from({ length: 10 }, () =>
      database.db.connection().execute(async () => {
        holding += 1;
        await gate;
      }),
    );
    try {
      await waitFor(async () => holding === 10);
      const seal = await deps.seals.forOffice('um-p', 'Urząd P');
      release();
      await Promise.all(held);
      const recorded = await database.db
        .selectFrom('meta')
        .select('value')
        .where('key', '=', 'seal:office:um-p')
        .executeTakeFirstOrThrow();
      assert.equal(recorded.value, sealFingerprint(seal));
    } finally {
      release();
      await Promise.allSettled(held);
      await database.close();
      await env.cleanup();
    }
  });
}

/** Tries `done` until it says yes, letting other work run in between. */
async function waitFor(done: () => Promise<boolean>): Promise<void> {
  while (!(await done())) await new Promise((resolve) => setImmediate(resolve));
}
