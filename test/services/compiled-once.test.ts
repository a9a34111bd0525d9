import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  compiledOnce,
  compiledOnceWithList,
  compiledRows,
  oneStatement,
} from '../../src/services/compiled-once';
import { deferInserts, flushInserts, insertRows } from '../../src/services/deferred-inserts';
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
const putRows = compiledRows((db, rows: { key: string; value: string }[]) =>
  db.insertInto('meta').values(rows.map((r) => ({ key: r.key, value: r.value }))),
);
/** Another table's rows in the same flush: on PostgreSQL the two go as one statement. */
const putOtherRows = compiledRows((db, rows: { key: string }[]) =>
  db.insertInto('meta').values(rows.map((r) => ({ key: r.key, value: 'other' }))),
);
const countKeys = compiledOnce((db, slots: { prefix: string }) =>
  db
    .selectFrom('meta')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('key', 'like', slots.prefix),
);

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

    test('rows of one shape go in as many statements as their count has binary digits', async () => {
      const { db } = app.database;
      const rows = (prefix: string, n: number) =>
        Array.from({ length: n }, (_, i) => ({ key: `${prefix}-${i}`, value: String(i) }));
      // 100 = 64 + 32 + 4; 1 and 0 too.
      for (const n of [100, 1, 0]) await putRows(db, dialect, rows(`cr${n}`, n));
      for (const n of [100, 1, 0])
        assert.equal(Number((await countKeys(db, dialect, { prefix: `cr${n}-%` })).rows[0]!.n), n);
      assert.deepEqual((await read(db, dialect, { key: 'cr100-99' })).rows, [
        { key: 'cr100-99', value: '99' },
      ]);
    });

    test('deferred rows are written only when flushed; without deferral at once', async () => {
      const { db } = app.database;
      const count = async (tx: Parameters<typeof put>[0]) =>
        Number((await countKeys(tx, dialect, { prefix: 'df-%' })).rows[0]!.n);
      await db.transaction().execute(async (tx) => {
        deferInserts(tx);
        await insertRows(tx, dialect, putRows, [{ key: 'df-1', value: 'a' }]);
        await insertRows(tx, dialect, putRows, [
          { key: 'df-2', value: 'b' },
          { key: 'df-3', value: 'c' },
        ]);
        assert.equal(await count(tx), 0, 'nothing written before the flush');
        await flushInserts(tx, dialect);
        assert.equal(await count(tx), 3);
        // No longer deferring: written at once.
        await insertRows(tx, dialect, putRows, [{ key: 'df-4', value: 'd' }]);
        assert.equal(await count(tx), 4);
      });
      // Without deferInserts, insertRows writes at once.
      await db.transaction().execute(async (tx) => {
        await insertRows(tx, dialect, putRows, [{ key: 'df-5', value: 'e' }]);
        assert.equal(await count(tx), 5);
      });
    });

    test('a flush of several tables keeps each row its own values, joined or not', async () => {
      const { db } = app.database;
      const rows = (prefix: string, n: number) =>
        Array.from({ length: n }, (_, i) => ({ key: `${prefix}-${i}`, value: `v${i}` }));
      await db.transaction().execute(async (tx) => {
        deferInserts(tx);
        // 70 rows are two statements of one table (64 + 4 + 2); three tables' worth in all.
        await insertRows(tx, dialect, putRows, rows('fj-a', 70));
        await insertRows(tx, dialect, putOtherRows, [
          { key: 'fj-b-0' },
          { key: 'fj-b-1' },
          { key: 'fj-b-2' },
        ]);
        await insertRows(tx, dialect, putRows, rows('fj-c', 1));
        const bound = [
          ...putRows.bound(tx, dialect, rows('x', 71)),
          ...putOtherRows.bound(tx, dialect, [{ key: 'y-0' }, { key: 'y-1' }, { key: 'y-2' }]),
        ];
        assert.equal(bound.length, 6);
        if (dialect === 'postgres') {
          const [joined, ...rest] = oneStatement(bound);
          assert.equal(rest.length, 0, 'one statement');
          assert.equal(joined!.parameters.length, (71 + 3) * 2);
          assert.match(joined!.sql, /^with w0 as \(insert into "meta".*\$148\)\) select 1$/s);
        }
        await flushInserts(tx, dialect);
      });
      const value = async (key: string) => (await read(db, dialect, { key })).rows[0]?.value;
      assert.equal(Number((await countKeys(db, dialect, { prefix: 'fj-%' })).rows[0]!.n), 74);
      assert.equal(await value('fj-a-0'), 'v0');
      assert.equal(await value('fj-a-69'), 'v69');
      assert.equal(await value('fj-b-2'), 'other');
      assert.equal(await value('fj-c-0'), 'v0');
    });

    test('a flush whose values exceed one statement goes as several, and a failing one writes nothing', async () => {
      const { db } = app.database;
      // 20,000 rows of two values: 40,000 bound values, more than one statement takes.
      const many = Array.from({ length: 20_000 }, (_, i) => ({ key: `fm-${i}`, value: String(i) }));
      if (dialect === 'postgres') assert.equal(oneStatement(putRows.bound(db, dialect, many)).length, 2);
      await db.transaction().execute(async (tx) => {
        deferInserts(tx);
        await insertRows(tx, dialect, putRows, many);
        await flushInserts(tx, dialect);
      });
      assert.equal(Number((await countKeys(db, dialect, { prefix: 'fm-%' })).rows[0]!.n), 20_000);
      // A key taken already: the flush fails and its transaction leaves nothing.
      await assert.rejects(
        db.transaction().execute(async (tx) => {
          deferInserts(tx);
          await insertRows(tx, dialect, putRows, [{ key: 'fx-1', value: 'new' }]);
          await insertRows(tx, dialect, putOtherRows, [{ key: 'fm-7' }]);
          await flushInserts(tx, dialect);
        }),
      );
      assert.equal(await (async () => (await read(db, dialect, { key: 'fx-1' })).rows.length)(), 0);
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
