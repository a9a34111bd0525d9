import { sql, type Kysely } from 'kysely';

/**
 * `/metrics` counts the webhook deliveries still pending, in all offices, at every scrape: a
 * partial index holds only those rows, so the count stays small work however many deliveries
 * were made (docs/operations.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('webhook_deliveries_pending')
    .on('webhook_deliveries')
    .column('created_at')
    .where(sql.ref('status'), '=', 'pending')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('webhook_deliveries_pending').execute();
}
