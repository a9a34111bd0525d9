import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'demo-password-123';

for (const dialect of testDialects()) {
  describe(`webhook pages of an office admin (${dialect})`, () => {
    let app: TestApp;
    let admin: WebClient;
    const page = '/urzad/umczestochowa/webhooki';

    before(async () => {
      // Private addresses are refused here, as in production.
      app = await startTestApp(dialect, { demo: true, env: { JOBS_POLL_MS: '0' } });
      await app.services.grantRole({
        actorId: null,
        email: 'admin@example.pl',
        role: 'office-admin',
        officeId: 'umczestochowa',
      });
      admin = new WebClient(app.http);
      assert.equal((await admin.logIn('admin@example.pl', PASSWORD)).statusCode, 303);
    });
    after(async () => app.dispose());

    test('only the office admin sees the page; a clerk of the office does not', async () => {
      assert.equal((await admin.get(page)).statusCode, 200);
      const clerk = new WebClient(app.http);
      await clerk.logIn('urzednik@example.pl', PASSWORD);
      assert.equal((await clerk.get(page)).statusCode, 403);
    });

    test('bad input shows the error summary in Polish and English; a private address is refused', async () => {
      const bad = await admin.post(
        page,
        { url: 'http://ezd.example.gov.pl/hook', events: 'document.received' },
        page,
      );
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /govuk-error-summary/);
      assert.match(bad.body, /musi zaczynać się od https:\/\//);
      const privateUrl = await admin.post(
        `${page}?lang=en`,
        { url: 'https://192.168.1.10/hook', events: 'document.received' },
        `${page}?lang=en`,
      );
      assert.equal(privateUrl.statusCode, 400);
      assert.match(privateUrl.body, /points to a local or private network/);
      const noEvents = await admin.post(page, { url: 'https://ezd.example.gov.pl/hook' }, page);
      assert.equal(noEvents.statusCode, 400);
      assert.match(noEvents.body, /href="#events"/);
      const noCsrf = await app.http.inject({
        method: 'POST',
        url: page,
        headers: { cookie: admin.cookies },
        payload: { url: 'https://ezd.example.gov.pl/hook', events: 'document.received' },
      });
      assert.equal(noCsrf.statusCode, 403);
      assert.equal((await app.services.listWebhookEndpoints('umczestochowa')).length, 0, 'nothing saved');
    });

    test('adding shows the secret once; the list never shows it; disabling keeps the history', async () => {
      const added = await admin.post(
        page,
        { url: 'https://ezd.example.gov.pl/hook', events: 'document.received', description: 'EZD' },
        page,
      );
      assert.equal(added.statusCode, 201);
      assert.equal(added.headers['cache-control'], 'no-store');
      assert.match(added.body, /whsec_[A-Za-z0-9+/]{43}=/);
      const list = await admin.get(page);
      assert.doesNotMatch(list.body, /whsec_/);
      assert.match(list.body, /https:\/\/ezd\.example\.gov\.pl\/hook/);
      const [endpoint] = await app.services.listWebhookEndpoints('umczestochowa');
      assert.equal((await admin.get(`${page}/${endpoint!.id}`)).statusCode, 200);
      const disabled = await admin.post(`${page}/${endpoint!.id}/wylacz`, {}, page);
      assert.equal(disabled.statusCode, 303);
      assert.ok((await app.services.listWebhookEndpoints('umczestochowa'))[0]?.disabledAt);
      const audit = await app.services.listAudit({ action: 'webhook.endpoint-created' });
      assert.deepEqual(
        audit.entries.map((e) => [e.actorEmail, e.details]),
        [['admin@example.pl', { officeId: 'umczestochowa', tokenId: null }]],
      );
    });
  });
}
