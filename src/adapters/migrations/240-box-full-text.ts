import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { documentSearchEntries } from '../../domain/journal/index';
import { createWordTable, inOneTransaction } from './070-box-words';

/**
 * The box's search moves from the word table to each engine's own full-text index
 * (docs/office.md), `document_search`, keyed by the document's seq and holding its entries
 * (documentSearchEntries: its office's and its words):
 * - SQLite: a contentless FTS5 table (rowid = seq). `detail=none` keeps only which documents
 *   have a word (no positions: searches never ask for phrases); `prefix='1 2 3'` adds ready
 *   lists for prefixes of up to three characters, so a short last word does not merge the
 *   lists of thousands of words; `document_search_terms` (fts5vocab) lists its words, so a
 *   longer prefix can be expanded into the few words that start with it. The tokenizer keeps `@` and `-` inside a token (the office
 *   entry is one token) and folds no diacritics (the words are folded already).
 * - PostgreSQL: a table `(seq, office_id, words tsvector)` with a GIN index on the words and a
 *   b-tree on `(office_id, seq)` for walking an office's documents in order. The tsvector is
 *   built with array_to_tsvector, which takes the words verbatim (no parser, no dictionary).
 * `document_words` is dropped; the back-fill reads the documents like filing does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await inOneTransaction(db, async (tx) => {
    const postgres = tx.getExecutor().adapter instanceof PostgresAdapter;
    if (postgres)
      await sql`create table document_search (
        seq integer primary key,
        office_id text not null,
        words tsvector not null
      )`.execute(tx);
    else
      await sql`create virtual table document_search using fts5(
        words, content='', detail='none', prefix='1 2 3',
        tokenize="unicode61 remove_diacritics 0 tokenchars '@-'"
      )`.execute(tx);
    // Its vocabulary, to expand a long prefix into the few words it stands for.
    if (!postgres)
      await sql`create virtual table document_search_terms using fts5vocab(document_search, 'row')`.execute(
        tx,
      );

    // Back-fill in keyset batches of documents, a few hundred rows per insert.
    let last = -1;
    for (;;) {
      const batch = await sql<{ seq: number; office_id: string; title: string; sender_name: string }>`
        select seq, office_id, title, sender_name from documents where seq > ${last} order by seq limit 1000
      `.execute(tx);
      if (batch.rows.length === 0) break;
      const rows = batch.rows
        .map((d) => ({
          seq: Number(d.seq),
          officeId: d.office_id,
          words: documentSearchEntries(d.office_id, d.title, d.sender_name),
        }))
        .filter((r) => r.words.length > 0);
      for (let i = 0; i < rows.length; i += 300) {
        const values = rows
          .slice(i, i + 300)
          .map((r) =>
            postgres
              ? sql`(${r.seq}, ${r.officeId}, array_to_tsvector(${r.words}::text[]))`
              : sql`(${r.seq}, ${r.words.join(' ')})`,
          );
        if (values.length === 0) continue;
        if (postgres)
          await sql`insert into document_search (seq, office_id, words) values ${sql.join(values)}`.execute(
            tx,
          );
        else await sql`insert into document_search (rowid, words) values ${sql.join(values)}`.execute(tx);
      }
      last = Number(batch.rows[batch.rows.length - 1]!.seq);
    }

    // Built after the back-fill, which is faster than keeping them up to date row by row.
    if (postgres) {
      await sql`create index document_search_words on document_search using gin (words)`.execute(tx);
      await sql`create index document_search_office on document_search (office_id, seq)`.execute(tx);
    }
    await tx.schema.dropTable('document_words').execute();
  });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await inOneTransaction(db, async (tx) => {
    await createWordTable(tx);
    await tx.schema.dropTable('document_search_terms').ifExists().execute();
    await tx.schema.dropTable('document_search').execute();
  });
}
