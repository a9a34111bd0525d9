import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrate, openDatabase } from '../../src/adapters/database';
import { testDialects, testEnvironment } from '../helpers/databases';

// Kysely finds its migration tables in any schema unless told which one.
if (testDialects().includes('postgres')) {
  test('PostgreSQL: a schema migrates on its own when another schema of the database is already migrated', async () => {
    const [a, b] = await Promise.all([testEnvironment('postgres'), testEnvironment('postgres')]);
    const open = (env: typeof a) =>
      openDatabase({
        databaseUrl: env.config.databaseUrl,
        dataDir: env.config.dataDir,
        pgSchema: env.pgSchema!,
      });
    const [first, second] = [open(a), open(b)];
    try {
      assert.ok((await migrate(first.db, 'postgres')).includes('030-transparency-log'));
      assert.ok(
        (await migrate(second.db, 'postgres')).includes('030-transparency-log'),
        'the second schema gets its own tables',
      );
      assert.deepEqual(await migrate(second.db, 'postgres'), []);
    } finally {
      await Promise.all([first.close(), second.close()]);
      await Promise.all([a.cleanup(), b.cleanup()]);
    }
  });
}
