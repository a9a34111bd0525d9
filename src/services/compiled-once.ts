import { createQueryId, type Compilable, CompiledQuery, type QueryResult, type RawBuilder } from 'kysely';
import type { Database, Dialect, Tx } from '../ports/database';

/** What a slot stands for in the compiled parameters (a string no caller's value starts with). */
const SLOT = '\u0000slot:';

interface Compiled {
  query: CompiledQuery;
  /** Per parameter: the name of its slot, or undefined for a value written in `build`. */
  slots: (string | undefined)[];
}

/**
 * A statement that Kysely builds and compiles once per engine and that then runs with new
 * values: the one way to write a statement on a hot path (a filing runs about fifteen, and
 * building and compiling each anew cost more CPU than SQLite takes to run most of them).
 *
 * `build` gets stand-ins for the values (`slots.name`), each of which must reach the statement
 * as a bound value — a column's value in `values` or `set`, one side of a comparison — and
 * never be looked at by the builder (`is null`, an `in` list, `sql.lit`): the statement is
 * compiled once for every value. Whatever else `build` writes is fixed. A slot without a
 * value (undefined) is an error; null is bound as NULL.
 */
export function compiledOnce<V extends object, O>(
  build: (db: Database, slots: V) => Compilable<O> | RawBuilder<O>,
): (db: Database | Tx, dialect: Dialect, values: V) => Promise<QueryResult<O>> {
  const bound = boundOnce(build);
  return (db, dialect, values) => db.executeQuery<O>(bound(db, dialect, values));
}

/** `compiledOnce`'s statement with its values bound, not run (for `oneStatement`). */
function boundOnce<V extends object, O>(
  build: (db: Database, slots: V) => Compilable<O> | RawBuilder<O>,
): (db: Database | Tx, dialect: Dialect, values: V) => CompiledQuery<O> {
  const byDialect = new Map<Dialect, Compiled>();
  const compile = (db: Database, dialect: Dialect, values: V): Compiled => {
    const stand = new Proxy({} as V, {
      get: (_, name) => (typeof name === 'string' ? `${SLOT}${name}` : undefined),
    });
    // A raw statement (sql`…`) compiles against a database; the query builders know theirs.
    const query = build(db, stand).compile(db) as CompiledQuery;
    const slots = query.parameters.map((p) =>
      typeof p === 'string' && p.startsWith(SLOT) ? p.slice(SLOT.length) : undefined,
    );
    // A value no slot takes is a mistake in `build` (say, a whole row passed to `values`,
    // whose columns a stand-in does not list).
    const unused = Object.keys(values).filter((name) => !slots.includes(name));
    if (unused.length > 0) throw new Error(`compiledOnce: the statement takes no ${unused.join(', ')}`);
    return { query, slots };
  };
  return (db, dialect, values) => {
    let compiled = byDialect.get(dialect);
    if (!compiled) byDialect.set(dialect, (compiled = compile(db, dialect, values)));
    const { query, slots } = compiled;
    const parameters = query.parameters.map((fixed, i) => {
      const name = slots[i];
      if (name === undefined) return fixed;
      const value = (values as Record<string, unknown>)[name];
      if (value === undefined) throw new Error(`compiledOnce: no value for the slot "${name}"`);
      return value;
    });
    return { ...query, parameters, queryId: createQueryId() } as CompiledQuery<O>;
  };
}

/**
 * `compiledOnce` for a statement that also takes a list of values (an `in (…)` list, whose
 * length the builder writes into the text): compiled once per engine and per length, so a
 * page of rows costs one statement compiled once for each length a page can have. `build`
 * gets the list's stand-ins, each of which must reach the statement as a bound value.
 */
export function compiledOnceWithList<V extends object, O>(
  build: (db: Database, slots: V, list: string[]) => Compilable<O> | RawBuilder<O>,
): (db: Database | Tx, dialect: Dialect, values: V, list: readonly string[]) => Promise<QueryResult<O>> {
  const byLength = new Map<number, ReturnType<typeof compiledOnce<V & Record<string, string>, O>>>();
  return (db, dialect, values, list) => {
    let statement = byLength.get(list.length);
    if (!statement) {
      const slotNames = Array.from({ length: list.length }, (_, i) => `listItem${i}`);
      statement = compiledOnce<V & Record<string, string>, O>((db, slots) =>
        build(
          db,
          slots,
          slotNames.map((name) => slots[name]!),
        ),
      );
      byLength.set(list.length, statement);
    }
    const all = { ...values } as Record<string, unknown>;
    for (let i = 0; i < list.length; i += 1) all[`listItem${i}`] = list[i];
    return statement(db, dialect, all as V & Record<string, string>);
  };
}

