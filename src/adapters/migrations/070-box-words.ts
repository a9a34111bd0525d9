import { sql, type Kysely } from 'kysely';
import { documentWords, searchText } from '../../domain/journal/index';

/**
 * The box's word index (docs/office.md): `document_words(office_id, word, seq)`, filled from the
 * existing documents here and at filing afterwards. It replaces the substring search over
 * `documents.search_text`, which is dropped. No foreign keys: the rows are an index derived from
 * `documents`, written in the same transaction, and bulk loads should not pay a check per word.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await inOneTransaction(db, createAndFill);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await inOneTransaction(db, restoreSearchText);
}

/**
 * Kysely runs SQLite migrations outside a transaction (PostgreSQL ones inside one). The back-fill
 * should commit once, and a failure should leave nothing half done, on both.
 */
export async function inOneTransaction(db: Kysely<unknown>, work: (tx: Kysely<unknown>) => Promise<void>) {
  if (db.isTransaction) await work(db);
  else await db.transaction().execute(work);
}

async function createAndFill(db: Kysely<unknown>): Promise<void> {
  await createWordTable(db);
  await db.schema.alterTable('documents').dropColumn('search_text').execute();
}

/** The word table, filled from the documents; also what undoing 240-box-full-text restores. */
export async function createWordTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('document_words')
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('word', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_words_pk', ['office_id', 'word', 'seq'])
    .execute();

  // Back-fill in keyset batches of documents, a few hundred rows per insert.
  let last = -1;
  for (;;) {
    const batch = await sql<{ seq: number; office_id: string; title: string; sender_name: string }>`
      select seq, office_id, title, sender_name from documents where seq > ${last} order by seq limit 1000
    `.execute(db);
    if (batch.rows.length === 0) break;
    const rows = batch.rows.flatMap((d) =>
      documentWords(d.title, d.sender_name).map((word) => ({
        office_id: d.office_id,
        word,
        seq: Number(d.seq),
      })),
    );
    for (let i = 0; i < rows.length; i += 300)
      await sql`insert into document_words (office_id, word, seq) values ${sql.join(
        rows.slice(i, i + 300).map((r) => sql`(${r.office_id}, ${r.word}, ${r.seq})`),
      )}`.execute(db);
    last = Number(batch.rows[batch.rows.length - 1]!.seq);
  }

  // Built after the back-fill, which is faster than keeping it up to date row by row.
  await db.schema
    .createIndex('document_words_document')
    .on('document_words')
    .columns(['seq', 'word'])
    .execute();
}

async function restoreSearchText(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('documents').addColumn('search_text', 'text').execute();
  const rows = await sql<{
    id: string;
    title: string;
    sender_name: string;
  }>`select id, title, sender_name from documents`.execute(db);
  for (const row of rows.rows)
    await sql`update documents set search_text = ${searchText(row.title, row.sender_name)} where id = ${row.id}`.execute(
      db,
    );
  await db.schema.dropTable('document_words').execute();
}
