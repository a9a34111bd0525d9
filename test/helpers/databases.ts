import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config';
import type { Dialect } from '../../src/ports/database';

export const IN_CI = process.env.CI === 'true';

/**
 * The databases every database test runs on: SQLite always, PostgreSQL when
 * TEST_DATABASE_URL is set. Under CI=true a missing PostgreSQL is a failure, never a skip.
 */
export function testDialects(): Dialect[] {
  const url = process.env.TEST_DATABASE_URL;
  if (!url && IN_CI)
    throw new Error('TEST_DATABASE_URL must be set under CI=true: the PostgreSQL suite may not be skipped');
  return url ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestEnvironment {
  config: Config;
  dialect: Dialect;
  /** PostgreSQL schema made for this environment, if any. */
  pgSchema: string | undefined;
  cleanup(): Promise<void>;
}

/**
 * A fresh, isolated place to run the application: a temporary data directory and, on
 * PostgreSQL, a schema of its own that is dropped afterwards.
 */
export async function testEnvironment(
  dialect: Dialect,
  env: Record<string, string> = {},
): Promise<TestEnvironment> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-test-'));
  let pgSchema: string | undefined;
  const url = process.env.TEST_DATABASE_URL;
  if (dialect === 'postgres') {
    if (!url) throw new Error('TEST_DATABASE_URL is not set');
    pgSchema = `t_${randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE SCHEMA ${pgSchema}`);
    await client.end();
  }
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PUBLIC_URL: 'http://localhost:3000',
    // Many tests exercise the local trusted-profile register; those about its absence turn it off.
    LOCAL_TRUSTED_PROFILES: 'true',
    // Waiting for one of the pool's connections counts against this limit: on a busy machine
    // tens of concurrent requests may wait longer than the production default of 5 s. The tests
    // about the limit itself set their own.
    DATABASE_CONNECT_TIMEOUT_SECONDS: '300',
    ...(dialect === 'postgres' && url ? { DATABASE_URL: url } : {}),
    ...env,
  });
  return {
    config,
    dialect,
    pgSchema,
    async cleanup() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (pgSchema && url) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
        await client.end();
      }
    },
  };
}

/**
 * Records every statement node-postgres sends, with the connection that sent it, until the
 * returned `stop`: for tests about how many round trips a piece of work takes.
 */
export function recordPostgresStatements(): {
  sent: Array<{ client: pg.Client; text: string }>;
  stop(): void;
} {
  const sent: Array<{ client: pg.Client; text: string }> = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as string | { text?: string };
    sent.push({ client: this, text: typeof config === 'string' ? config : String(config?.text) });
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  return {
    sent,
    stop() {
      pg.Client.prototype.query = query;
    },
  };
}
