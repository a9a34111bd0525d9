import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('integration_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('box_name', 'text', (c) => c.notNull())
    .addColumn('sender_type', 'text', (c) => c.notNull())
    .addColumn('sender_ref', 'text', (c) => c.notNull())
    .addColumn('sender_name', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('main_sha256', 'text', (c) => c.notNull())
    .addColumn('total_size', 'integer', (c) => c.notNull())
    .addColumn('file_count', 'integer', (c) => c.notNull())
    .addColumn('signature_status', 'text', (c) => c.notNull())
    .addColumn('signature_report', 'text')
    .addColumn('idempotency_key', 'text')
    .addColumn('request_digest', 'text')
    .addColumn('receipt_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addColumn('acked_at', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('lease_owner', 'text')
    .execute();
  await db.schema
    .createIndex('documents_pending')
    .on('documents')
    .columns(['office_id', 'box_name', 'acked_at', 'seq'])
    .execute();
  await db.schema
    .createIndex('documents_idempotency')
    .on('documents')
    .columns(['sender_type', 'sender_ref', 'idempotency_key'])
    .unique()
    .execute();
  await db.schema
    .createIndex('documents_office_received')
    .on('documents')
    .columns(['office_id', 'received_at', 'id'])
    .execute();
  await db.schema
    .createIndex('documents_sender')
    .on('documents')
    .columns(['sender_type', 'sender_ref', 'received_at'])
    .execute();

  await db.schema
    .createTable('document_files')
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('format_id', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('findings', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_files_pk', ['document_id', 'position'])
    .execute();
  await db.schema.createIndex('document_files_sha256').on('document_files').column('sha256').execute();

  await db.schema
    .createTable('receipts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('log_index', 'integer')
    .addColumn('xml', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('receipts_document').on('receipts').column('document_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['receipts', 'document_files', 'documents', 'integration_tokens'])
    await db.schema.dropTable(table).execute();
}
