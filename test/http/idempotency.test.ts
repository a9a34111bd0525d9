import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { markDemoLettersTaken, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';

for (const dialect of testDialects()) {
  describe(`Idempotency-Key on API POSTs (${dialect})`, () => {
    let app: TestApp;
    let admin: string;
    const url = '/api/v1/offices/umczestochowa/webhooks';
    const post = (key: string | undefined, payload: Record<string, unknown>, token = admin) =>
      app.http.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
        payload,
      });

    before(async () => {
      app = await startTestApp(dialect, { demo: true, env: { JOBS_POLL_MS: '0' } });
      await markDemoLettersTaken(app);
      admin = (
        await app.services.createIntegrationToken({ officeId: 'umczestochowa', scope: 'admin', name: 'EZD' })
      ).token;
    });
    after(async () => app.dispose());

    test('the same key and body get the first answer; nothing is done twice', async () => {
      const body = { url: 'https://ezd.example.gov.pl/a', events: ['document.received'] };
      const first = await post('key-1', body);
      assert.equal(first.statusCode, 201);
      const again = await post('key-1', body);
      assert.equal(again.statusCode, 201);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal(again.headers['content-type'], first.headers['content-type']);
      const { secret, ...endpoint } = JSON.parse(first.body) as Record<string, unknown>;
      assert.match(String(secret), /^whsec_/);
      assert.deepEqual(JSON.parse(again.body), endpoint, 'the same endpoint; the secret is shown once');
      assert.equal((await app.services.listWebhookEndpoints('umczestochowa')).length, 1);
    });

    test('the same key with another body is a 409 problem; another token has keys of its own', async () => {
      const other = await post('key-1', {
        url: 'https://ezd.example.gov.pl/b',
        events: ['document.received'],
      });
      assert.equal(other.statusCode, 409);
      assert.equal(other.headers['content-type'], 'application/problem+json; charset=utf-8');
      const second = (
        await app.services.createIntegrationToken({
          officeId: 'umczestochowa',
          scope: 'admin',
          name: 'EZD 2',
        })
      ).token;
      const own = await post(
        'key-1',
        { url: 'https://ezd.example.gov.pl/b', events: ['document.received'] },
        second,
      );
      assert.equal(own.statusCode, 201);
    });

    test('refusals are answered the same way again; a malformed key is a 400', async () => {
      const bad = { url: 'ftp://x', events: ['document.received'] };
      assert.equal((await post('key-2', bad)).statusCode, 400);
      const again = await post('key-2', bad);
      assert.equal(again.statusCode, 400);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal((await post('x'.repeat(201), bad)).statusCode, 400);
      assert.equal((await post('zły klucz', bad)).statusCode, 400);
    });

    test('every API POST goes through the same mechanism (pull: ack, next)', async () => {
      const pull = (
        await app.services.createIntegrationToken({ officeId: 'umczestochowa', scope: 'pull', name: 'EZD' })
      ).token;
      const next = () =>
        app.http.inject({
          method: 'POST',
          url: '/api/v1/boxes/umczestochowa/skrytka/pending/next',
          headers: { authorization: `Bearer ${pull}`, 'idempotency-key': 'n-1' },
        });
      const first = await next();
      assert.equal(first.statusCode, 204);
      const second = await next();
      assert.equal(second.statusCode, 204);
      assert.equal(second.headers['idempotent-replayed'], 'true');
    });
  });
}
