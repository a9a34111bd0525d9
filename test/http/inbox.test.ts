import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/ports/clock';
import { DEMO_RESIDENT_PESEL } from '../../src/services/create-demo-data';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { startMailCatcher, type MailCatcher } from '../helpers/mail';
import { samplePdf } from '../helpers/sample-files';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'demo-password-123';

for (const dialect of testDialects()) {
  describe(`resident inbox on the web (${dialect})`, () => {
    let app: TestApp;
    let mail: MailCatcher;
    let deliveryId: string;
    const clock = new ManualClock('2026-11-26T10:00:00.000Z');

    before(async () => {
      mail = await startMailCatcher();
      app = await startTestApp(dialect, { demo: true, clock, env: { JOBS_POLL_MS: '0', SMTP_URL: mail.url } });
      const clerk = await app.database.db.selectFrom('accounts').select(['id', 'display_name']).where('email', '=', 'urzednik@example.pl').executeTakeFirstOrThrow();
      const sent = await app.services.deliverLetter({
        officeId: 'umczestochowa',
        sender: { type: 'account', ref: clerk.id, name: clerk.display_name },
        recipientPesel: DEMO_RESIDENT_PESEL,
        title: 'Decyzja o przyznaniu dodatku',
        files: [{ field: 'document', name: 'decyzja.pdf', staged: await app.services.deps.blobs.stage(samplePdf('Decyzja')) }],
      });
      deliveryId = sent.deliveryId;
    });
    after(async () => {
      await app.dispose();
      await mail.close();
    });

    test('the notice shows office, date and that a letter awaits; the content opens only after confirming receipt', async () => {
      const resident = new WebClient(app.http);
      await resident.logIn('mieszkaniec@example.pl', PASSWORD);
      const inbox = await resident.get('/skrzynka');
      assert.equal(inbox.statusCode, 200);
      assert.match(inbox.body, /Urząd Miasta Częstochowy/);
      assert.match(inbox.body, /Czeka na Ciebie pismo/);
      assert.doesNotMatch(inbox.body, /Decyzja o przyznaniu dodatku/, 'no title before receipt');

      const page = await resident.get(`/skrzynka/${deliveryId}`);
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /pliki\/0/);
      assert.equal((await resident.get(`/skrzynka/${deliveryId}/pliki/0`)).statusCode, 404, 'a guessed file URL is not found');

      // Another resident sees nothing of it.
      const stranger = new WebClient(app.http);
      await stranger.logIn('urzednik@example.pl', PASSWORD);
      assert.equal((await stranger.get(`/skrzynka/${deliveryId}`)).statusCode, 404);

      const codePage = await resident.post(`/skrzynka/${deliveryId}/odbior`, {});
      assert.equal(codePage.statusCode, 200);
      const challengeId = /name="challengeId" value="([^"]+)"/.exec(codePage.body)![1]!;
      const wrong = await resident.post(`/skrzynka/${deliveryId}/odbior/kod`, { challengeId, code: '12345' });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /govuk-error-summary/);
      const codeMail = await mail.waitFor('mieszkaniec@example.pl', (m) => /kod \d{6}/.test(m.subject ?? ''));
      const code = /kod (\d{6})/.exec(codeMail.subject ?? '')![1]!;
      const confirmed = await resident.post(`/skrzynka/${deliveryId}/odbior/kod`, { challengeId, code });
      assert.equal(confirmed.statusCode, 303);

      const opened = await resident.get(`/skrzynka/${deliveryId}`);
      assert.match(opened.body, /Decyzja o przyznaniu dodatku/);
      assert.match(opened.body, /odebrane/);
      const file = await resident.get(`/skrzynka/${deliveryId}/pliki/0`);
      assert.equal(file.statusCode, 200);
      assert.match(String(file.headers['content-disposition']), /^attachment;/);
      assert.equal(file.headers['x-content-type-options'], 'nosniff');
      assert.equal(file.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');

      const proofId = /dowody\/([0-9a-f-]{36})\.xml/g;
      const ids = [...opened.body.matchAll(proofId)].map((m) => m[1]);
      assert.equal(ids.length, 2, 'proof of sending and proof of receipt');
      const upd = await resident.get(`/skrzynka/${deliveryId}/dowody/${ids[1]}.xml`);
      assert.equal(upd.statusCode, 200);
      assert.match(upd.body, /DoreczenieZastepcze>false</);

      const english = await resident.get(`/skrzynka/${deliveryId}?lang=en`);
      assert.match(english.body, /Letter and attachments/);
    });
  });
}
