import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ApiError, UrzadClient, verifyWebhook } from '../../src/index';
import { markDemoLettersTaken, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { samplePdf } from '../helpers/sample-files';
import { WebhookReceiver } from '../helpers/webhook-receiver';

const DOCUMENTS = 40;
const PULLERS = 8;

for (const dialect of testDialects()) {
  describe(`the TypeScript client against a real server (${dialect})`, () => {
    let app: TestApp;
    let base = '';
    const receiver = new WebhookReceiver();
    let hookUrl = '';
    const tokens = { submit: '', pull: '', admin: '' };

    before(async () => {
      app = await startTestApp(dialect, {
        demo: true,
        env: { WEBHOOKS_ALLOW_PRIVATE: 'true', JOBS_POLL_MS: '50' },
      });
      await markDemoLettersTaken(app);
      await app.http.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;
      for (const scope of ['submit', 'pull', 'admin'] as const) {
        tokens[scope] = (
          await app.services.createIntegrationToken({
            officeId: 'umczestochowa',
            scope,
            name: `Client ${scope}`,
          })
        ).token;
      }
      hookUrl = await receiver.start();
    });
    after(async () => {
      await app.dispose();
      await receiver.stop();
    });

    test(`files ${DOCUMENTS} documents, ${PULLERS} pullers drain the box with no duplicates and no losses, webhooks verify`, async () => {
      const admin = new UrzadClient({ baseUrl: base, token: tokens.admin });
      const endpoint = await admin.createWebhook('umczestochowa', {
        url: hookUrl,
        events: ['document.received'],
        idempotencyKey: 'hook-1',
      });
      assert.match(endpoint.secret, /^whsec_/);
      receiver.secret = endpoint.secret;

      const sender = new UrzadClient({ baseUrl: base, token: tokens.submit });
      const filed = new Map<string, string>();
      for (let i = 0; i < DOCUMENTS; i++) {
        const data = samplePdf(`dokument ${i}`);
        const result = await sender.fileDocument({
          officeId: 'umczestochowa',
          boxName: 'skrytka',
          document: { name: `d${i}.pdf`, data, type: 'application/pdf' },
          title: `Pismo ${i}`,
        });
        filed.set(result.documentId, createHash('sha256').update(data).digest('hex'));
      }

      const puller = new UrzadClient({ baseUrl: base, token: tokens.pull });
      assert.equal(await puller.pendingCount('umczestochowa', 'skrytka'), DOCUMENTS);
      const taken: string[] = [];
      await Promise.all(
        Array.from({ length: PULLERS }, async () => {
          for (;;) {
            const next = await puller.next('umczestochowa', 'skrytka');
            if (!next.document) return;
            const main = next.document.files.find((f) => f.role === 'main')!;
            const bytes = await puller.download(main);
            const digest = createHash('sha256').update(bytes).digest('hex');
            assert.equal(digest, main.sha256);
            taken.push(next.document.documentId);
            await puller.ack(next.document.documentId, digest);
          }
        }),
      );
      assert.equal(new Set(taken).size, taken.length, 'no document handed to two pullers');
      assert.deepEqual([...taken].sort(), [...filed.keys()].sort(), 'none lost');
      assert.equal(await puller.pendingCount('umczestochowa', 'skrytka'), 0);

      // The app's own job runner delivers the webhooks.
      for (let i = 0; i < 200 && receiver.received.length < DOCUMENTS; i++)
        await new Promise((r) => setTimeout(r, 50));
      assert.equal(receiver.received.length, DOCUMENTS);
      for (const hook of receiver.received) {
        assert.ok(hook.signatureValid);
        const headers = {
          'webhook-id': hook.id,
          'webhook-timestamp': String(hook.timestamp),
          'webhook-signature': hook.signature,
        };
        // The client's verifier agrees with the independent one, and refuses a forged signature.
        assert.deepEqual(verifyWebhook(endpoint.secret, headers, hook.body), { ok: true });
        const signed = { ...headers, 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}` };
        assert.deepEqual(verifyWebhook(endpoint.secret, signed, hook.body), {
          ok: false,
          reason: 'bad-signature',
        });
      }
      const documentIds = receiver.received
        .map((h) => (JSON.parse(h.body) as { data: { documentId: string } }).data.documentId)
        .sort();
      assert.deepEqual(documentIds, [...filed.keys()].sort());
    });

    test('errors arrive as ApiError with the problem document', async () => {
      const puller = new UrzadClient({ baseUrl: base, token: tokens.pull, lang: 'en' });
      await assert.rejects(puller.ack('00000000-0000-0000-0000-000000000000', 'zz'), (error: unknown) => {
        assert.ok(error instanceof ApiError);
        assert.equal(error.status, 400);
        assert.match(error.problem?.detail ?? '', /SHA-256/);
        return true;
      });
      const stranger = new UrzadClient({ baseUrl: base, token: 'uo_not-a-real-token-at-all' });
      await assert.rejects(
        stranger.pendingCount('umczestochowa', 'skrytka'),
        (error: unknown) => error instanceof ApiError && error.status === 401,
      );
    });
  });
}
