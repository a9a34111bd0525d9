import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createApp, type App } from '../../src/app';
import { AppError } from '../../src/domain/errors';
import { ManualClock } from '../../src/ports/clock';
import { DEMO_RESIDENT_PESEL } from '../../src/services/create-demo-data';
import { upsertOffice } from '../../src/services/offices';
import { testDialects, testEnvironment, type TestEnvironment } from '../helpers/databases';
import { startMailCatcher, type MailCatcher } from '../helpers/mail';
import { xmlsecVerifies } from '../helpers/receipts';
import { pdf } from '../helpers/sample-files';

const runner = { runnerId: 'test', limit: 20, lockMs: 60_000 };
const DAY = 24 * 60 * 60 * 1000;

for (const dialect of testDialects()) {
  describe(`letters to residents (${dialect})`, () => {
    let env: TestEnvironment;
    let app: App;
    let mail: MailCatcher;
    let caPem: string;
    let residentId: string;
    let clerk: { id: string; name: string };
    const clock = new ManualClock('2026-11-26T10:00:00.000Z');

    const start = async () =>
      createApp({ config: env.config, clock, ...(env.pgSchema ? { pgSchema: env.pgSchema } : {}) });

    const send = async (overrides: { recipientPesel?: string; title?: string; officeId?: string } = {}) =>
      app.services.deliverLetter({
        officeId: overrides.officeId ?? 'umczestochowa',
        sender: { type: 'account', ref: clerk.id, name: clerk.name },
        recipientPesel: overrides.recipientPesel ?? DEMO_RESIDENT_PESEL,
        title: overrides.title ?? 'Odpowiedź na wniosek',
        files: [
          {
            field: 'document',
            name: 'odpowiedz.pdf',
            staged: await app.deps.blobs.stage(await pdf('Odpowiedź urzędu')),
          },
          {
            field: 'attachment',
            name: 'zalacznik.pdf',
            staged: await app.deps.blobs.stage(await pdf('Załącznik')),
          },
        ],
      });

    const receiptXml = async (id: string) =>
      (
        await app.database.db
          .selectFrom('receipts')
          .select('xml')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).xml;

    before(async () => {
      mail = await startMailCatcher();
      // The background runner is off: the test runs the timers itself, on its own clock.
      env = await testEnvironment(dialect, {
        JOBS_POLL_MS: '0',
        SMTP_URL: mail.url,
        WEBHOOKS_ALLOW_PRIVATE: 'true',
      });
      app = await start();
      await app.services.createDemoData({ password: 'demo-password-123' });
      caPem = fs.readFileSync(path.join(env.config.dataDir, 'keys', 'ca.cert.pem'), 'utf8');
      const accounts = await app.database.db
        .selectFrom('accounts')
        .select(['id', 'email', 'display_name'])
        .execute();
      residentId = accounts.find((a) => a.email === 'mieszkaniec@example.pl')!.id;
      const c = accounts.find((a) => a.email === 'urzednik@example.pl')!;
      clerk = { id: c.id, name: c.display_name };
      // The office's system wants to know of receipts: the events must be emitted.
      await app.services.createWebhookEndpoint({
        actor: { accountId: c.id },
        officeId: 'umczestochowa',
        url: 'http://127.0.0.1:9/esp',
        events: ['delivery.received'],
      });
    });
    after(async () => {
      await app.close();
      await env.cleanup();
      await mail.close();
    });

    test('dispatch makes a proof of sending that xmlsec1 verifies; content stays closed until receipt is confirmed, once', async () => {
      const sent = await send();
      const sending = await receiptXml(sent.proofOfSendingId);
      assert.match(sending, /DowodWyslania/);
      const verified = xmlsecVerifies(sending, caPem);
      assert.ok(verified.ok, verified.output);

      await app.services.runDueJobs(runner);
      const notice = await mail.waitFor('mieszkaniec@example.pl', (m) =>
        (m.subject ?? '').includes('czeka na Ciebie pismo'),
      );
      assert.match(notice.text ?? '', /\/skrzynka\//);
      // The office deems delivery: the notice says so, in both languages.
      assert.match(notice.text ?? '', /doręczenie uważa się za dokonane/);
      assert.match(notice.text ?? '', /it is deemed delivered/);

      const before = await app.services.getResidentDelivery(residentId, sent.deliveryId);
      assert.equal(before.status, 'awaiting');
      assert.equal(before.files, undefined, 'no files before receipt');
      await assert.rejects(
        app.services.downloadDeliveryFile(residentId, sent.deliveryId, 0),
        (e: unknown) => e instanceof AppError && e.status === 404,
      );

      const wrong = await app.services.startFreshConfirmation({ accountId: residentId, purpose: 'receipt' });
      await assert.rejects(
        app.services.confirmReceipt({
          accountId: residentId,
          deliveryId: sent.deliveryId,
          challengeId: wrong.id,
          code: '000000x',
        }),
      );
      assert.equal(
        (await app.services.getResidentDelivery(residentId, sent.deliveryId)).status,
        'awaiting',
        'a wrong code changes nothing',
      );

      const challenge = await app.services.startFreshConfirmation({
        accountId: residentId,
        purpose: 'receipt',
      });
      const codeMail = await mail.waitFor(
        'mieszkaniec@example.pl',
        (m) => /kod \d{6}/.test(m.subject ?? '') && (m.text ?? '').length > 0 && m !== notice,
      );
      const code = /kod (\d{6})/.exec(codeMail.subject ?? '')![1];
      clock.advance(60_000);
      // A restart in between leaves nothing cached: the proof is made reading the office
      // inside its transaction (on SQLite a read outside it would wait for it forever).
      await app.close();
      app = await start();
      const confirmed = await app.services.confirmReceipt({
        accountId: residentId,
        deliveryId: sent.deliveryId,
        challengeId: challenge.id,
        code,
      });
      assert.equal(confirmed.status, 'received');
      const upd = await receiptXml(confirmed.proofOfReceiptId);
      assert.match(upd, /TypInformacjiUzupelniajacej="DoreczenieZastepcze">false</);
      assert.ok(xmlsecVerifies(upd, caPem).ok);

      const again = await app.services.confirmReceipt({
        accountId: residentId,
        deliveryId: sent.deliveryId,
        challengeId: challenge.id,
        code,
      });
      assert.equal(again.proofOfReceiptId, confirmed.proofOfReceiptId, 'confirming twice makes one proof');
      const events = await app.database.db
        .selectFrom('webhook_deliveries')
        .select(['event_type', 'body'])
        .where('event_type', '=', 'delivery.received')
        .execute();
      const mine = events
        .map((e) => JSON.parse(e.body) as { data: Record<string, string> })
        .filter((e) => e.data.deliveryId === sent.deliveryId);
      assert.equal(mine.length, 1, 'one delivery.received event, emitted once');
      assert.equal(mine[0]!.data.proofId, confirmed.proofOfReceiptId);
      assert.equal(mine[0]!.data.officeId, 'umczestochowa');
      // Sending it is the webhook tests' business; here it would only add jobs to the timers'.
      await app.database.db.deleteFrom('jobs').where('kind', '=', 'webhook.deliver').execute();
      const proofs = await app.database.db
        .selectFrom('receipts')
        .select('id')
        .where('document_id', '=', sent.deliveryId)
        .execute();
      assert.equal(proofs.length, 2, 'one proof of sending and one of receipt');

      const office = await app.services.getOfficeDelivery('umczestochowa', sent.deliveryId);
      assert.equal(office.status, 'received');
      assert.deepEqual(
        office.proofs.map((p) => p.kind),
        ['sending', 'UPD'],
      );
      const file = await app.services.downloadDeliveryFile(residentId, sent.deliveryId, 0);
      assert.equal(file.name, 'odpowiedz.pdf');
      assert.equal(file.content.subarray(0, 5).toString('latin1'), '%PDF-');
      await assert.rejects(
        app.services.getOfficeDelivery('other-office', sent.deliveryId),
        (e: unknown) => e instanceof AppError && e.status === 404,
      );
    });

    test('a delivery to an unknown PESEL is a 422 naming the field, and nothing is stored or sent', async () => {
      const count = async () => ({
        deliveries: (await app.database.db.selectFrom('deliveries').select('id').execute()).length,
        receipts: (await app.database.db.selectFrom('receipts').select('id').execute()).length,
        jobs: (await app.database.db.selectFrom('jobs').select('id').execute()).length,
      });
      const beforeCounts = await count();
      await assert.rejects(send({ recipientPesel: '02070803628' }), (e: unknown) => {
        assert.ok(e instanceof AppError);
        assert.equal(e.status, 422);
        assert.deepEqual(
          e.fieldErrors.map((f) => [f.field, f.key]),
          [['recipientPesel', 'delivery.error.unknownPesel']],
        );
        return true;
      });
      assert.deepEqual(await count(), beforeCounts);
    });

    test('not collected: a second notice on day 7 and, across a restart, delivery deemed the day after day 14', async () => {
      const sent = await send({ title: 'Wezwanie do uzupełnienia' });
      await app.services.runDueJobs(runner);
      // The demo's own delivery has its timers too: count only this letter's notices.
      const reminder = (m: { subject?: string | undefined; text?: string | undefined }) =>
        (m.subject ?? '').includes('ponowne zawiadomienie') && (m.text ?? '').includes(sent.deliveryId);

      // Sent on 26 November (Warsaw): the 7 days end with 3 December, the 14 days with
      // 10 December, in Warsaw calendar days (CET, UTC+1).
      assert.match(sent.sentAt, /^2026-11-26T/);
      clock.set('2026-12-03T22:59:59.999Z');
      await app.services.runDueJobs(runner);
      assert.equal(mail.messages.filter(reminder).length, 0, 'no second notice before day 7 ends');
      clock.set('2026-12-03T23:00:00.000Z');
      await app.services.runDueJobs(runner);
      const second = await mail.waitFor('mieszkaniec@example.pl', reminder);
      assert.match(
        second.text ?? '',
        /Jeśli nie odbierzesz pisma do 11 grudnia 2026, doręczenie uważa się za dokonane/,
      );
      await app.services.runDueJobs(runner);
      assert.equal(mail.messages.filter(reminder).length, 1, 'the second notice goes once');

      // The app stops between scheduling and firing; the next one finds the timer in the table.
      await app.close();
      app = await start();

      clock.set('2026-12-10T22:59:59.999Z');
      await app.services.runDueJobs(runner);
      assert.equal(
        (await app.services.getOfficeDelivery('umczestochowa', sent.deliveryId)).status,
        'awaiting',
        'still awaiting during day 14 (Warsaw)',
      );
      // Midnight in Warsaw, 23:00 UTC: not a UTC day, which would deem it an hour later.
      clock.set('2026-12-10T23:00:00.000Z');
      await app.services.runDueJobs(runner);
      const deemed = await app.services.getResidentDelivery(residentId, sent.deliveryId);
      assert.equal(deemed.status, 'deemed');
      assert.equal(deemed.deemedAt, '2026-12-10T23:00:00.000Z');
      assert.equal(deemed.files?.length, 2, 'the content becomes available');
      const upd = await receiptXml(deemed.proofs.find((p) => p.kind === 'UPD')!.id);
      assert.match(upd, /TypInformacjiUzupelniajacej="DoreczenieZastepcze">true</);
      assert.match(upd, /<pos:DataOdbioru>2026-12-11T00:00:00.000\+01:00</);
      assert.match(upd, /TypInformacjiUzupelniajacej="TerminLiczonyOd">2026-11-26</);
      assert.ok(xmlsecVerifies(upd, caPem).ok);
      clock.advance(DAY);
      assert.equal(await app.services.runDueJobs(runner), 0, 'every timer fired exactly once');
      const jobs = await app.database.db
        .selectFrom('jobs')
        .select(['dedupe_key', 'attempts', 'outcome'])
        .where('dedupe_key', 'like', `delivery-%:${sent.deliveryId}`)
        .execute();
      assert.equal(jobs.length, 3);
      for (const job of jobs)
        assert.deepEqual([Number(job.attempts), job.outcome], [1, 'done'], String(job.dedupe_key));
    });

    test('an office without deemed delivery: the letter stays awaiting after 14 days and the office sees it was never collected', async () => {
      await upsertOffice(app.deps, {
        id: 'gminabezfikcji',
        name: 'Urząd Gminy „Bez Fikcji”',
        shortCode: 'UGBF',
        address: 'ul. Próbna 1, 00-001 Warszawa',
        boxes: [{ name: 'skrytka', title: 'Skrytka podawcza' }],
        policy: { deemedDelivery: false },
      });
      const sent = await send({ officeId: 'gminabezfikcji', title: 'Pismo bez fikcji doręczenia' });
      const term = new Date(sent.sentAt);
      // Well past the 14 days (and any timer the other tests left due).
      clock.set(new Date(term.getTime() + 40 * DAY).toISOString());
      await app.services.runDueJobs(runner);
      const view = await app.services.getOfficeDelivery('gminabezfikcji', sent.deliveryId);
      assert.equal(view.status, 'awaiting', 'no deemed delivery');
      assert.equal(view.deemedAt, null);
      assert.deepEqual(
        view.proofs.map((p) => p.kind),
        ['sending'],
        'no UPD',
      );
      assert.ok(view.notCollectedSince, 'the office sees it was never collected');
      assert.match(view.notCollectedSince!, /T2[23]:00:00\.000Z$/, 'midnight in Warsaw');
      const jobs = await app.database.db
        .selectFrom('jobs')
        .select('dedupe_key')
        .where('dedupe_key', '=', `delivery-deem:${sent.deliveryId}`)
        .execute();
      assert.equal(jobs.length, 0, 'no deemed-delivery timer');
      // Neither notice promises deemed delivery; both say until when it can be collected.
      const ofThisLetter = mail.messages.filter((m) => (m.text ?? '').includes(sent.deliveryId));
      assert.equal(ofThisLetter.length, 2, 'the notice and the second notice');
      for (const notice of ofThisLetter) {
        assert.doesNotMatch(notice.text ?? '', /uważa się za dokonane|deemed/);
        assert.match(
          notice.text ?? '',
          /Możesz odebrać pismo do \d+ \S+ \d{4} włącznie\. Po tym dniu urząd odnotuje/,
        );
        assert.match(
          notice.text ?? '',
          /You can collect it until .* inclusive\. After that day the office will record/,
        );
      }
    });
  });
}
