import fs from 'node:fs';
import fsp from 'node:fs/promises';
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
  type SqliteStatement,
  type TableMetadata,
  sql,
  type MigrationProvider,
  type Migration,
} from 'kysely';
import pg from 'pg';
import type { Database, Dialect, FlushCommits, Schema } from '../ports/database';
import { migrations } from './migrations/index';
import { unavailable } from '../domain/errors';

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
  /** PostgreSQL: give up connecting after this long. */
  connectTimeoutMs?: number;
  /**
   * PostgreSQL: the server cancels a statement running longer than this, and the client gives
   * up on a connection that has not answered a little after it (a frozen network).
   */
  statementTimeoutMs?: number;
  /** PostgreSQL: `application_name` of the connections (shows the node in pg_stat_activity). */
  applicationName?: string;
  /** Told about connection errors that are handled (a dropped idle connection, say). */
  onConnectionError?: (error: Error) => void;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
/** The client's own limit past the server's statement_timeout: only a dead network reaches it. */
const CLIENT_GRACE_MS = 2_000;

export interface OpenDatabase {
  db: Database;
  dialect: Dialect;
  /** PostgreSQL schema the database was opened in, when one was given. */
  pgSchema?: string | undefined;
  /** SQLite: the durable flush of commits made without waiting for the disk (FlushCommits). */
  flushCommits?: FlushCommits;
  close(): Promise<void>;
}

export function openDatabase(options: DatabaseOptions): OpenDatabase {
  if (options.databaseUrl) {
    const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      statement_timeout: statementTimeoutMs,
      query_timeout: statementTimeoutMs + CLIENT_GRACE_MS,
      // A transaction left open by a frozen client does not hold its locks for ever.
      idle_in_transaction_session_timeout: statementTimeoutMs + CLIENT_GRACE_MS,
      keepAlive: true,
      ...(options.applicationName ? { application_name: options.applicationName.slice(0, 63) } : {}),
      ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
    });
    const reportError = options.onConnectionError ?? (() => {});
    // An idle connection the server drops (restart, failover, pg_terminate_backend, a pooler)
    // emits 'error'; unheard, that event would end the process. The pool replaces the client.
    pool.on('error', reportError);
    const db = new Kysely<Schema>({
      dialect: new CurrentSchemaPostgresDialect({ pool: resilientPool(pool, reportError) }),
    });
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
  const wal = `${file}-wal`;
  const flushCommits = async (): Promise<void> => {
    // Opened afresh each time (cheap next to the fdatasync), so never a descriptor of a WAL
    // file SQLite has since removed (it deletes the WAL when the last connection closes).
    const handle = await fsp.open(wal, 'r');
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
  };
  return { db, dialect: 'sqlite', flushCommits, close: () => db.destroy() };
}

/** Errors meaning the connection, not the statement, failed: the connection is thrown away. */
function isConnectionError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  return (
    // Socket errors (ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, EHOSTUNREACH…).
    /^E[A-Z]+$/.test(code) ||
    // SQLSTATE class 08 (connection exception), 57P01-57P03 (shutdown, cannot connect now).
    /^08/.test(code) ||
    /^57P0[123]$/.test(code) ||
    /Connection terminated|Query read timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|not queryable/i.test(
      message,
    )
  );
}

/**
 * The pool as Kysely sees it, with two repairs: a client whose connection failed (reset,
 * frozen past its timeout, terminated by the server) is destroyed on release instead of going
 * back to the pool, and such failures become the 503 "database unavailable" error; every
 * client has an 'error' listener while it is checked out, so a connection dropped under a
 * running request fails that request, never the process.
 */
function resilientPool(pool: pg.Pool, reportError: (error: Error) => void) {
  const listened = new WeakSet<pg.PoolClient>();
  const fail = (error: unknown): never => {
    if (isConnectionError(error)) {
      const wrapped = unavailable('database');
      (wrapped as Error & { cause?: unknown }).cause = error;
      throw wrapped;
    }
    throw error;
  };
  return {
    async connect() {
      const client = await pool.connect().catch(fail);
      if (!listened.has(client)) {
        listened.add(client);
        client.on('error', reportError);
      }
      let broken = false;
      return {
        query(text: unknown, parameters?: unknown) {
          // Cursors (streaming) are passed through as they are.
          if (typeof text !== 'string') return (client.query as (q: unknown) => unknown)(text);
          return client.query(text, parameters as unknown[]).catch((error: unknown) => {
            if (isConnectionError(error)) broken = true;
            return fail(error);
          });
        },
        release(destroy?: boolean) {
          client.release(destroy === true || broken);
        },
      };
    },
    end: () => pool.end(),
  } as unknown as pg.Pool;
}

