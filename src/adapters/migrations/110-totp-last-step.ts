import type { Kysely } from 'kysely';

/** The last TOTP time step accepted per account, so a code works once (docs/security.md). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('totp_last_step', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('totp_last_step').execute();
}
