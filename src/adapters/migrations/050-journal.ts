import { sql, type Kysely } from 'kysely';
import { searchText } from '../../domain/journal/index';

/**
 * The office's side of the box: departments, the journal counter per office and year, notes,
 * and the columns the journal adds to documents (with the indexes the box's keyset pages need).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('departments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('departments_office_name', ['office_id', 'name'])
    .execute();

  // One row per office and year, bumped inside the registering transaction: gapless by construction.
  await db.schema
    .createTable('journal_counters')
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('journal_counters_pk', ['office_id', 'year'])
    .execute();

  await db.schema
    .createTable('document_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('document_notes_document')
    .on('document_notes')
    .columns(['document_id', 'created_at'])
    .execute();

  for (const column of [
    'registration_number',
    'registered_at',
    'department_id',
    'assignee_id',
    'closed_at',
    'search_text',
  ]) {
    await db.schema.alterTable('documents').addColumn(column, 'text').execute();
  }
  await db.schema
    .createIndex('documents_registration_number')
    .on('documents')
    .column('registration_number')
    .unique()
    .execute();
  // Keyset pages run in seq order within an office, optionally narrowed by status.
  await db.schema.createIndex('documents_box').on('documents').columns(['office_id', 'seq']).execute();
  await db.schema
    .createIndex('documents_box_status')
    .on('documents')
    .columns(['office_id', 'status', 'seq'])
    .execute();
  await db.schema
    .createIndex('documents_journal')
    .on('documents')
    .columns(['office_id', 'registered_at'])
    .execute();

  const rows = await sql<{
    id: string;
    title: string;
    sender_name: string;
  }>`select id, title, sender_name from documents`.execute(db);
  for (const row of rows.rows)
    await sql`update documents set search_text = ${searchText(row.title, row.sender_name)} where id = ${row.id}`.execute(
      db,
    );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of [
    'documents_registration_number',
    'documents_box',
    'documents_box_status',
    'documents_journal',
  ])
    await db.schema.dropIndex(index).execute();
  for (const column of [
    'registration_number',
    'registered_at',
    'department_id',
    'assignee_id',
    'closed_at',
    'search_text',
  ]) {
    await db.schema.alterTable('documents').dropColumn(column).execute();
  }
  for (const table of ['document_notes', 'journal_counters', 'departments'])
    await db.schema.dropTable(table).execute();
}