/**
 * Kysely prepares every query anew; on SQLite preparing costs more than running a small
 * statement, so prepared statements are kept by their SQL text (SQLite re-prepares them itself
 * after a schema change). Queries with inline values would fill the cache: it is bounded.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      // Transactions take the write lock when they begin: with several processes on one file
      // (WORKERS), a transaction that had read first could not start writing once another
      // process had committed (SQLITE_BUSY at once, without waiting for busy_timeout).
      const query = text === 'begin' ? 'begin immediate' : text;
      let statement = cache.get(query);
      if (!statement) {
        statement = rowsAsObjects(sqlite.prepare(query));
        if (cache.size >= 500) cache.delete(cache.keys().next().value as string);
        cache.set(query, statement);
      }
      return statement;
    },
  };
}

/**
 * A statement whose rows come as arrays and are made objects here: better-sqlite3 sets each
 * column of each row on a new object through V8's API, which costs more than reading the row
 * (a box page's 51 rows of 13 columns: about a third less CPU this way). Only for a select
 * that names its columns: their names and order are then fixed by its text, whereas a `*`
 * takes the table's columns as they are at each run (a migration may change them).
 */
function rowsAsObjects(statement: SQLite.Statement): SqliteStatement {
  if (!statement.reader || statement.source.includes('*')) return statement;
  const names = statement.columns().map((c) => c.name);
  statement.raw(true);
  const toObject = (row: unknown[]): Record<string, unknown> => {
    const object: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i += 1) object[names[i]!] = row[i];
    return object;
  };
  return {
    reader: true,
    all: (parameters: readonly unknown[]) => (statement.all(parameters) as unknown[][]).map(toObject),
    run: (parameters: readonly unknown[]) => statement.run(parameters),
    *iterate(parameters: readonly unknown[]) {
      for (const row of statement.iterate(parameters) as IterableIterator<unknown[]>) yield toObject(row);
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

/** Names of the migrations applied to the database, in the order applied (none on a new database). */
async function appliedMigrations(db: Database, schema: string | undefined): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === 'kysely_migration')) return [];
  const table = schema ? sql.table(`${schema}.kysely_migration`) : sql.table('kysely_migration');
  const { rows } = await sql<{ name: string }>`select name from ${table} order by timestamp, name`.execute(
    db,
  );
  return rows.map((r) => r.name);
}

async function currentSchema(db: Database, dialect: Dialect): Promise<string | undefined> {
  return dialect === 'postgres'
    ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
    : undefined;
}

/** Where the database stands against the migrations this release knows. */
export interface MigrationLevel {
  /** Known to this release and not applied yet. */
  pending: string[];
  /** Applied by a newer release and unknown to this one. */
  newer: string[];
}

export async function migrationLevel(
  db: Database,
  dialect: Dialect,
  known: Record<string, Migration> = migrations,
): Promise<MigrationLevel> {
  const applied = await appliedMigrations(db, await currentSchema(db, dialect));
  const appliedSet = new Set(applied);
  return {
    pending: Object.keys(known).filter((name) => !appliedSet.has(name)),
    newer: applied.filter((name) => !(name in known)),
  };
}

/**
 * Applies every pending migration; returns the names applied. A database already migrated by
 * a newer release (rolling upgrade: docs/operations.md) is left as it is when it holds every
 * migration this release knows — migrations only expand the schema while older nodes run —
 * and refused when it lacks one of them (this release's pending migration would have to run
 * after newer ones).
 */
export async function migrate(
  db: Database,
  dialect: Dialect,
  known: Record<string, Migration> = migrations,
): Promise<string[]> {
  const level = await migrationLevel(db, dialect, known);
  if (level.newer.length > 0) {
    if (level.pending.length === 0) return [];
    throw new Error(
      `The database has migrations of a newer release (${level.newer.join(', ')}) but lacks ${level.pending.join(', ')} of this one: ` +
        'run this release only against a database of its own or a newer level. / ' +
        `Baza danych ma migracje nowszego wydania (${level.newer.join(', ')}), ale brak w niej migracji ${level.pending.join(', ')} tego wydania.`,
    );
  }
  // Kysely looks for its migration tables in any schema unless told which: on PostgreSQL name
  // the current one, or a database holding several schemas (tests, shared servers) confuses it.
  const migrationTableSchema = await currentSchema(db, dialect);
  const provider: MigrationProvider = { getMigrations: async () => known };
  const migrator = new Migrator({ db, provider, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
