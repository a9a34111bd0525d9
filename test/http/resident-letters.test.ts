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
const RESIDENT = 'mieszkaniec@example.pl';

for (const dialect of testDialects()) {
  describe(`the resident's filed letters on the web (${dialect})`, () => {
    let app: TestApp;
    let mail: MailCatcher;
    let residentId: string;
    const clock = new ManualClock('2026-11-26T10:00:00.000Z');

    const draft = async (title: string) => {
      const staged = await app.deps.blobs.stage(samplePdf('Załącznik'));
      return app.services.saveDraft({
        accountId: residentId,
        raw: { officeId: 'umczestochowa', kind: 'wyjasnienie', title, place: 'Częstochowa', body: 'Treść.' },
        newFiles: [{ name: 'zalacznik.pdf', staged }],
        remove: [],
      });
    };
    const receiptMails = (title: string) =>
      mail.messages.filter((m) => m.subject === `Poświadczenie przedłożenia: ${title}`).length;

    before(async () => {
      mail = await startMailCatcher();
      app = await startTestApp(dialect, {
        demo: true,
        clock,
        env: { JOBS_POLL_MS: '0', SMTP_URL: mail.url },
      });
      residentId = (
        await app.database.db
          .selectFrom('accounts')
          .select('id')
          .where('email', '=', RESIDENT)
          .executeTakeFirstOrThrow()
      ).id;
    });
    after(async () => {
      await app.dispose();
      await mail.close();
    });

    test('the check page: each "Zmień" link says what it changes, none is inside a heading (WCAG 2.4.4)', async () => {
      const web = new WebClient(app.http);
      await web.logIn(RESIDENT, PASSWORD);
      const draftId = await draft('Wniosek o wydanie zaświadczenia');
      const check = await web.get(`/pisma/szkic/${draftId}`);
      const names = [
        ...check.body.matchAll(/<a class="govuk-link" href="[^"]*\/edytuj#[^"]+">([\s\S]*?)<\/a>/g),
      ].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
      assert.deepEqual(names, [
        'Zmień urząd',
        'Zmień rodzaj pisma',
        'Zmień tytuł pisma',
        'Zmień miejscowość',
        'Zmień załączniki',
        'Zmień treść pisma',
      ]);
      assert.doesNotMatch(
        check.body,
        /<h[1-6][^>]*>(?:(?!<\/h[1-6]>)[\s\S])*edytuj#/,
        'no link inside a heading',
      );
    });

    test('the confirmation names office, date and time and receipt number; the letter has its page with its files', async () => {
      const web = new WebClient(app.http);
      await web.logIn(RESIDENT, PASSWORD);
      const draftId = await draft('Wyjaśnienie w sprawie podatku');
      await web.get(`/pisma/szkic/${draftId}`);
      const filed = await web.post(`/pisma/szkic/${draftId}/wyslij`, {});
      assert.equal(filed.statusCode, 303, filed.body);
      const documentId = /^\/pisma\/([0-9a-f-]{36})\/potwierdzenie$/.exec(
        String(filed.headers.location),
      )![1]!;
      const { receipt_id: receiptId } = await app.database.db
        .selectFrom('documents')
        .select('receipt_id')
        .where('id', '=', documentId)
        .executeTakeFirstOrThrow();

      const done = await web.get(`/pisma/${documentId}/potwierdzenie`);
      assert.equal(done.statusCode, 200);
      assert.match(done.body, /govuk-panel--confirmation/);
      assert.match(done.body, new RegExp(`id="receipt-id"[^>]*>${receiptId}<`));
      assert.match(done.body, /Urząd Miasta Częstochowy/);
      // 10:00 UTC is 11:00 in Warsaw in November.
      assert.match(done.body, /Data i godzina wpływu/);
      assert.match(done.body, /26\.11\.2026, 11:00/);
      assert.match(done.body, new RegExp(`href="/pisma/${documentId}"`));
      const doneEn = await web.get(`/pisma/${documentId}/potwierdzenie?lang=en`);
      assert.match(doneEn.body, /Date and time received/);
      assert.match(doneEn.body, /26\/11\/2026, 11:00/);

      // The list links each title to the letter's page.
      const list = await web.get('/pisma?lang=pl');
      assert.match(
        list.body,
        new RegExp(`<a class="govuk-link" href="/pisma/${documentId}">Wyjaśnienie w sprawie podatku</a>`),
      );

      const page = await web.get(`/pisma/${documentId}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1[^>]*>[\s\S]*Wyjaśnienie w sprawie podatku/);
      assert.match(page.body, /Wyjaśnienie<\/dd>/, 'the kind of letter');
      assert.match(page.body, /przyjęte/);
      assert.match(page.body, /jeszcze nie nadany/);
      assert.match(page.body, new RegExp(receiptId));
      assert.match(page.body, new RegExp(`/pisma/${documentId}/upp\\.xml`));
      assert.match(page.body, new RegExp(`/pisma/${documentId}/upp\\.pdf`));

      // The letter XML as sent and the attachment, both downloads, byte for byte what the office has.
      const xml = await web.get(`/pisma/${documentId}/pliki/0`);
      assert.equal(xml.statusCode, 200);
      assert.match(String(xml.headers['content-disposition']), /^attachment; filename\*=UTF-8''pismo\.xml$/);
      assert.equal(xml.headers['x-content-type-options'], 'nosniff');
      assert.match(xml.body, /Wyjaśnienie w sprawie podatku/);
      const stored = await app.database.db
        .selectFrom('document_files')
        .select(['position', 'sha256', 'size'])
        .where('document_id', '=', documentId)
        .orderBy('position')
        .execute();
      assert.equal(stored.length, 2);
      const attachment = await web.get(`/pisma/${documentId}/pliki/1`);
      assert.equal(attachment.statusCode, 200);
      assert.deepEqual(attachment.rawPayload, samplePdf('Załącznik'));
      assert.match(page.body, /Pismo \(pismo\.xml\)/);
      assert.match(page.body, /zalacznik\.pdf/);

      // Once the office registers it, the page shows the number and the state.
      const clerk = await app.database.db
        .selectFrom('accounts')
        .select('id')
        .where('email', '=', 'urzednik@example.pl')
        .executeTakeFirstOrThrow();
      const number = await app.services.registerDocument({
        officeId: 'umczestochowa',
        documentId,
        actorId: clerk.id,
      });
      const registered = await web.get(`/pisma/${documentId}`);
      assert.match(registered.body, /zarejestrowane/);
      assert.ok(registered.body.includes(number), number);

      // Nobody else reads the page or the files; bad ids and positions are not found.
      const stranger = new WebClient(app.http);
      await stranger.logIn('urzednik@example.pl', PASSWORD);
      for (const url of [
        `/pisma/${documentId}`,
        `/pisma/${documentId}/pliki/0`,
        `/pisma/${documentId}/potwierdzenie`,
      ])
        assert.equal((await stranger.get(url)).statusCode, 404, url);
      assert.equal((await web.get(`/pisma/${documentId}/pliki/2`)).statusCode, 404);
      assert.equal((await web.get(`/pisma/${documentId}/pliki/x`)).statusCode, 404);
      assert.equal((await web.get('/pisma/not-an-id')).statusCode, 404);
      assert.equal(
        (await new WebClient(app.http).get(`/pisma/${documentId}`)).statusCode,
        303,
        'login first',
      );
      // A page of another role is refused with a page that says so (not "bad request").
      const refused = await web.get('/urzad/umczestochowa/skrzynka?lang=pl');
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, /<title>Nie masz dostępu do tej strony/);
      assert.doesNotMatch(refused.body, /Nieprawidłowe żądanie/);
    });

    test('three parallel submits of one draft make one filing and one receipt e-mail', async () => {
      const web = new WebClient(app.http);
      await web.logIn(RESIDENT, PASSWORD);
      const title = `Wniosek wysłany trzy razy (${dialect})`;
      const draftId = await draft(title);
      const check = await web.get(`/pisma/szkic/${draftId}`);
      const token = /name="_csrf" value="([^"]+)"/.exec(check.body)![1]!;
      const submit = () =>
        app.http.inject({
          method: 'POST',
          url: `/pisma/szkic/${draftId}/wyslij`,
          remoteAddress: web.ip,
          headers: { cookie: web.cookies },
          payload: { _csrf: token },
        });
      const answers = await Promise.all([submit(), submit(), submit()]);
      const locations = new Set(answers.map((a) => a.headers.location));
      assert.deepEqual(
        answers.map((a) => a.statusCode),
        [303, 303, 303],
        answers.map((a) => a.body).join('\n'),
      );
      assert.equal(locations.size, 1, 'every submit lands on the one filing');
      const documents = await app.database.db
        .selectFrom('documents')
        .select('id')
        .where('title', '=', title)
        .execute();
      assert.equal(documents.length, 1);
      // The mail goes before the filing request answers, so all three answers mean all mail is in.
      assert.equal(receiptMails(title), 1);
      // And a fourth submit later, too, adds nothing.
      const again = await web.post(`/pisma/szkic/${draftId}/wyslij`, {}, `/pisma/${documents[0]!.id}`);
      assert.equal(again.statusCode, 303);
      assert.equal(receiptMails(title), 1);
    });

    test('signing: the code page is a GET page that can be reloaded and says what the code is for', async () => {
      const web = new WebClient(app.http);
      await web.logIn(RESIDENT, PASSWORD);
      const title = `Podpisany wniosek (${dialect})`;
      const draftId = await draft(title);
      const mailsBefore = mail.messages.length;
      const started = await web.post(`/pisma/szkic/${draftId}/podpis`, {}, `/pisma/szkic/${draftId}`);
      assert.equal(started.statusCode, 303, started.body);
      const codeUrl = String(started.headers.location);
      assert.match(codeUrl, new RegExp(`^/pisma/szkic/${draftId}/podpis\\?wyzwanie=[0-9a-f-]{36}$`));
      const page = await web.get(codeUrl);
      assert.equal(page.statusCode, 200);
      assert.match(
        page.body,
        /Wysłaliśmy kod na adres mieszkaniec@example\.pl\. Wpisz go, aby podpisać pismo profilem zaufanym i wysłać je do urzędu\./,
      );
      assert.match(page.body, /inputmode="numeric"/);
      assert.equal((await web.get(codeUrl)).statusCode, 200, 'reloaded');
      assert.equal(mail.messages.length, mailsBefore + 1, 'one code, however often the page is shown');
      const codeMail = mail.messages.at(-1)!;
      assert.match(codeMail.text ?? '', /Kod pozwala wyłącznie podpisać pismo profilem zaufanym/);
      const code = /kod (\d{6})/.exec(codeMail.subject ?? '')![1]!;
      // A made-up challenge id shows no code page.
      const bogus = await web.get(
        `/pisma/szkic/${draftId}/podpis?wyzwanie=00000000-0000-4000-8000-000000000000`,
      );
      assert.equal(bogus.headers.location, `/pisma/szkic/${draftId}`);
      const challengeId = new URL(codeUrl, 'http://x').searchParams.get('wyzwanie')!;
      const filed = await web.post(`/pisma/szkic/${draftId}/podpis/kod`, { challengeId, code }, codeUrl);
      assert.equal(filed.statusCode, 303, filed.body);
      assert.match(String(filed.headers.location), /^\/pisma\/[0-9a-f-]{36}\/potwierdzenie$/);
      assert.equal(receiptMails(title), 1);
      // The used challenge's page leads back to the draft, which now leads to the filing.
      assert.equal((await web.get(codeUrl)).headers.location, String(filed.headers.location));
    });

    test('a waiting letter says until when it can be collected and when delivery will be deemed', async () => {
      const clerk = await app.database.db
        .selectFrom('accounts')
        .select(['id', 'display_name'])
        .where('email', '=', 'urzednik@example.pl')
        .executeTakeFirstOrThrow();
      const sent = await app.services.deliverLetter({
        officeId: 'umczestochowa',
        sender: { type: 'account', ref: clerk.id, name: clerk.display_name },
        recipientPesel: DEMO_RESIDENT_PESEL,
        title: 'Wezwanie',
        files: [
          { field: 'document', name: 'wezwanie.pdf', staged: await app.deps.blobs.stage(samplePdf('W')) },
        ],
      });
      const web = new WebClient(app.http);
      await web.logIn(RESIDENT, PASSWORD);
      // Sent on 26 November: the 14 days end with 10 December; deemed delivered then.
      const page = await web.get(`/skrzynka/${sent.deliveryId}`);
      assert.match(page.body, /Możesz odebrać pismo do 10\.12\.2026 włącznie\./);
      assert.match(page.body, /uznane za doręczone z upływem tego dnia/);
      const en = await web.get(`/skrzynka/${sent.deliveryId}?lang=en`);
      assert.match(en.body, /until 10 December 2026 inclusive/);
      assert.match(en.body, /deemed delivered at the end of that day/);
    });
  });
}