/** An INSERT of rows that `compiledRows` makes: run at once, or its statements bound for later. */
export interface RowsInsert<R> {
  (db: Database | Tx, dialect: Dialect, rows: readonly R[]): Promise<void>;
  /** The statements that insert `rows`, values bound, not run. */
  bound(db: Database | Tx, dialect: Dialect, rows: readonly R[]): CompiledQuery[];
}

/**
 * An INSERT of several rows of one shape, compiled once per engine and row count: `build` maps
 * stand-in rows (as `compiledOnce`'s slots, one set per row) to the statement. Counts are
 * taken in powers of two (64, 32, …, 1), so a table has at most seven statements per engine
 * and any number of rows needs at most seven of them.
 */
export function compiledRows<R extends object, O>(
  build: (db: Database, rows: R[]) => Compilable<O> | RawBuilder<O>,
): RowsInsert<R> {
  const byCount = new Map<number, ReturnType<typeof boundOnce<Record<string, unknown>, O>>>();
  const statementFor = (count: number) => {
    let statement = byCount.get(count);
    if (!statement) {
      statement = boundOnce((db, slots: Record<string, unknown>) =>
        build(
          db,
          Array.from(
            { length: count },
            (_, i) =>
              new Proxy({} as R, {
                get: (_, name) => (typeof name === 'string' ? slots[`${i}.${name}`] : undefined),
              }),
          ),
        ),
      );
      byCount.set(count, statement);
    }
    return statement;
  };
  const bound = (db: Database | Tx, dialect: Dialect, rows: readonly R[]): CompiledQuery[] => {
    const queries: CompiledQuery[] = [];
    for (let at = 0; at < rows.length;) {
      let count = MAX_ROWS;
      while (count > rows.length - at) count /= 2;
      const values: Record<string, unknown> = {};
      for (let i = 0; i < count; i += 1)
        for (const [name, value] of Object.entries(rows[at + i]!)) values[`${i}.${name}`] = value;
      queries.push(statementFor(count)(db, dialect, values));
      at += count;
    }
    return queries;
  };
  const insert = async (db: Database | Tx, dialect: Dialect, rows: readonly R[]): Promise<void> => {
    for (const query of bound(db, dialect, rows)) await db.executeQuery(query);
  };
  return Object.assign(insert, { bound });
}

/** The most rows one statement of `compiledRows` inserts. */
const MAX_ROWS = 64;

/**
 * PostgreSQL: bound INSERTs (without RETURNING) joined into as few statements as the
 * protocol's limit of bound values allows, as data-modifying `WITH` parts of one statement —
 * one round trip where there were one per table. Their rows become visible together at the
 * statement's end, where the foreign keys between them are checked.
 */
export function oneStatement(queries: readonly CompiledQuery[]): CompiledQuery[] {
  if (queries.length <= 1) return [...queries];
  const joined: CompiledQuery[] = [];
  let parts: string[] = [];
  let parameters: unknown[] = [];
  const close = () => {
    if (parts.length === 0) return;
    const sql = `with ${parts.map((part, i) => `w${i} as (${part})`).join(', ')} select 1`;
    joined.push(CompiledQuery.raw(sql, parameters));
    parts = [];
    parameters = [];
  };
  for (const query of queries) {
    if (parameters.length + query.parameters.length > MAX_BOUND_VALUES) close();
    const offset = parameters.length;
    let highest = 0;
    parts.push(
      query.sql.replace(/\$(\d+)/g, (_, n: string) => {
        highest = Math.max(highest, Number(n));
        return `$${Number(n) + offset}`;
      }),
    );
    // Every `$n` must be a bound value: our INSERTs write no literal text that could hold one.
    if (highest !== query.parameters.length)
      throw new Error(`oneStatement: ${query.parameters.length} values but $${highest} in the statement`);
    parameters.push(...query.parameters);
  }
  close();
  return joined;
}

/** Below PostgreSQL's 65,535 bound values per statement, with room to spare. */
const MAX_BOUND_VALUES = 30_000;
