import type { Kysely } from 'kysely';

/**
 * The nodes of an installation, each as it describes itself when it starts and every few
 * seconds after: `doctor` compares their settings, keys and versions. Additive only (expand):
 * a node of the release before keeps running against it (docs/operations.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('nodes')
    .addColumn('node_id', 'text', (c) => c.primaryKey())
    .addColumn('node_name', 'text', (c) => c.notNull())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('migration_level', 'text', (c) => c.notNull())
    // JSON objects: setting name → value (secrets as digests); key name → fingerprint.
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('keys', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('nodes').execute();
}
