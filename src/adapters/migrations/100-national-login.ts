import type { Kysely } from 'kysely';

/**
 * Login through the national node (docs/identity.md): accounts bound to a PESEL, identifiers
 * that may be used once, and the evidence of each national login, kept for its session and
 * for every document filed in it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('national_identities')
    .addColumn('pesel', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) =>
      c.notNull().unique().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('date_of_birth', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_login_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('one_time_ids')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('one_time_ids_expiry').on('one_time_ids').column('expires_at').execute();
  await db.schema
    .createTable('session_authentications')
    .addColumn('session_id', 'text', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
    // JSON of NationalAuthEvidence.
    .addColumn('evidence', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('document_authentications')
    .addColumn('document_id', 'text', (c) => c.primaryKey().references('documents.id').onDelete('cascade'))
    .addColumn('evidence', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'document_authentications',
    'session_authentications',
    'one_time_ids',
    'national_identities',
  ])
    await db.schema.dropTable(t).execute();
}
