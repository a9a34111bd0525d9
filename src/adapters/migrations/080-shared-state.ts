import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * State that every node of an installation shares: rate-limit counters and leases for
 * singleton periodic work (see docs/scaling.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Counters are worth nothing after a crash: on PostgreSQL the table is UNLOGGED, so the
  // upsert made on every API request writes no WAL and does not wait for a flush.
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('rate_limit_counters')
    .$call((t) => (postgres ? t.modifyFront(sql`unlogged`) : t))
    // The limit's name and the client's key (token, address or account).
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_counters_pk', ['key', 'window_start'])
    .execute();
  await db.schema
    .createIndex('rate_limit_counters_expiry')
    .on('rate_limit_counters')
    .column('expires_at')
    .execute();
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('leases').execute();
  await db.schema.dropTable('rate_limit_counters').execute();
}
