import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { registerSecurityHeaders } from '../../src/http/plugins/security-headers';

/** The headers as helmet 8 wrote them for our options, names and order included. */
const CSP =
  "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';connect-src 'self';object-src 'none';base-uri 'self';form-action 'self'";
const COMMON_BEFORE_HSTS = [
  'Cross-Origin-Opener-Policy: same-origin',
  'Cross-Origin-Resource-Policy: same-origin',
  'Origin-Agent-Cluster: ?1',
  'Referrer-Policy: same-origin',
];
const COMMON_AFTER_HSTS = [
  'X-Content-Type-Options: nosniff',
  'X-DNS-Prefetch-Control: off',
  'X-Download-Options: noopen',
  'X-Frame-Options: DENY',
  'X-Permitted-Cross-Domain-Policies: none',
  'X-XSS-Protection: 0',
];

/** The header lines of an answer to `url`, as written on the wire, up to the first of Fastify's own. */
async function securityLines(options: { https: boolean; formActions?: string[] }, url: string) {
  const app = Fastify();
  registerSecurityHeaders(app, options);
  app.get('/', async () => 'x');
  const res = await app.inject(url);
  await app.close();
  const head = (res.raw.res as unknown as { _header: string })._header;
  return head.split('\r\n').slice(1, 1 + 1 + COMMON_BEFORE_HSTS.length + COMMON_AFTER_HSTS.length + 1);
}

test('security headers on http: the same names, values and order as helmet wrote, on every answer', async () => {
  for (const url of ['/', '/missing']) {
    const lines = await securityLines({ https: false }, url);
    assert.deepEqual(lines, [
      `Content-Security-Policy: ${CSP};frame-ancestors 'none'`,
      ...COMMON_BEFORE_HSTS,
      ...COMMON_AFTER_HSTS,
      lines.at(-1),
    ]);
    assert.match(lines.at(-1)!, /^content-type: /);
  }
});

test('security headers behind TLS: HSTS, upgraded requests, the national login as a form target', async () => {
  const lines = await securityLines({ https: true, formActions: ['https://sso.example'] }, '/');
  assert.deepEqual(lines, [
    `Content-Security-Policy: ${CSP} https://sso.example;frame-ancestors 'none';upgrade-insecure-requests`,
    ...COMMON_BEFORE_HSTS,
    'Strict-Transport-Security: max-age=31536000; includeSubDomains',
    ...COMMON_AFTER_HSTS,
  ]);
});
