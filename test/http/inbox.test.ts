import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { warsawYear } from '../../src/domain/journal/index';
import { ManualClock } from '../../src/ports/clock';
import { DEMO_DELIVERY_TITLE, DEMO_RESIDENT_PESEL } from '../../src/services/create-demo-data';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { startMailCatcher, type MailCatcher } from '../helpers/mail';
import { pdfQrCodes, pdfText } from '../helpers/pdf-text';
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
      app = await startTestApp(dialect, {
        demo: true,
        clock,
        env: { JOBS_POLL_MS: '0', SMTP_URL: mail.url },
      });
      const clerk = await app.database.db
        .selectFrom('accounts')
        .select(['id', 'display_name'])
        .where('email', '=', 'urzednik@example.pl')
        .executeTakeFirstOrThrow();
      const sent = await app.services.deliverLetter({
        officeId: 'umczestochowa',
        sender: { type: 'account', ref: clerk.id, name: clerk.display_name },
        recipientPesel: DEMO_RESIDENT_PESEL,
        title: 'Decyzja o przyznaniu dodatku',
        files: [
          {
            field: 'document',
            name: 'decyzja.pdf',
            staged: await app.deps.blobs.stage(samplePdf('Decyzja')),
          },
        ],
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
      // Before receipt no proof either: the proof of sending names the title and the files.
      assert.doesNotMatch(page.body, /dowody\//);
      const { sending_proof_id: sendingProofId } = await app.database.db
        .selectFrom('deliveries')
        .select('sending_proof_id')
        .where('id', '=', deliveryId)
        .executeTakeFirstOrThrow();
      for (const format of ['xml', 'pdf'])
        assert.equal(
          (await resident.get(`/skrzynka/${deliveryId}/dowody/${sendingProofId}.${format}`)).statusCode,
          404,
          `no proof of sending (${format}) before receipt`,
        );
      assert.equal(
        (await resident.get(`/skrzynka/${deliveryId}/pliki/0`)).statusCode,
        404,
        'a guessed file URL is not found',
      );

      // Another resident sees nothing of it.
      const stranger = new WebClient(app.http);
      await stranger.logIn('urzednik@example.pl', PASSWORD);
      assert.equal((await stranger.get(`/skrzynka/${deliveryId}`)).statusCode, 404);

      const mailsBefore = mail.messages.length;
      const started = await resident.post(`/skrzynka/${deliveryId}/odbior`, {});
      // The code page is a GET page: it can be reloaded, and reloading sends no second code.
      assert.equal(started.statusCode, 303);
      const codeUrl = String(started.headers.location);
      assert.match(codeUrl, new RegExp(`^/skrzynka/${deliveryId}/odbior\\?wyzwanie=[0-9a-f-]{36}$`));
      const codePage = await resident.get(codeUrl);
      assert.equal(codePage.statusCode, 200);
      assert.equal((await resident.get(codeUrl)).statusCode, 200, 'reloaded');
      const codeMail = await mail.waitFor('mieszkaniec@example.pl', (m) => /kod \d{6}/.test(m.subject ?? ''));
      assert.equal(mail.messages.length, mailsBefore + 1, 'one code mail, however often the page is shown');
      // Where the code went, what it is for, its form and lifetime; the digit keyboard on phones.
      assert.match(
        codePage.body,
        /Wysłaliśmy kod na adres mieszkaniec@example\.pl\. Wpisz go, aby potwierdzić odbiór pisma od urzędu\./,
      );
      assert.match(codePage.body, /Kod ma 6 cyfr i jest ważny 10 minut/);
      assert.match(codePage.body, /<input[^>]*name="code"[^>]*inputmode="numeric"/);
      assert.match(codePage.body, /autocomplete="one-time-code"/);
      const en = await resident.get(`${codeUrl}&lang=en`);
      assert.match(
        en.body,
        /We have sent a code to mieszkaniec@example\.pl\. Enter it to confirm receipt of a letter from an office\./,
      );
      await resident.get(`${codeUrl}&lang=pl`);
      // The mail says what the code allows and that nobody from an office asks for it.
      assert.match(codeMail.text ?? '', /Kod pozwala wyłącznie potwierdzić odbiór pisma od urzędu/);
      assert.match(codeMail.text ?? '', /nikt z urzędu nigdy nie poprosi Cię o ten kod/);
      assert.match(codeMail.text ?? '', /nobody from an office will ever ask you for this code/);
      const challengeId = new URL(codeUrl, 'http://x').searchParams.get('wyzwanie')!;
      // An empty code and one of the wrong form are typing slips: they cost no try.
      const attempts = async () =>
        (
          await app.database.db
            .selectFrom('fresh_challenges')
            .select('attempts')
            .where('id', '=', challengeId)
            .executeTakeFirstOrThrow()
        ).attempts;
      const empty = await resident.post(`/skrzynka/${deliveryId}/odbior/kod`, { challengeId, code: '' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /govuk-error-summary/);
      assert.match(empty.body, /Wpisz kod/);
      const short = await resident.post(`/skrzynka/${deliveryId}/odbior/kod`, { challengeId, code: '12345' });
      assert.equal(short.statusCode, 400);
      assert.match(short.body, /Kod musi mieć dokładnie 6 cyfr/);
      assert.equal(await attempts(), 0);
      const code = /kod (\d{6})/.exec(codeMail.subject ?? '')![1]!;
      const wrong = await resident.post(`/skrzynka/${deliveryId}/odbior/kod`, {
        challengeId,
        code: code === '000000' ? '111111' : '000000',
      });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /Pozostałe próby: 4/);
      assert.match(wrong.body, /Wysłaliśmy kod na adres/, 'the code page again, with the message');
      assert.equal(await attempts(), 1);
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
      assert.equal(ids[0], sendingProofId);
      const upd = await resident.get(`/skrzynka/${deliveryId}/dowody/${ids[1]}.xml`);
      assert.equal(upd.statusCode, 200);
      assert.match(upd.body, /TypInformacjiUzupelniajacej="DoreczenieZastepcze">false</);
      // After receipt both proofs as readable PDFs too, each with the QR code of its verification.
      for (const id of ids) {
        assert.match(opened.body, new RegExp(`dowody/${id}\\.pdf`));
        const pdf = await resident.get(`/skrzynka/${deliveryId}/dowody/${id}.pdf`);
        assert.equal(pdf.statusCode, 200);
        assert.equal(pdf.headers['content-type'], 'application/pdf');
        assert.match(String(pdf.headers['content-disposition']), /^attachment; filename="(DW|UPD)-/);
        const text = pdfText(pdf.rawPayload);
        // The proof of sending carries the title; the UPD names the letter by its id.
        if (id === sendingProofId) assert.ok(text.includes('Decyzja o przyznaniu dodatku'), 'the title');
        else assert.ok(text.includes(deliveryId), 'the letter');
        assert.ok(text.includes('decyzja.pdf'), 'the file');
        assert.match(text, /\d{2}:\d{2}:\d{2} CES?T \(UTC\+0[12]:00\)/);
        assert.deepEqual(pdfQrCodes(pdf.rawPayload), [`${app.services.verificationUrl()}?id=${id}`]);
      }

      const english = await resident.get(`/skrzynka/${deliveryId}?lang=en`);
      assert.match(english.body, /Letter and attachments/);
    });

    test('the demo delivery awaits receipt in the inbox with nothing of its content and no proofs (row 12)', async () => {
      const resident = new WebClient(app.http);
      await resident.logIn('mieszkaniec@example.pl', PASSWORD);
      const demo = await app.database.db
        .selectFrom('deliveries')
        .selectAll()
        .where('title', '=', DEMO_DELIVERY_TITLE)
        .executeTakeFirstOrThrow();
      assert.equal(demo.status, 'awaiting');
      const inbox = await resident.get('/skrzynka');
      assert.match(inbox.body, new RegExp(`href="/skrzynka/${demo.id}">Czeka na Ciebie pismo<`));
      assert.doesNotMatch(inbox.body, /Zawiadomienie o wszczęciu/, 'no title before receipt');
      const page = await resident.get(`/skrzynka/${demo.id}`);
      assert.doesNotMatch(page.body, /dowody\//, 'no proof is offered before receipt');
      assert.doesNotMatch(page.body, /Zawiadomienie o wszczęciu/);
      const proof = await resident.get(`/skrzynka/${demo.id}/dowody/${demo.sending_proof_id}.xml`);
      assert.equal(proof.statusCode, 404, 'the proof of sending (it names the files) waits for receipt');
      const view = await app.services.getResidentDelivery(demo.recipient_account_id, demo.id);
      assert.deepEqual([view.title, view.proofs, view.files], ['', [], undefined]);
      assert.equal((await resident.get(`/skrzynka/${demo.id}/pliki/0`)).statusCode, 404);
    });

    test('sent letters: each with its receipt, and the registration number and status once the clerk registers it', async () => {
      const resident = new WebClient(app.http);
      await resident.logIn('mieszkaniec@example.pl', PASSWORD);
      const sentRows = (html: string) =>
        [
          ...(/<table[^>]*id="sent-letters"[^>]*>([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '').matchAll(
            /<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g,
          ),
        ]
          .map((m) => m[1]!)
          .filter((row) => row.includes('scope="row"'));
      const title = 'Odwołanie od decyzji w sprawie rejestracji pojazdu';
      const document = await app.database.db
        .selectFrom('documents')
        .select(['id'])
        .where('title', '=', title)
        .executeTakeFirstOrThrow();

      let inbox = await resident.get('/skrzynka');
      assert.equal(inbox.statusCode, 200);
      assert.match(inbox.body, /id="wyslane"/);
      let rows = sentRows(inbox.body);
      assert.equal(rows.length, 3, 'the three demo letters');
      let row = rows.find((r) => r.includes(title))!;
      assert.ok(row, 'the appeal is listed');
      assert.match(row, new RegExp(`href="/pisma/${document.id}/upp\\.xml"`));
      assert.match(row, /class="govuk-table__cell letter-status"[^>]*>przyjęte</);
      assert.match(row, /class="govuk-table__cell registration-number"[^>]*>—</);
      const upp = await resident.get(`/pisma/${document.id}/upp.xml`);
      assert.equal(upp.statusCode, 200);
      assert.match(upp.body, /UPP/);

      const clerk = new WebClient(app.http);
      await clerk.logIn('urzednik@example.pl', PASSWORD);
      const registered = await clerk.post(
        `/urzad/umczestochowa/dokumenty/${document.id}/rejestruj`,
        {},
        `/urzad/umczestochowa/dokumenty/${document.id}`,
      );
      assert.equal(registered.statusCode, 303);
      const number = `UMCZ/${warsawYear(clock.now())}/000001`;

      inbox = await resident.get('/skrzynka');
      rows = sentRows(inbox.body);
      row = rows.find((r) => r.includes(title))!;
      assert.match(row, new RegExp(`registration-number"[^>]*>${number.replace(/\//g, '\\/')}<`));
      assert.match(row, /letter-status"[^>]*>zarejestrowane</);
      for (const other of rows.filter((r) => !r.includes(title)))
        assert.match(other, /registration-number"[^>]*>—</, 'the others are not registered');

      const english = await resident.get('/skrzynka?lang=en');
      const englishRow = sentRows(english.body).find((r) => r.includes(title))!;
      assert.match(englishRow, /letter-status"[^>]*>registered</);
      assert.match(english.body, /Letters sent/);

      // /pisma still lists the same letters.
      const letters = await resident.get('/pisma');
      assert.match(letters.body, new RegExp(number.replace(/\//g, '\\/')));
    });
  });
}
