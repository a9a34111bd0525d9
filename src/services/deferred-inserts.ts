import type { Dialect, Tx } from '../ports/database';

/**
 * Inserts that a batch of receipts (group-commit.ts) makes once for the whole batch: each
 * caller's rows of a table are gathered and written at the batch's end with one statement per
 * table (per 64 rows), instead of one statement per row. Outside such a batch — a lone receipt,
 * or a batch run again with a savepoint per caller — they are written at once.
 *
 * Only for rows nothing in the same transaction reads or references before the batch's end:
 * the log's leaves and subtree hashes, receipts, documents and their files, search entries.
 * Tables are written in the order they were first given rows, so a table whose rows reference
 * another's (a document's files) must be first given rows after it, as a lone caller would
 * insert them.
 */
type Insert<R> = (tx: Tx, dialect: Dialect, rows: readonly R[]) => Promise<void>;

const deferred = new WeakMap<Tx, Map<Insert<never>, unknown[]>>();

/** From now until `flushInserts`, `insertRows` in `tx` gathers its rows. */
export function deferInserts(tx: Tx): void {
  deferred.set(tx, new Map());
}

/** Inserts `rows` with `insert` (a `compiledRows` statement), or gathers them in a deferring batch. */
export async function insertRows<R>(
  tx: Tx,
  dialect: Dialect,
  insert: Insert<R>,
  rows: readonly R[],
): Promise<void> {
  const gathered = deferred.get(tx);
  if (!gathered) return insert(tx, dialect, rows);
  let pending = gathered.get(insert as Insert<never>);
  if (!pending) gathered.set(insert as Insert<never>, (pending = []));
  pending.push(...rows);
}

/** Writes what `tx` gathered, table by table, and stops gathering. */
export async function flushInserts(tx: Tx, dialect: Dialect): Promise<void> {
  const gathered = deferred.get(tx);
  if (!gathered) return;
  deferred.delete(tx);
  for (const [insert, rows] of gathered) await (insert as Insert<unknown>)(tx, dialect, rows);
}
