import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type SqliteDatabase, sql, type MigrationProvider } from 'kysely';
import pg from 'pg';
import type { Database, Dialect, Schema } from '../ports/database';
import { migrations } from './migrations/index';

// PostgreSQL returns BIGINT (e.g. COUNT(*)) as a string; our counts fit in a JS number.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export interface DatabaseOptions {
  /** postgres:// URL; when absent, SQLite in `<dataDir>/urzad.sqlite`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** PostgreSQL only: the schema to use (tests isolate themselves this way). */
  pgSchema?: string;
  /** Pool size on PostgreSQL. */
  poolSize?: number;
}

export interface OpenDatabase {
  db: Database;
  dialect: Dialect;
  /** PostgreSQL schema the database was opened in, when one was given. */
  pgSchema?: string | undefined;
  close(): Promise<void>;
}

export function openDatabase(options: DatabaseOptions): OpenDatabase {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
    });
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', pgSchema: options.pgSchema, close: () => db.destroy() };
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, 'urzad.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL makes every commit durable before we acknowledge anything.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/**
 * Kysely prepares every query anew; on SQLite preparing costs more than running a small
 * statement, so prepared statements are kept by their SQL text (SQLite re-prepares them itself
 * after a schema change). Queries with inline values would fill the cache: it is bounded.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(query: string) {
      let statement = cache.get(query);
      if (!statement) {
        statement = sqlite.prepare(query);
        if (cache.size >= 500) cache.delete(cache.keys().next().value as string);
        cache.set(query, statement);
      }
      return statement as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
  };
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies every pending migration; returns the names applied. */
export async function migrate(db: Database, dialect: Dialect): Promise<string[]> {
  // Kysely looks for its migration tables in any schema unless told which: on PostgreSQL name
  // the current one, or a database holding several schemas (tests, shared servers) confuses it.
  const migrationTableSchema =
    dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({ db, provider, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
