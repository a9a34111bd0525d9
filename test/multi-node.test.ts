import assert from 'node:assert/strict';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CHECKPOINT_LEASE, createApp } from '../src/app';
import { ManualClock } from '../src/ports/clock';
import { WEBHOOK_JOB } from '../src/services/webhooks';
import { testDialects } from './helpers/databases';
import { startNodes, type TestNodes } from './helpers/nodes';
import { startS3, type TestS3 } from './helpers/s3';
import { samplePdf } from './helpers/sample-files';
import { WebClient } from './helpers/web-client';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const BOX = 'umczestochowa/skrytka';

async function until<T>(what: string, found: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const value = await found();
    if (value !== undefined) return value;
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

// Several nodes share PostgreSQL: the embedded SQLite setup is one machine (see WORKERS).
describe(
  'two nodes on one PostgreSQL schema and one S3 bucket',
  { skip: !testDialects().includes('postgres') && 'needs TEST_DATABASE_URL' },
  () => {
    let cluster: TestNodes;
    let a: TestNodes['nodes'][number];
    let b: TestNodes['nodes'][number];
    // One clock for both nodes (as NTP gives machines): rate-limit windows do not roll over mid-test.
    const clock = new ManualClock('2026-11-26T10:00:00.000Z');
    const webhooks: { id: string; body: { type: string; data: { documentId: string } } }[] = [];
    let receiver: http.Server;
    let s3: TestS3;

    const token = async (scope: 'submit' | 'pull' | 'admin', name: string) =>
      (await a.app.services.createIntegrationToken({ officeId: 'umczestochowa', scope, name })).token;
    const api = (node: typeof a, path: string, bearer: string, init: RequestInit = {}) =>
      fetch(`${node.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${bearer}`, ...(init.headers as Record<string, string>) },
      });
    const file = (node: typeof a, bearer: string, content: Buffer) => {
      const body = new FormData();
      body.append(
        'document',
        new Blob([new Uint8Array(content)], { type: 'application/pdf' }),
        'wniosek.pdf',
      );
      return api(node, `/api/v1/boxes/${BOX}/documents`, bearer, { method: 'POST', body });
    };

    before(async () => {
      receiver = http.createServer((request, response) => {
        let text = '';
        request.on('data', (chunk: Buffer) => (text += chunk.toString()));
        request.on('end', () => {
          webhooks.push({
            id: String(request.headers['webhook-id']),
            body: JSON.parse(text) as (typeof webhooks)[number]['body'],
          });
          response.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      s3 = await startS3();
      // Both nodes poll for jobs every 20 ms.
      cluster = await startNodes(2, {
        clock,
        demo: true,
        env: {
          JOBS_POLL_MS: '20',
          API_RATE_LIMIT_PER_MINUTE: '6',
          WEBHOOKS_ALLOW_PRIVATE: 'true',
          ...s3.env,
        },
      });
      [a, b] = cluster.nodes as [typeof a, typeof b];
      // The demo's letters are not part of this test's queue.
      await a.app.database.db.updateTable('documents').set({ acked_at: clock.now().toISOString() }).execute();
      await a.app.services.createWebhookEndpoint({
        actor: { tokenId: 'test' },
        officeId: 'umczestochowa',
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
        events: ['document.received'],
      });
    });
    after(async () => {
      await cluster?.dispose();
      await s3?.stop();
      receiver?.close();
    });

    test('a document filed through the API on node A is pulled, with its file, on node B', async () => {
      const content = samplePdf('filed on A');
      const filed = await file(a, await token('submit', 'Nadawca'), content);
      assert.equal(filed.status, 201, await filed.clone().text());
      const { documentId } = (await filed.json()) as { documentId: string };

      const pull = await token('pull', 'EZD');
      assert.deepEqual(await (await api(b, `/api/v1/boxes/${BOX}/pending`, pull)).json(), { count: 1 });
      const next = await api(b, `/api/v1/boxes/${BOX}/pending/next`, pull, { method: 'POST' });
      assert.equal(next.status, 200);
      const leased = (await next.json()) as { documentId: string; files: { href: string; sha256: string }[] };
      assert.equal(leased.documentId, documentId);
      const download = await api(b, leased.files[0]!.href, pull);
      assert.equal(download.status, 200);
      assert.equal(
        sha(Buffer.from(await download.arrayBuffer())),
        sha(content),
        'node B serves the bytes node A stored',
      );
      assert.equal(
        await s3.client
          .send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `blobs/${sha(content)}` }))
          .then(() => true),
        true,
        'the file is in the bucket',
      );
      assert.equal(
        fs.existsSync(path.join(cluster.env.config.dataDir, 'blobs')),
        false,
        'and not in a data directory',
      );
      const ack = await api(b, `/api/v1/documents/${documentId}/ack`, pull, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sha256: leased.files[0]!.sha256 }),
      });
      assert.equal(ack.status, 204);
      assert.deepEqual(
        await (await api(a, `/api/v1/boxes/${BOX}/pending`, pull)).json(),
        { count: 0 },
        'acknowledged on B, gone on A',
      );
    });

    test('jobs enqueued on node A run exactly once while both nodes poll', async () => {
      webhooks.length = 0;
      const submit = await token('submit', 'Nadawca seryjny');
      const documents: string[] = [];
      for (let i = 0; i < 6; i++) {
        const filed = await file(a, submit, samplePdf(`job ${i}`));
        assert.equal(filed.status, 201);
        documents.push(((await filed.json()) as { documentId: string }).documentId);
      }
      await until('every webhook delivered', async () =>
        webhooks.length >= documents.length ? true : undefined,
      );
      // Time for a second (wrong) run to show up.
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(webhooks.length, documents.length, 'one request per event');
      assert.deepEqual(webhooks.map((w) => w.body.data.documentId).sort(), [...documents].sort());
      assert.equal(new Set(webhooks.map((w) => w.id)).size, documents.length);
      const jobs = await b.app.database.db
        .selectFrom('jobs')
        .select(['attempts', 'outcome', 'locked_by'])
        .where('kind', '=', WEBHOOK_JOB)
        .execute();
      assert.ok(jobs.length >= documents.length);
      for (const job of jobs) {
        assert.equal(job.outcome, 'done');
        assert.equal(Number(job.attempts), 1, 'claimed once');
        assert.ok([a.app.nodeId, b.app.nodeId].includes(job.locked_by ?? ''));
      }
    });

    test('a login on node A is valid on node B, and a logout on B ends it on A', async () => {
      const onA = new WebClient(a.app.http);
      const login = await onA.logIn('urzednik@example.pl', 'demo-password-123');
      assert.equal(login.statusCode, 303);
      const onB = Object.assign(new WebClient(b.app.http), { cookies: onA.cookies });
      const account = await onB.get('/konto');
      assert.equal(account.statusCode, 200, 'the session cookie from A is accepted by B');
      assert.match(account.body, /urzednik@example\.pl/);
      assert.equal((await onB.post('/wyloguj', {})).statusCode, 303);
      const oldCookieOnA = await onA.get('/konto');
      assert.notEqual(oldCookieOnA.statusCode, 200, 'the session ended on B is gone on A');
    });

    test('a token has one rate-limit budget across the nodes', async () => {
      const pull = await token('pull', 'Odpytujący');
      const pending = (node: typeof a) => api(node, `/api/v1/boxes/${BOX}/pending`, pull);
      for (let i = 0; i < 3; i++) {
        assert.equal((await pending(a)).status, 200);
        assert.equal((await pending(b)).status, 200);
      }
      const refusedOnA = await pending(a);
      assert.equal(refusedOnA.status, 429, 'six requests spent the budget of six, three on each node');
      assert.ok(Number(refusedOnA.headers.get('retry-after')) >= 1);
      assert.equal((await pending(b)).status, 429);
    });

    test('a node with another transparency log key is refused at start, with the reason', async () => {
      const ownDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-other-node-'));
      try {
        await assert.rejects(
          createApp({
            config: { ...cluster.env.config, dataDir: ownDir },
            pgSchema: cluster.env.pgSchema!,
            clock,
          }),
          /log key of this node .* is not the installation's .*log-ed25519\.pem/,
        );
      } finally {
        fs.rmSync(ownDir, { recursive: true, force: true });
      }
    });

    test('one node signs checkpoints; when it stops, the other takes over', async () => {
      const holder = await a.app.services.leaseHolder(CHECKPOINT_LEASE.name);
      const [signer, other] = holder === a.app.nodeId ? [a, b] : [b, a];
      assert.equal(holder, signer.app.nodeId);
      const submit = await token('submit', 'Po zmianie');
      const size = async () => Number((await other.app.services.latestCheckpoint())?.split('\n')[1]);
      const grown = async (than: number) =>
        until('a checkpoint of the grown log', async () => ((await size()) > than ? true : undefined));
      let before = await size();
      assert.equal((await file(other, submit, samplePdf('before the handover'))).status, 201);
      await grown(before);
      await signer.app.close();
      cluster.nodes.splice(cluster.nodes.indexOf(signer), 1);
      await until('the lease taken over', async () =>
        (await other.app.services.leaseHolder(CHECKPOINT_LEASE.name)) === other.app.nodeId ? true : undefined,
      );
      before = await size();
      assert.equal((await file(other, submit, samplePdf('after the handover'))).status, 201);
      await grown(before);
    });
  },
);
