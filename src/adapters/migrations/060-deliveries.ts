import type { Kysely } from 'kysely';

/**
 * Letters from an office to a resident: the delivery with its state and proofs, and its files.
 * Proof of sending is made at dispatch; proof of receipt (UPD) on confirmation or deemed delivery.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('recipient_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('sender_name', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('in_reply_to', 'text', (c) => c.references('documents.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text')
    .addColumn('deemed_at', 'text')
    .addColumn('sending_proof_id', 'text', (c) => c.notNull())
    .addColumn('receipt_proof_id', 'text')
    .execute();
  await db.schema
    .createIndex('deliveries_recipient')
    .on('deliveries')
    .columns(['recipient_account_id', 'sent_at'])
    .execute();
  await db.schema
    .createIndex('deliveries_office')
    .on('deliveries')
    .columns(['office_id', 'sent_at'])
    .execute();
  await db.schema.createIndex('deliveries_in_reply_to').on('deliveries').column('in_reply_to').execute();

  await db.schema
    .createTable('delivery_files')
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('deliveries.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('delivery_files_pk', ['delivery_id', 'position'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['delivery_files', 'deliveries']) await db.schema.dropTable(table).execute();
}
