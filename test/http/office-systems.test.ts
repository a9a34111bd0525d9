import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { opensslSelfSigned } from '../helpers/test-pki';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'demo-password-123';

for (const dialect of testDialects()) {
  describe(`integration systems page of an office admin (${dialect})`, () => {
    let app: TestApp;
    let admin: WebClient;
    let certificate: string;
    const page = '/urzad/umczestochowa/systemy';

    before(async () => {
      app = await startTestApp(dialect, { demo: true });
      await app.services.grantRole({
        actorId: null,
        email: 'admin@example.pl',
        role: 'office-admin',
        officeId: 'umczestochowa',
      });
      admin = new WebClient(app.http);
      assert.equal((await admin.logIn('admin@example.pl', PASSWORD)).statusCode, 303);
      certificate = (await opensslSelfSigned('/CN=EZD Testowy')).certificatePem;
    });
    after(async () => app.dispose());

    test('only the office admin sees the page; a clerk does not', async () => {
      const res = await admin.get(page);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /\/pk_external_ws\/services\/pull/);
      const clerk = new WebClient(app.http);
      await clerk.logIn('urzednik@example.pl', PASSWORD);
      assert.equal((await clerk.get(page)).statusCode, 403);
    });

    test('bad input shows the error in Polish and English and saves nothing; no CSRF token, no change', async () => {
      const bad = await admin.post(page, { name: 'EZD', certificate: 'not a certificate' }, page);
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /govuk-error-summary/);
      assert.match(bad.body, /nie zawiera certyfikatu X\.509/);
      const noName = await admin.post(`${page}?lang=en`, { name: '', certificate }, `${page}?lang=en`);
      assert.equal(noName.statusCode, 400);
      assert.match(noName.body, /The system name must have 1 to 200 characters/);
      const noCsrf = await app.http.inject({
        method: 'POST',
        url: page,
        headers: { cookie: admin.cookies },
        payload: { name: 'EZD', certificate },
      });
      assert.equal(noCsrf.statusCode, 403);
      assert.equal((await app.services.listIntegrationSystems('umczestochowa')).length, 0);
    });

    test('registering a system with one box; the same certificate twice is refused; revoking', async () => {
      const added = await admin.post(page, { name: 'EZD RP', certificate, boxes: 'skrytka' }, page);
      assert.equal(added.statusCode, 201, added.body);
      const [system] = await app.services.listIntegrationSystems('umczestochowa');
      assert.ok(system);
      assert.deepEqual(system.boxes, ['skrytka']);
      assert.match(added.body, new RegExp(system.id));
      assert.match(added.body, /CN=EZD Testowy/);
      const twice = await admin.post(page, { name: 'EZD 2', certificate }, page);
      assert.equal(twice.statusCode, 409);
      assert.match(twice.body, /already registered for an active system/, 'in the language chosen earlier');
      const revoked = await admin.post(`${page}/${system.id}/uniewaznij`, {}, page);
      assert.equal(revoked.statusCode, 303);
      const [after] = await app.services.listIntegrationSystems('umczestochowa');
      assert.ok(after?.revokedAt);
    });
  });
}
