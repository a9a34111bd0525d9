import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { migrate, openDatabase } from '../../src/adapters/database';
import { testDialects, testEnvironment } from '../helpers/databases';

for (const dialect of testDialects()) {
  describe(`database (${dialect})`, () => {
    test('migrations apply once and are idempotent', async () => {
      const env = await testEnvironment(dialect);
      const database = openDatabase({
        databaseUrl: env.config.databaseUrl,
        dataDir: env.config.dataDir,
        ...(env.pgSchema ? { pgSchema: env.pgSchema } : {}),
      });
      try {
        assert.equal(database.dialect, dialect);
        const first = await migrate(database.db, database.dialect);
        assert.ok(first.includes('001-foundation'));
        assert.deepEqual(await migrate(database.db, database.dialect), []);
        await database.db.insertInto('meta').values({ key: 'k', value: 'ż' }).execute();
        const row = await database.db.selectFrom('meta').selectAll().executeTakeFirstOrThrow();
        assert.deepEqual(row, { key: 'k', value: 'ż' });
      } finally {
        await database.close();
        await env.cleanup();
      }
    });
  });
}
