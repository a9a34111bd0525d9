import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import dns from 'node:dns/promises';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { createWebhookSender } from '../../src/adapters/webhook-sender';
import { checkEndpointUrl, isPrivateAddress } from '../../src/domain/webhooks/endpoint-url';
import { generateWebhookSecret, verifyWebhook, webhookHeaders } from '../../src/domain/webhooks/signature';

describe('webhook signatures (Standard Webhooks)', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const body = '{"test": 2432232314}';

  test('matches the specification’s own example', () => {
    // The example from the Standard Webhooks specification's reference libraries.
    const headers = webhookHeaders(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body);
    assert.equal(headers['webhook-signature'], 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  test('verifies what it signs, refuses a changed body, an old timestamp and a wrong secret', () => {
    const fresh = generateWebhookSecret();
    const now = 1_800_000_000;
    const headers = webhookHeaders(fresh, 'msg_1', now, body);
    assert.deepEqual(verifyWebhook(fresh, { ...headers }, body, { nowSeconds: now }), { ok: true });
    // Several signatures in one header (key rotation): any valid one is enough.
    assert.deepEqual(
      verifyWebhook(
        fresh,
        { ...headers, 'webhook-signature': `v1,AAAA ${headers['webhook-signature']}` },
        body,
        { nowSeconds: now },
      ),
      { ok: true },
    );
    assert.deepEqual(verifyWebhook(fresh, { ...headers }, body + ' ', { nowSeconds: now }), {
      ok: false,
      reason: 'bad-signature',
    });
    assert.deepEqual(verifyWebhook(fresh, { ...headers }, body, { nowSeconds: now + 301 }), {
      ok: false,
      reason: 'too-old',
    });
    assert.deepEqual(verifyWebhook(fresh, { ...headers }, body, { nowSeconds: now - 301 }), {
      ok: false,
      reason: 'too-new',
    });
    assert.deepEqual(verifyWebhook(generateWebhookSecret(), { ...headers }, body, { nowSeconds: now }), {
      ok: false,
      reason: 'bad-signature',
    });
    assert.deepEqual(verifyWebhook(fresh, {}, body), { ok: false, reason: 'missing-headers' });
    // The same bytes an independent HMAC gives.
    const key = Buffer.from(fresh.slice('whsec_'.length), 'base64');
    assert.equal(
      headers['webhook-signature'],
      `v1,${createHmac('sha256', key).update(`msg_1.${now}.${body}`).digest('base64')}`,
    );
  });
});

describe('webhook endpoint addresses (no SSRF)', () => {
  test('production accepts public https URLs only', () => {
    assert.equal(checkEndpointUrl('https://ezd.example.gov.pl/hooks', false).ok, true);
    const problem = (url: string) => {
      const r = checkEndpointUrl(url, false);
      return r.ok ? 'ok' : r.problem;
    };
    assert.equal(problem('http://ezd.example.gov.pl/hooks'), 'scheme');
    assert.equal(problem('ftp://ezd.example.gov.pl/'), 'scheme');
    assert.equal(problem('not a url'), 'invalid');
    assert.equal(problem('https://user:pass@ezd.example.gov.pl/'), 'credentials');
    for (const host of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '[::1]',
      '[fd00::1]',
      '[fe80::1]',
      '[::ffff:127.0.0.1]',
      'localhost',
      'localhost.',
      'api.localhost',
    ]) {
      assert.equal(problem(`https://${host}/x`), 'private-address', host);
    }
    assert.equal(
      checkEndpointUrl('http://127.0.0.1:8080/x', true).ok,
      true,
      'allowed when the installation says so',
    );
  });

  test('address classes', () => {
    assert.equal(isPrivateAddress('8.8.8.8'), false);
    assert.equal(isPrivateAddress('2a00:1450:4001::1'), false);
    assert.equal(isPrivateAddress('172.32.0.1'), false);
    assert.equal(isPrivateAddress('127.9.9.9'), true);
    assert.equal(isPrivateAddress('::'), true);
  });

  test('the sender refuses a name that resolves to a loopback address, and never connects', async () => {
    // The machine's own name: not a literal the URL check knows, but it resolves to a local address.
    const name = os.hostname();
    const resolved = await dns.lookup(name, { all: true });
    assert.ok(
      resolved.length > 0 && resolved.every((a) => isPrivateAddress(a.address)),
      'the test needs a name resolving to loopback',
    );
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits++;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      // The resolved address is what counts, checked on the connection itself.
      const sender = createWebhookSender({ allowPrivate: false, timeoutMs: 2000, userAgent: 'test' });
      await assert.rejects(
        sender.send({ url: `https://${name}:${port}/x`, headers: {}, body: '{}' }),
        (error: Error) => error.message === 'refused: the address is not allowed for webhooks',
      );
      // Nothing about how names resolve or which ports answer leaks into the recorded error.
      await assert.rejects(
        sender.send({ url: 'https://no-such-host.invalid/x', headers: {}, body: '{}' }),
        (error: Error) => error.message === 'could not connect to the receiver',
      );
      const open = createWebhookSender({ allowPrivate: true, timeoutMs: 2000, userAgent: 'test' });
      assert.deepEqual(await open.send({ url: `http://${name}:${port}/x`, headers: {}, body: '{}' }), {
        status: 200,
      });
      assert.equal(hits, 1);
    } finally {
      server.close();
    }
  });
});
