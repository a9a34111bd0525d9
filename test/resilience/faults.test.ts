import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { loadConfig } from '../../src/config';
import { IN_CI, testEnvironment, type TestEnvironment } from '../helpers/databases';
import { startFaultRelay, type FaultRelay } from '../helpers/fault-relay';
import { startS3, type TestS3 } from '../helpers/s3';
import { startNode, until, type Node } from './harness';

/**
 * Faults injected between a node and PostgreSQL, and between a node and the S3 server, by a
 * TCP relay: for each, the node stays up, /readyz answers 503 naming the dependency (within
 * its budget: the answer comes while the dependency is still frozen), requests using it fail
 * with a 503 problem instead of hanging, and once the fault is gone the node serves again
 * without a restart; every acknowledged filing is there at the end.
 */
const databaseUrl = process.env.TEST_DATABASE_URL;
if (!databaseUrl && IN_CI) throw new Error('TEST_DATABASE_URL must be set under CI=true');

describe(
  'faults between a node and its dependencies',
  { skip: !databaseUrl && 'needs TEST_DATABASE_URL' },
  () => {
    let env: TestEnvironment;
    let s3: TestS3;
    let pgRelay: FaultRelay;
    let s3Relay: FaultRelay;
    let node: Node;
    const acknowledged: string[] = [];

    const fileAndRemember = async () => {
      const answer = await node.file();
      if (answer.id) acknowledged.push(answer.id);
      return answer.status;
    };
    const recovers = async () => {
      await until('/readyz answers 200 again', async () => (await node.readyz()).status === 200);
      await until('a filing is accepted again', async () => (await fileAndRemember()) === 201);
    };

    before(async () => {
      s3 = await startS3();
      const url = new URL(databaseUrl!);
      pgRelay = await startFaultRelay({ host: url.hostname, port: Number(url.port || 5432) });
      const endpoint = new URL(s3.env.S3_ENDPOINT!);
      s3Relay = await startFaultRelay({ host: endpoint.hostname, port: Number(endpoint.port) });
      env = await testEnvironment('postgres');
      url.hostname = '127.0.0.1';
      url.port = String(pgRelay.port);
      const config = loadConfig({
        DATA_DIR: env.config.dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        PUBLIC_URL: 'http://localhost:3000',
        DATABASE_URL: url.toString(),
        ...s3.env,
        S3_ENDPOINT: `http://127.0.0.1:${s3Relay.port}`,
        NODE_ID: 'fault-test',
        // Short limits: a frozen dependency fails a request after about a second.
        DATABASE_CONNECT_TIMEOUT_SECONDS: '1',
        DATABASE_STATEMENT_TIMEOUT_SECONDS: '1',
        S3_TIMEOUT_SECONDS: '1',
        JOBS_POLL_MS: '0',
      });
      node = await startNode({ config, pgSchema: env.pgSchema! });
      assert.equal(await fileAndRemember(), 201);
    });

    after(async () => {
      await node?.app.close();
      await pgRelay?.close();
      await s3Relay?.close();
      await env?.cleanup();
      await s3?.stop();
    });

    test('PostgreSQL ends the node’s connections (pg_terminate_backend): the node stays up', async () => {
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      try {
        // The connections carry the node's name.
        const { rows } = await admin.query<{ n: number }>(
          `select pg_terminate_backend(pid)::int as n from pg_stat_activity where application_name like 'urzad-online fault-test-%'`,
        );
        assert.ok(rows.length > 0, 'the node’s connections are named after it in pg_stat_activity');
      } finally {
        await admin.end();
      }
      const status = await fileAndRemember();
      assert.ok(status === 201 || status === 503, `a filing answers 201 or 503, not ${status}`);
      assert.equal((await fetch(`${node.url}/healthz`)).status, 200);
      await recovers();
    });

    test('connections to PostgreSQL reset: requests on them fail with 503, the next ones work', async () => {
      pgRelay.reset();
      const status = await fileAndRemember();
      assert.ok(status === 201 || status === 503, `a filing answers 201 or 503, not ${status}`);
      await recovers();
    });

    test('PostgreSQL frozen (black hole): /readyz says {database:false} in time, a filing gets 503', async () => {
      pgRelay.freeze();
      const ready = await node.readyz();
      assert.equal(ready.status, 503);
      assert.deepEqual(ready.checks, { database: false, blobs: true });
      const res = await node.file();
      assert.equal(res.status, 503, 'the filing fails with 503 while the database is frozen');
      assert.equal((await fetch(`${node.url}/healthz`)).status, 200, 'the process is alive');
      await pgRelay.pass();
      await recovers();
    });

    test('PostgreSQL refuses connections: 503 with a problem naming it, then recovery', async () => {
      await pgRelay.refuse();
      await until('/readyz turns 503', async () => (await node.readyz()).status === 503);
      assert.deepEqual((await node.readyz()).checks, { database: false, blobs: true });
      const body = new FormData();
      body.append('document', new Blob([new Uint8Array(Buffer.from('%PDF-1.4\n'))]), 'a.pdf');
      const res = await fetch(`${node.url}/api/v1/boxes/umtest/skrytka/documents`, {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${node.token}`, 'x-request-id': 'fault-refuse-1' },
      });
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('x-request-id'), 'fault-refuse-1');
      const problem = (await res.json()) as { code: string; detail: string };
      assert.equal(problem.code, 'service_unavailable');
      assert.match(problem.detail, /database/);
      await pgRelay.pass();
      await recovers();
    });

    test('S3 frozen: /readyz says {blobs:false} in time, a filing gets 503 and leaves nothing', async () => {
      const before = await node.app.database.db
        .selectFrom('documents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      s3Relay.freeze();
      const ready = await node.readyz();
      assert.equal(ready.status, 503);
      assert.deepEqual(ready.checks, { database: true, blobs: false });
      assert.equal((await node.file()).status, 503);
      const afterFault = await node.app.database.db
        .selectFrom('documents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(afterFault.n), Number(before.n), 'no document row for the refused filing');
      await s3Relay.pass();
      await recovers();
    });

    test('S3 refuses connections, then resets them: 503, then recovery', async () => {
      await s3Relay.refuse();
      assert.deepEqual((await node.readyz()).checks, { database: true, blobs: false });
      assert.equal((await node.file()).status, 503);
      await s3Relay.pass();
      await recovers();
      s3Relay.reset();
      const status = await fileAndRemember();
      assert.ok(status === 201 || status === 503, `a filing answers 201 or 503, not ${status}`);
      await recovers();
    });

    test('every acknowledged filing is intact: found, and fsck is clean', async () => {
      assert.ok(acknowledged.length >= 7);
      for (const id of acknowledged) {
        const res = await fetch(`${node.url}/api/v1/documents/${id}`, {
          headers: { authorization: `Bearer ${node.token}` },
        });
        assert.equal(res.status, 200, `document ${id}`);
      }
      const report = await node.app.services.fsck({ quick: false });
      assert.equal(report.clean, true, JSON.stringify(report).slice(0, 2000));
    });
  },
);
