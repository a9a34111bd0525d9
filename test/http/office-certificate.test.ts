import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { receiptInput, xmlsecVerifies } from '../helpers/receipts';

for (const dialect of testDialects()) {
  describe(`office seal certificate (${dialect})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(dialect, { demo: true });
    });
    after(async () => app.dispose());

    test('the CA and the platform seal exist from the first start', () => {
      const keys = path.join(app.env.config.dataDir, 'keys');
      assert.ok(fs.existsSync(path.join(keys, 'ca.pem')));
      assert.ok(fs.existsSync(path.join(keys, 'platform.pem')));
    });

    test('GET /api/v1/offices/{officeId}/certificate: the chain as PEM, seal first', async () => {
      const res = await app.http.inject({ url: '/api/v1/offices/umczestochowa/certificate' });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^application\/x-pem-file/);
      const certificates = res.body.match(/-----BEGIN CERTIFICATE-----/g) ?? [];
      assert.equal(certificates.length, 2);
      assert.doesNotMatch(res.body, /PRIVATE KEY/);
      const caFile = fs.readFileSync(path.join(app.env.config.dataDir, 'keys', 'ca.cert.pem'), 'utf8');
      assert.ok(res.body.endsWith(caFile), 'the issuer (the local CA) comes last');

      // A receipt sealed by the service verifies against what the endpoint publishes.
      const xml = await app.services.sealReceipt(receiptInput('UPP'));
      const issuer = res.body.slice(res.body.indexOf('-----BEGIN CERTIFICATE-----', 10));
      assert.ok(xmlsecVerifies(xml, issuer).ok);
      const report = await app.services.checkReceipt(Buffer.from(xml));
      assert.equal(report.valid, true, JSON.stringify(report.reasons));
    });

    test('unknown office: 404 problem+json', async () => {
      for (const id of ['nie-ma-takiego', '..%2F..%2Fetc']) {
        const res = await app.http.inject({ url: `/api/v1/offices/${id}/certificate?lang=en` });
        assert.equal(res.statusCode, 404);
        assert.match(res.headers['content-type'] as string, /^application\/problem\+json/);
        assert.equal(res.json().status, 404);
      }
      const pl = await app.http.inject({ url: '/api/v1/offices/nie-ma-takiego/certificate' });
      assert.match(pl.json().detail, /Nie znaleziono urzędu/);
      assert.equal(
        fs.existsSync(path.join(app.env.config.dataDir, 'keys', 'offices', 'nie-ma-takiego.pem')),
        false,
        'no seal made for an unknown office',
      );
    });
  });
}
