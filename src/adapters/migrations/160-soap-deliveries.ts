import type { Kysely } from 'kysely';

/**
 * Letters an EZD sends through the SOAP `doreczyciel` and `skrytka` services: the office box the
 * proof of receipt goes back to, and the EZD's own document and case ids it echoes. Boxes get
 * an order, so an office's main box stays first when it has others (e.g. a reply box).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('boxes')
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('deliveries').addColumn('reply_box', 'text').execute();
  await db.schema.alterTable('deliveries').addColumn('ezd_document_id', 'text').execute();
  await db.schema.alterTable('deliveries').addColumn('ezd_case_id', 'text').execute();
  // The document the proof of receipt became in the reply box.
  await db.schema.alterTable('deliveries').addColumn('reply_document_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['reply_document_id', 'ezd_case_id', 'ezd_document_id', 'reply_box'])
    await db.schema.alterTable('deliveries').dropColumn(column).execute();
  await db.schema.alterTable('boxes').dropColumn('position').execute();
}
