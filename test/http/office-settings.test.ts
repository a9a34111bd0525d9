import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_RESIDENT_PESEL } from '../../src/services/create-demo-data';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { samplePdf } from '../helpers/sample-files';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'demo-password-123';
const PAGE = '/urzad/umczestochowa/ustawienia';

for (const dialect of testDialects()) {
  describe(`office admin switches deemed delivery (${dialect})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(dialect, { demo: true, env: { JOBS_POLL_MS: '0' } });
    });
    after(async () => app.dispose());

    const deemJobs = async (deliveryId: string) =>
      (
        await app.database.db
          .selectFrom('jobs')
          .select('dedupe_key')
          .where('dedupe_key', '=', `delivery-deem:${deliveryId}`)
          .execute()
      ).length;
    const send = async () => {
      const clerk = await app.database.db
        .selectFrom('accounts')
        .select(['id', 'display_name'])
        .where('email', '=', 'urzednik@example.pl')
        .executeTakeFirstOrThrow();
      return app.services.deliverLetter({
        officeId: 'umczestochowa',
        sender: { type: 'account', ref: clerk.id, name: clerk.display_name },
        recipientPesel: DEMO_RESIDENT_PESEL,
        title: 'Pismo',
        files: [
          { field: 'document', name: 'pismo.pdf', staged: await app.deps.blobs.stage(samplePdf('Pismo')) },
        ],
      });
    };

    test('only the office admin; a clear message for no choice; off applies to letters sent from now on', async () => {
      const clerk = new WebClient(app.http);
      await clerk.logIn('urzednik@example.pl', PASSWORD);
      assert.equal((await clerk.get(PAGE)).statusCode, 403, 'a clerk is not the office admin');
      assert.doesNotMatch((await clerk.get('/urzad/umczestochowa')).body, /ustawienia/);

      const before = await send();
      assert.equal(await deemJobs(before.deliveryId), 1, 'deemed delivery by default');

      await app.services.grantRole({
        actorId: null,
        email: 'punkt@example.pl',
        role: 'office-admin',
        officeId: 'umczestochowa',
      });
      const admin = new WebClient(app.http);
      await admin.logIn('punkt@example.pl', PASSWORD);
      assert.match(
        (await admin.get('/urzad/umczestochowa')).body,
        /href="\/urzad\/umczestochowa\/ustawienia"/,
      );
      let page = await admin.get(PAGE);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /value="on"\s+checked/);

      const none = await admin.post(PAGE, {}, PAGE);
      assert.equal(none.statusCode, 400);
      assert.match(none.body, /govuk-error-summary/);
      assert.match(none.body, /Wybierz, czy stosować doręczenie zastępcze/);
      assert.equal((await app.services.getOffice('umczestochowa')).policy.deemedDelivery, true, 'unchanged');

      const off = await admin.post(PAGE, { deemedDelivery: 'off' }, PAGE);
      assert.equal(off.statusCode, 303);
      page = await admin.get(String(off.headers.location));
      assert.match(page.body, /Zapisano/);
      assert.match(page.body, /value="off"\s+checked/);
      assert.equal((await app.services.getOffice('umczestochowa')).policy.deemedDelivery, false);
      const audit = await app.database.db
        .selectFrom('audit_log')
        .select(['action', 'subject'])
        .where('action', '=', 'office.deemed-delivery-set')
        .execute();
      assert.deepEqual(audit, [{ action: 'office.deemed-delivery-set', subject: 'umczestochowa' }]);

      const after = await send();
      assert.equal(await deemJobs(after.deliveryId), 0, 'no fiction for a letter sent now');
      assert.equal(await deemJobs(before.deliveryId), 1, 'a letter sent before keeps its rule');

      const english = await admin.get(`${PAGE}?lang=en`);
      assert.match(english.body, /Apply deemed delivery after 14 days\?/);
    });
  });
}
