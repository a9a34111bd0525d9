import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  type DatabaseIntrospector,
  type DatabaseMetadata,
  Kysely,
  Migrator,
  PostgresDialect,
  type SchemaMetadata,
  SqliteDialect,
  type SqliteDatabase,
  type TableMetadata,
  sql,
  type MigrationProvider,
} from 'kysely';
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
    const db = new Kysely<Schema>({ dialect: new CurrentSchemaPostgresDialect({ pool }) });
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
    prepare(text: string) {
      // Transactions take the write lock when they begin: with several processes on one file
      // (WORKERS), a transaction that had read first could not start writing once another
      // process had committed (SQLITE_BUSY at once, without waiting for busy_timeout).
      const query = text === 'begin' ? 'begin immediate' : text;
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

/**
 * Kysely's PostgreSQL introspector reads every schema of the database and names each in
 * has_schema_privilege(), which fails when another process drops a schema meanwhile (tests,
 * shared servers). The migrator needs only the current schema's tables: look there alone.
 */
class CurrentSchemaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}

class CurrentSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select current_schema() as name`.execute(this.db);
    return rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{
      schema: string;
      table: string;
      column: string;
      type: string;
      nullable: string;
      def: string | null;
    }>`
      select c.table_schema as schema, c.table_name as table, c.column_name as column, c.data_type as type,
             c.is_nullable as nullable, c.column_default as def
      from information_schema.columns c
      where c.table_schema = current_schema()
      order by c.table_name, c.ordinal_position`.execute(this.db);
    const tables = new Map<
      string,
      { name: string; schema: string; isView: boolean; columns: TableMetadata['columns'][number][] }
    >();
    for (const row of rows) {
      let table = tables.get(row.table);
      if (!table)
        tables.set(row.table, (table = { name: row.table, schema: row.schema, isView: false, columns: [] }));
      table.columns.push({
        name: row.column,
        dataType: row.type,
        isNullable: row.nullable === 'YES',
        hasDefaultValue: row.def !== null,
        isAutoIncrementing: row.def?.startsWith('nextval(') ?? false,
      });
    }
    return [...tables.values()];
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies every pending migration; returns the names applied. */
export async function migrate(db: Database, dialect: Dialect): Promise<string[]> {
  // Kysely looks for its migration tables in any schema unless told which: on PostgreSQL name
  // the current one, or a database holding several schemas (tests, shared servers) confuses it.
  const migrationTableSchema =
    dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({ db, provider, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
