import type { Kysely } from 'kysely';

/**
 * Which client a failed password came from (a digest of its address):
 * wrong passwords lock out that client, not the account (docs/security.md, row 15).
 * Failures of a second factor or a fresh confirmation keep `client` empty.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('login_failures').addColumn('client', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('login_failures').dropColumn('client').execute();
}
