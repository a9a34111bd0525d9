import type { Dialect, Tx } from '../ports/database';
import { oneStatement, type RowsInsert } from './compiled-once';

/**
 * Inserts that a batch of receipts (group-commit.ts) makes once for the whole batch: each
 * caller's rows of a table are gathered and written at the batch's end with one statement per
 * table (per 64 rows), instead of one statement per row; on PostgreSQL those statements go as
 * one (`oneStatement`), since each is a round trip made while the log's lock is held.
 * Outside such a batch — a lone receipt, or a batch run again with a savepoint per caller —
 * they are written at once.
 *
 * Only for rows nothing in the same transaction reads or references before the batch's end:
 * the log's leaves and subtree hashes, receipts, documents and their files, search entries.
 * Tables are written in the order they were first given rows, so a table whose rows reference
 * another's (a document's files) must be first given rows after it, as a lone caller would
 * insert them.
 */
const deferred = new WeakMap<Tx, Map<RowsInsert<never>, unknown[]>>();

/** From now until `flushInserts`, `insertRows` in `tx` gathers its rows. */
export function deferInserts(tx: Tx): void {
  deferred.set(tx, new Map());
}

/** Inserts `rows` with `insert` (a `compiledRows` statement), or gathers them in a deferring batch. */
export async function insertRows<R>(
  tx: Tx,
  dialect: Dialect,
  insert: RowsInsert<R>,
  rows: readonly R[],
): Promise<void> {
  const gathered = deferred.get(tx);
  if (!gathered) return insert(tx, dialect, rows);
  let pending = gathered.get(insert as RowsInsert<never>);
  if (!pending) gathered.set(insert as RowsInsert<never>, (pending = []));
  pending.push(...rows);
}

/** Writes what `tx` gathered, table by table, and stops gathering. */
export async function flushInserts(tx: Tx, dialect: Dialect): Promise<void> {
  const gathered = deferred.get(tx);
  if (!gathered) return;
  deferred.delete(tx);
  const queries = [...gathered].flatMap(([insert, rows]) =>
    (insert as RowsInsert<unknown>).bound(tx, dialect, rows),
  );
  // SQLite runs a statement in the process, so joining them would save nothing.
  for (const query of dialect === 'postgres' ? oneStatement(queries) : queries) await tx.executeQuery(query);
}
