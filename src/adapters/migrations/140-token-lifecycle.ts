import type { Kysely } from 'kysely';

/** Integration tokens expire, and their last use is recorded (for the office's token list). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('integration_tokens').addColumn('expires_at', 'text').execute();
  await db.schema.alterTable('integration_tokens').addColumn('last_used_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('integration_tokens').dropColumn('last_used_at').execute();
  await db.schema.alterTable('integration_tokens').dropColumn('expires_at').execute();
}
