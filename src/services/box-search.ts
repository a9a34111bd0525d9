import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import {
  documentSearchEntries,
  officeSearchWord,
  prefixEnd,
  type SearchTerms,
} from '../domain/journal/index';
import type { Database, Dialect, Schema, Tx } from '../ports/database';
import { compiledRows } from './compiled-once';
import { insertRows } from './deferred-inserts';

/**
 * The box's search over each engine's own full-text index, `document_search` (docs/office.md,
 * migration 240-box-full-text): SQLite's FTS5 and PostgreSQL's tsvector with GIN. The index
 * holds a document's words and its office's entry, so one lookup answers "these words, in this
 * office", and intersecting the lists of two common words that never meet reads their lists
 * once instead of checking one word's documents one by one.
 */

/**
 * How many of the office's newest (or oldest) index rows PostgreSQL's walk reads before it gives
 * the search to the GIN index: a term in at least one document in 40 fills a page within it.
 */
export const WALK_ROWS = 2000;

/**
 * When at least DENSE_MATCHES of those rows match but the page's filters leave it unfilled,
 * PostgreSQL walks up to LONG_WALK_ROWS rows before the GIN index: the GIN path would collect
 * every match (a fifth of a million documents for a common word), while the walk stops as soon
 * as the page is full.
 */
export const DENSE_MATCHES = 20;
export const LONG_WALK_ROWS = 50_000;

/** Writes a document's index entries; call it in the transaction that inserts the document. */
export async function indexDocumentWords(
  tx: Tx,
  dialect: Dialect,
  document: { officeId: string; seq: number; title: string; senderName: string },
): Promise<void> {
  const entries = documentSearchEntries(document.officeId, document.title, document.senderName);
  if (entries.length === 0) return;
  // Written at the batch's end in a batch of receipts (deferred-inserts.ts).
  if (dialect === 'postgres')
    await insertRows(tx, dialect, insertPostgresEntries, [
      { seq: document.seq, officeId: document.officeId, words: entries },
    ]);
  else await insertRows(tx, dialect, insertSqliteEntries, [{ seq: document.seq, words: entries.join(' ') }]);
}

const insertPostgresEntries = compiledRows(
  (_db, rows: { seq: number; officeId: string; words: string[] }[]) =>
    sql`insert into document_search (seq, office_id, words) values ${sql.join(
      rows.map((r) => sql`(${r.seq}, ${r.officeId}, array_to_tsvector(${r.words}::text[]))`),
    )}`,
);

const insertSqliteEntries = compiledRows(
  (_db, rows: { seq: number; words: string }[]) =>
    sql`insert into document_search (rowid, words) values ${sql.join(rows.map((r) => sql`(${r.seq}, ${r.words})`))}`,
);

/**
 * A prefix longer than FTS5's prefix lists (three characters) with at most this many words is
 * searched as those words: FTS5 reads an OR of words in rowid order and stops at the page's end,
 * while a prefix query first merges the whole lists of every word it matches.
 */
export const MAX_PREFIX_WORDS = 20;

/**
 * The search as an FTS5 query: every entry quoted (taken as one token), the last one a prefix,
 * or the words it stands for (`prefixWords`) when they are few.
 */
export function fts5Query(officeId: string, search: SearchTerms, prefixWords?: string[]): string {
  const quote = (entry: string) => `"${entry.replace(/"/g, '""')}"`;
  const prefix =
    search.prefix === undefined
      ? []
      : prefixWords
        ? [`(${prefixWords.map(quote).join(' OR ')})`]
        : [`${quote(search.prefix)}*`];
  return [...[officeSearchWord(officeId), ...search.words].map(quote), ...prefix].join(' AND ');
}

/**
 * The words of the index that start with `prefix`, when it is longer than FTS5's prefix lists
 * and they are at most MAX_PREFIX_WORDS; undefined to search it as a prefix.
 */
async function fts5PrefixWords(db: Database, prefix: string | undefined): Promise<string[] | undefined> {
  if (prefix === undefined || Array.from(prefix).length <= 3) return undefined;
  const { rows } = await sql<{ term: string }>`select term from document_search_terms
    where term >= ${prefix} and term < ${prefixEnd(prefix)} limit ${MAX_PREFIX_WORDS + 1}`.execute(db);
  return rows.length <= MAX_PREFIX_WORDS ? rows.map((r) => r.term) : undefined;
}

/**
 * The search as a tsquery's text: every lexeme quoted (taken verbatim), the last one a prefix.
 * Without the office's entry: GIN reads the whole list of an entry that is in every document
 * of a large office (15 ms instead of 0.1 ms at 200,000 documents), so PostgreSQL checks the
 * office on the document's row (the join), not in the index.
 */
