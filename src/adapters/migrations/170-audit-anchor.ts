import type { Kysely } from 'kysely';

/**
 * The audit log under a key kept outside the database (docs/security.md, row 6): a MAC per
 * entry (entries written before stay without one) and the MAC'd newest entry, `audit_head`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('mac', 'text').execute();
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('mac', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_head').execute();
  await db.schema.alterTable('audit_log').dropColumn('mac').execute();
}
