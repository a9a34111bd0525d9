import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { compiledOnce, compiledOnceWithList } from '../../src/services/compiled-once';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';

const put = compiledOnce((db, slots: { key: string; value: string }) =>
  db.insertInto('meta').values({ key: slots.key, value: slots.value }),
);
const read = compiledOnce((db, slots: { key: string }) =>
  db.selectFrom('meta').select(['key', 'value']).where('key', '=', slots.key),
);
/** A value written in the statement stays; the slots change. */
const putFixed = compiledOnce((db, slots: { key: string }) =>
  db.insertInto('meta').values({ key: slots.key, value: 'fixed' }).returning(['key', 'value']),
);
/** Values in an `in` list, with a slot besides: one statement per list length. */
const readMany = compiledOnceWithList((db, slots: { not: string }, keys) =>
  db.selectFrom('meta').select('key').where('key', 'in', keys).where('key', '!=', slots.not).orderBy('key'),
);
const wholeRow = compiledOnce((db, row: { key: string; value: string }) => db.insertInto('meta').values(row));

for (const dialect of testDialects()) {
  describe(`statements compiled once (${dialect})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(dialect);
    });
    after(() => app.dispose());

    test('each run binds its own values, in a transaction or not', async () => {
      const { db } = app.database;
      await put(db, dialect, { key: 'co-1', value: 'one' });
      await db.transaction().execute((tx) => put(tx, dialect, { key: 'co-2', value: 'two' }));
      assert.deepEqual((await read(db, dialect, { key: 'co-1' })).rows, [{ key: 'co-1', value: 'one' }]);
      assert.deepEqual((await read(db, dialect, { key: 'co-2' })).rows, [{ key: 'co-2', value: 'two' }]);
      assert.deepEqual((await read(db, dialect, { key: 'co-none' })).rows, []);
      assert.deepEqual((await putFixed(db, dialect, { key: 'co-3' })).rows, [
        { key: 'co-3', value: 'fixed' },
      ]);
      assert.deepEqual((await putFixed(db, dialect, { key: 'co-4' })).rows, [
        { key: 'co-4', value: 'fixed' },
      ]);
    });

    test('a missing value, or a value the statement does not take, is an error', async () => {
      await assert.rejects(
        async () => read(app.database.db, dialect, {} as { key: string }),
        /no value for the slot "key"/,
      );
      await assert.rejects(
        async () => wholeRow(app.database.db, dialect, { key: 'co-6', value: 'x' }),
        /the statement takes no key, value/,
      );
      assert.deepEqual((await read(app.database.db, dialect, { key: 'co-6' })).rows, []);
    });

    test('a list of values binds each of them, whatever the length', async () => {
      const { db } = app.database;
      for (const key of ['cl-1', 'cl-2', 'cl-3']) await put(db, dialect, { key, value: key });
      const keys = async (list: string[], not = 'none') =>
        (await readMany(db, dialect, { not }, list)).rows.map((r) => r.key);
      assert.deepEqual(await keys(['cl-1', 'cl-2']), ['cl-1', 'cl-2']);
      assert.deepEqual(await keys(['cl-3', 'cl-9']), ['cl-3']);
      assert.deepEqual(await keys(['cl-1', 'cl-2', 'cl-3'], 'cl-2'), ['cl-1', 'cl-3']);
      assert.deepEqual(await keys(['cl-2']), ['cl-2']);
    });
  });
}
