import type { Kysely } from 'kysely';

/**
 * The public transparency log: its leaves, the hashes of its complete subtrees (so roots and
 * proofs need O(log n) reads) and its signed checkpoints. Hashes are lower-case hex.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tlog_leaves')
    .addColumn('leaf_index', 'integer', (c) => c.primaryKey())
    // NULL only between reserving an index and recording the hash, inside one transaction.
    .addColumn('entry_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tlog_nodes')
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('node_index', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tlog_nodes_pk', ['level', 'node_index'])
    .execute();

  await db.schema
    .createTable('tlog_checkpoints')
    .addColumn('tree_size', 'integer', (c) => c.primaryKey())
    .addColumn('root_hash', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['tlog_checkpoints', 'tlog_nodes', 'tlog_leaves'])
    await db.schema.dropTable(table).execute();
}