export function tsQuery(search: SearchTerms): string {
  const quote = (entry: string) => `'${entry.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  return [
    ...search.words.map(quote),
    ...(search.prefix !== undefined ? [`${quote(search.prefix)}:*`] : []),
  ].join(' & ');
}

/** The matching documents (aliased `s`, with their seq) joined to their rows in `documents`. */
export type SearchedDocuments = SelectQueryBuilder<
  Schema & { s: { seq: number } },
  'documents' | 's',
  object
>;

/**
 * One page of a search: `page` completes the query (columns, filters, `order by s.seq`, limit)
 * and runs it. Every way of finding the matches keeps the keyset order, so a page reads only as
 * many matches as it shows (plus those the filters drop):
 * - SQLite: FTS5 yields its matches in rowid (= seq) order, newest or oldest first, and stops
 *   when the page is full; a prefix is read from its prefix list (up to three characters), as
 *   the few words that start with it, or by merging the lists of the many words that do.
 * - PostgreSQL: first a walk of the office's index rows in seq order, testing each row's
 *   tsvector, at most WALK_ROWS rows (cheap, and enough when the matches are dense); when the
 *   matches in those rows are dense but the page's filters left it unfilled, a walk of up to
 *   LONG_WALK_ROWS rows; when that does not fill the page either, the GIN index finds every
 *   match past the cursor and the page is the first `limit` of them by seq (few, since the
 *   matches are sparse).
 */
export async function searchPage<Row extends { seq: number }>(
  db: Database,
  dialect: Dialect,
  officeId: string,
  search: SearchTerms,
  order: { newest: boolean; after: number | undefined; limit: number },
  page: (from: SearchedDocuments) => Promise<Row[]>,
): Promise<Row[]> {
  if (search.words.length === 0 && search.prefix === undefined) return [];
  const direction = order.newest ? sql`desc` : sql`asc`;
  const past = (column: string) =>
    order.after === undefined
      ? sql`true`
      : sql`${sql.ref(column)} ${sql.raw(order.newest ? '<' : '>')} ${order.after}`;
  const joined = (executor: Database, source: RawBuilder<{ seq: number }>): SearchedDocuments =>
    executor
      .selectFrom(source.as('s'))
      .crossJoin('documents')
      .where(sql<boolean>`documents.seq = s.seq`)
      .where('documents.office_id', '=', officeId);

  if (dialect === 'sqlite') {
    const prefixWords = await fts5PrefixWords(db, search.prefix);
    if (prefixWords?.length === 0) return [];
    // The FTS5 table is the outer loop (CROSS JOIN keeps it there) and consumes the ORDER BY on
    // rowid: no sort, and the walk stops at the page's end.
    return page(
      joined(
        db,
        sql<{ seq: number }>`(select rowid as seq from document_search
          where document_search match ${fts5Query(officeId, search, prefixWords)} and ${past('rowid')}
          order by rowid ${direction})`,
      ),
    );
  }
  const query = sql`cast(${tsQuery(search)} as tsquery)`;
  const newestRows = (rows: number) =>
    sql`(select seq, words from document_search where office_id = ${officeId} and ${past('seq')}
      order by seq ${direction} limit ${rows}) as w`;
  const walk = (rows: number) =>
    page(joined(db, sql<{ seq: number }>`(select w.seq from ${newestRows(rows)} where w.words @@ ${query})`));
  const walked = await walk(WALK_ROWS);
  if (walked.length >= order.limit) return walked;
  // Dense matches that the page's filters thinned out: a longer walk, which stops at the page's end.
  const { rows: counted } = await sql<{ matches: number | string }>`select count(*) as matches
    from ${newestRows(WALK_ROWS)} where w.words @@ ${query}`.execute(db);
  if (Number(counted[0]?.matches ?? 0) >= DENSE_MATCHES) {
    const further = await walk(LONG_WALK_ROWS);
    if (further.length >= order.limit) return further;
  }
  // Sparse matches: the GIN index intersects the terms' lists, and only the matches are joined
  // and sorted. The materialised CTE is planned for all its rows, without the page's order and
  // limit, and sequential scans, merge and hash joins are off for this statement: the planner's
  // estimate assumes the terms are independent, which words that rarely or never meet are not,
  // and it would otherwise walk the seq index or the table, reading every row (a merge join
  // with the office's million documents took 445 ms for 20 matches; the nested loop, 0.5 ms).
  return db.transaction().execute(async (tx) => {
    // set_config(…, true) is SET LOCAL: all three in one round trip.
    await sql`select set_config('enable_seqscan', 'off', true), set_config('enable_mergejoin', 'off', true),
      set_config('enable_hashjoin', 'off', true)`.execute(tx);
    return page(
      joined(
        tx,
        sql<{
          seq: number;
        }>`(with m as materialized (select seq from document_search where words @@ ${query} and ${past('seq')})
          select seq from m)`,
      ),
    );
  });
}
