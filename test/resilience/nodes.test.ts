import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig, type Config } from '../../src/config';
import { migrations } from '../../src/adapters/migrations/index';
import { IN_CI, testEnvironment, type TestEnvironment } from '../helpers/databases';
import { startNode, type Node } from './harness';

/**
 * Several nodes of one installation on one PostgreSQL schema: keys that differ are refused and
 * named, a node of the previous migration level runs against the newest database, and `doctor`
 * names a setting the running nodes do not agree on.
 */
const databaseUrl = process.env.TEST_DATABASE_URL;
if (!databaseUrl && IN_CI) throw new Error('TEST_DATABASE_URL must be set under CI=true');

describe('nodes of one installation', { skip: !databaseUrl && 'needs TEST_DATABASE_URL' }, () => {
  let env: TestEnvironment;
  let first: Node;
  const others: Node[] = [];
  const dirs: string[] = [];

  const configFor = (dataDir: string, extra: Record<string, string> = {}): Config =>
    loadConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      PUBLIC_URL: 'http://localhost:3000',
      DATABASE_URL: databaseUrl!,
      JOBS_POLL_MS: '0',
      ...extra,
    });
  /** A data directory of its own holding a copy of some of the first node's key files. */
  const dataDirWith = (files: string[]): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-node-'));
    dirs.push(dir);
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.copyFileSync(path.join(env.config.dataDir, file), path.join(dir, file));
    }
    return dir;
  };

  before(async () => {
    env = await testEnvironment('postgres');
    first = await startNode({
      config: configFor(env.config.dataDir, { NODE_ID: 'node-a' }),
      pgSchema: env.pgSchema!,
    });
    assert.equal((await first.file()).status, 201, 'the first node seals with its office seal');
  });

  after(async () => {
    for (const node of [first, ...others]) await node?.app.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    await env?.cleanup();
  });

  test('a second node with another platform seal refuses to start, naming the seal', async () => {
    // Same log key (copied), but its own generated CA and seals.
    const dir = dataDirWith(['keys/log-ed25519.pem', 'secrets/cookie-secret']);
    await assert.rejects(
      startNode({ config: configFor(dir, { NODE_ID: 'node-b' }), pgSchema: env.pgSchema! }),
      (error: Error) => {
        assert.match(error.message, /platform seal of this node .* is not the installation's/);
        assert.match(error.message, /SEALS_DIR/);
        return true;
      },
    );
  });

  test('a node with the same platform seal but another office seal refuses to seal with it, naming it', async () => {
    const dir = dataDirWith([
      'keys/log-ed25519.pem',
      'keys/ca.pem',
      'keys/ca.cert.pem',
      'keys/platform.pem',
      'secrets/cookie-secret',
    ]);
    const node = await startNode({ config: configFor(dir, { NODE_ID: 'node-c' }), pgSchema: env.pgSchema! });
    others.push(node);
    // Its office seal is generated here, after the first node's was recorded: it differs.
    assert.equal((await node.file()).status, 500);
    await assert.rejects(node.app.deps.seals.forOffice('umtest', 'Urząd Testowy'), /seal of office umtest/);
    // The operator gives it the installation's seal: picked up without a restart.
    fs.copyFileSync(
      path.join(env.config.dataDir, 'keys/offices/umtest.pem'),
      path.join(dir, 'keys/offices/umtest.pem'),
    );
    node.app.deps.seals.reload();
    assert.equal((await node.file()).status, 201);
  });

  test('a node of the previous migration level runs against the newest database', async () => {
    // This release without its newest migration plays the release before: the database
    // (migrated by the first node) holds a migration it does not know.
    const names = Object.keys(migrations);
    const newest = names.at(-1)!;
    const previous = Object.fromEntries(names.slice(0, -1).map((name) => [name, migrations[name]!]));
    for (const migrateOnStart of ['true', 'false']) {
      const node = await startNode({
        config: configFor(env.config.dataDir, {
          NODE_ID: `previous-${migrateOnStart}`,
          MIGRATE_ON_START: migrateOnStart,
        }),
        pgSchema: env.pgSchema!,
        migrations: previous,
      });
      others.push(node);
      assert.equal((await node.file()).status, 201, `files with MIGRATE_ON_START=${migrateOnStart}`);
      assert.equal((await node.readyz()).status, 200);
    }
    const level = await first.app.database.db
      .selectFrom('nodes')
      .select('migration_level')
      .where('node_name', '=', 'previous-true')
      .executeTakeFirstOrThrow();
    assert.notEqual(level.migration_level, newest);
  });

  test('doctor names a setting the running nodes do not agree on', async () => {
    const node = await startNode({
      config: configFor(env.config.dataDir, { NODE_ID: 'node-d', PULL_LEASE_SECONDS: '90' }),
      pgSchema: env.pgSchema!,
    });
    others.push(node);
    const url = new URL(databaseUrl!);
    url.searchParams.set('options', `-c search_path=${env.pgSchema!}`);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'doctor'], {
      env: { ...process.env, LOG_LEVEL: 'warn', DATA_DIR: env.config.dataDir, DATABASE_URL: url.toString() },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 1, out);
    assert.match(out, /DIFFERS \/ RÓŻNI SIĘ: setting PULL_LEASE_SECONDS/);
    assert.match(out, /node-a \(.*\): 60/);
    assert.match(out, /node-d \(.*\): 90/);
    assert.match(out, /DIFFERS \/ RÓŻNI SIĘ: migration level/);
  });
});
