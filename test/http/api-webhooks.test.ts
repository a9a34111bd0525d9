import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/ports/clock';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { samplePdf } from '../helpers/sample-files';
import { WebhookReceiver } from '../helpers/webhook-receiver';

const runner = { runnerId: 'test', limit: 20, lockMs: 60_000 };

for (const dialect of testDialects()) {
  describe(`webhooks (${dialect})`, () => {
    let app: TestApp;
    let submit: string;
    let admin: string;
    const receiver = new WebhookReceiver();
    const slow = new WebhookReceiver();
    const other = new WebhookReceiver();
    let url = '';
    let slowUrl = '';
    let endpointId = '';
    // Near real time, so that the receiver's tolerance check is meaningful; moved by the tests.
    const clock = new ManualClock(new Date());
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    async function fileOne(i: number): Promise<{ documentId: string; sha256: string }> {
      clock.advance(1000); // deliveries list newest first
      const pdf = samplePdf(`dokument ${i}`);
      const boundary = 'b0undary';
      const payload = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="d${i}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
        pdf,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await app.http.inject({
        method: 'POST',
        url: '/api/v1/boxes/umczestochowa/skrytka/documents',
        headers: { ...bearer(submit), 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload,
      });
      assert.equal(res.statusCode, 201, res.body);
      return {
        documentId: (res.json() as { documentId: string }).documentId,
        sha256: createHash('sha256').update(pdf).digest('hex'),
      };
    }

    const deliveries = async (id = endpointId) =>
      (
        (
          await app.http.inject({
            url: `/api/v1/offices/umczestochowa/webhooks/${id}/deliveries`,
            headers: bearer(admin),
          })
        ).json() as {
          deliveries: {
            id: string;
            status: string;
            attempts: {
              attempt: number;
              responseStatus: number | null;
              error: string | null;
              durationMs: number;
            }[];
          }[];
        }
      ).deliveries;

    before(async () => {
      app = await startTestApp(dialect, {
        demo: true,
        clock,
        env: { WEBHOOKS_ALLOW_PRIVATE: 'true', JOBS_POLL_MS: '0', WEBHOOK_TIMEOUT_SECONDS: '1' },
      });
      submit = (
        await app.services.createIntegrationToken({
          officeId: 'umczestochowa',
          scope: 'submit',
          name: 'Nadawca',
        })
      ).token;
      admin = (
        await app.services.createIntegrationToken({
          officeId: 'umczestochowa',
          scope: 'admin',
          name: 'EZD admin',
        })
      ).token;
      url = await receiver.start();
      slowUrl = await slow.start();
      await other.start();
    });
    after(async () => {
      await app.dispose();
      await Promise.all([receiver.stop(), slow.stop(), other.stop()]);
    });

    test('an office admin token registers an endpoint; the secret is shown once', async () => {
      const res = await app.http.inject({
        method: 'POST',
        url: '/api/v1/offices/umczestochowa/webhooks',
        headers: bearer(admin),
        payload: { url, events: ['document.received'], description: 'EZD' },
      });
      assert.equal(res.statusCode, 201, res.body);
      const created = res.json() as { id: string; secret: string; events: string[] };
      assert.match(created.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
      assert.deepEqual(created.events, ['document.received']);
      receiver.secret = created.secret;
      endpointId = created.id;
      const list = await app.http.inject({
        url: '/api/v1/offices/umczestochowa/webhooks',
        headers: bearer(admin),
      });
      assert.equal(list.statusCode, 200);
      assert.doesNotMatch(list.body, /whsec_/, 'the secret is never shown again');
      assert.equal((list.json() as { endpoints: unknown[] }).endpoints.length, 1);
    });

    test('bad endpoint input is refused with problem+json naming the field; other offices and scopes are refused', async () => {
      const post = (payload: unknown, token = admin, office = 'umczestochowa') =>
        app.http.inject({
          method: 'POST',
          url: `/api/v1/offices/${office}/webhooks?lang=en`,
          headers: bearer(token),
          payload: payload as Record<string, unknown>,
        });
      const unknownField = await post({ url, events: ['document.received'], colour: 'red' });
      assert.equal(unknownField.statusCode, 400);
      assert.equal(unknownField.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.match(unknownField.body, /colour/);
      const badEvent = await post({ url, events: ['document.eaten'] });
      assert.equal(badEvent.statusCode, 400);
      assert.deepEqual(
        (badEvent.json() as { errors: { field: string }[] }).errors.map((e) => e.field),
        ['events'],
      );
      const badUrl = await post({ url: 'ftp://example.com/x', events: ['document.received'] });
      assert.equal(badUrl.statusCode, 400);
      assert.deepEqual(
        (badUrl.json() as { errors: { field: string; message: string }[] }).errors.map((e) => [
          e.field,
          e.message,
        ]),
        [['url', 'The endpoint URL must start with https://.']],
      );
      const malformed = await app.http.inject({
        method: 'POST',
        url: '/api/v1/offices/umczestochowa/webhooks',
        headers: { ...bearer(admin), 'content-type': 'application/json' },
        payload: '{"url":',
      });
      assert.equal(malformed.statusCode, 400);
      assert.equal(malformed.headers['content-type'], 'application/problem+json; charset=utf-8');
      const pull = (
        await app.services.createIntegrationToken({ officeId: 'umczestochowa', scope: 'pull', name: 'EZD' })
      ).token;
      assert.equal((await post({ url, events: ['document.received'] }, pull)).statusCode, 403);
      assert.equal((await post({ url, events: ['document.received'] }, admin, 'umkrakow')).statusCode, 403);
      assert.equal(
        (await app.http.inject({ url: '/api/v1/offices/umczestochowa/webhooks' })).statusCode,
        401,
      );
    });

    test('a filed document is announced with a Standard Webhooks signature the receiver verifies', async () => {
      const { documentId, sha256 } = await fileOne(1);
      assert.equal(receiver.received.length, 0, 'nothing is sent from the filing request itself');
      await app.services.runDueJobs(runner);
      assert.equal(receiver.received.length, 1);
      const got = receiver.received[0]!;
      assert.ok(got.signatureValid, 'signature verifies');
      assert.match(got.id, /^msg_/);
      assert.ok(Math.abs(got.timestamp - Math.floor(clock.now().getTime() / 1000)) <= 1);
      const body = JSON.parse(got.body) as { type: string; data: Record<string, string> };
      assert.equal(body.type, 'document.received');
      assert.equal(body.data.documentId, documentId);
      assert.equal(body.data.mainSha256, sha256);
      assert.equal(body.data.officeId, 'umczestochowa');
      const [delivery] = await deliveries();
      assert.equal(delivery?.status, 'delivered');
      assert.deepEqual(
        delivery?.attempts.map((a) => [a.attempt, a.responseStatus, a.error]),
        [[1, 200, null]],
      );
    });

    test('a failing endpoint is retried with back-off under the same webhook-id; a delivery can be replayed', async () => {
      receiver.received.length = 0;
      receiver.script.push(500);
      await fileOne(2);
      await app.services.runDueJobs(runner);
      assert.equal(receiver.received.length, 1);
      await app.services.runDueJobs(runner);
      assert.equal(receiver.received.length, 1, 'waits before the retry');
      clock.advance(5_000);
      await app.services.runDueJobs(runner);
      assert.equal(receiver.received.length, 2);
      assert.equal(receiver.received[0]!.id, receiver.received[1]!.id, 'one message, one id');
      assert.ok(receiver.received.every((r) => r.signatureValid));
      const [latest] = await deliveries();
      assert.equal(latest?.status, 'delivered');
      assert.deepEqual(
        latest?.attempts.map((a) => [a.attempt, a.responseStatus, a.error]),
        [
          [1, 500, 'HTTP 500'],
          [2, 200, null],
        ],
      );

      const replay = await app.http.inject({
        method: 'POST',
        url: `/api/v1/offices/umczestochowa/webhook-deliveries/${latest!.id}/replay`,
        headers: bearer(admin),
      });
      assert.equal(replay.statusCode, 202);
      await app.services.runDueJobs(runner);
      assert.equal(receiver.received.length, 3);
      assert.equal(receiver.received[2]!.id, latest!.id);
      const missing = await app.http.inject({
        method: 'POST',
        url: '/api/v1/offices/umczestochowa/webhook-deliveries/msg_nope/replay',
        headers: bearer(admin),
      });
      assert.equal(missing.statusCode, 404);
    });

    test('retries stop after 24 hours and the delivery is marked failed', async () => {
      receiver.received.length = 0;
      receiver.script.push(...Array<number>(40).fill(503));
      await fileOne(3);
      for (let hour = 0; hour < 30; hour++) {
        await app.services.runDueJobs(runner);
        clock.advance(3_600_000);
      }
      const [latest] = await deliveries();
      assert.equal(latest?.status, 'failed');
      const n = latest!.attempts.length;
      assert.ok(n >= 8 && n <= 12, `attempts within 24 h: ${n}`);
      assert.equal(receiver.received.length, n);
      receiver.script.length = 0;
    });

    test('an endpoint that hangs is cut off and never holds up the others; redirects are not followed', async () => {
      const makeEndpoint = async (target: string) => {
        const res = await app.http.inject({
          method: 'POST',
          url: '/api/v1/offices/umczestochowa/webhooks',
          headers: bearer(admin),
          payload: { url: target, events: ['document.received'] },
        });
        assert.equal(res.statusCode, 201, res.body);
        return res.json() as { id: string; secret: string };
      };
      const hanging = await makeEndpoint(slowUrl);
      slow.secret = hanging.secret;
      slow.script.push('hang');
      const redirecting = await makeEndpoint(url.replace('/hook', '/redirect'));
      receiver.received.length = 0;
      // By path, not by order: the healthy and the redirecting endpoint are called concurrently.
      receiver.redirects.set('/redirect', `http://127.0.0.1:${new URL(url).port}/elsewhere`);
      await fileOne(4);
      await app.services.runDueJobs(runner);
      const hung = await deliveries(hanging.id);
      assert.match(hung[0]?.attempts[0]?.error ?? '', /^no answer in time$/);
      const good = await deliveries(endpointId);
      assert.equal(good[0]?.attempts[0]?.responseStatus, 200);
      assert.ok(
        (good[0]?.attempts[0]?.durationMs ?? Infinity) < (hung[0]?.attempts[0]?.durationMs ?? 0),
        'the healthy endpoint answered without waiting for the hanging one to be cut off',
      );
      const redirected = await deliveries(redirecting.id);
      assert.deepEqual(
        redirected[0]?.attempts.map((a) => [a.responseStatus, a.error]),
        [[302, 'HTTP 302']],
      );
      assert.equal(receiver.received.length, 2, 'the redirect target was never requested');
      assert.equal(other.received.length, 0);
    });
  });
}
