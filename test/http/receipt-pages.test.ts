import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/ports/clock';
import { addOtherOffice, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { startMailCatcher, type MailCatcher } from '../helpers/mail';
import { answeredLetter, type AnsweredLetter } from '../helpers/answered-letter';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'demo-password-123';
const POLISH_MONTHS = /stycz|lut|mar[ce]|kwie|maj|czerw|lip|sierp|wrze|paźdz|listopad|grud/i;

/** The receipt pages: UPP, proof of sending and UPD read as HTML, beside their XML and PDF. */
for (const dialect of testDialects()) {
  describe(`receipts as pages (${dialect})`, () => {
    let app: TestApp;
    let mail: MailCatcher;
    let documentId: string;
    let receiptId: string;
    let deliveryId: string;
    let letter: AnsweredLetter;
    const clock = new ManualClock('2026-11-26T10:00:00.000Z');
    const logIn = async (email: string) => {
      const web = new WebClient(app.http);
      await web.logIn(email, PASSWORD);
      return web;
    };
    /** The page's links to proofs as pages (not the .xml/.pdf downloads). */
    const pageLinks = (html: string, pattern: RegExp) => [...html.matchAll(pattern)].map((m) => m[1]!);

    before(async () => {
      mail = await startMailCatcher();
      app = await startTestApp(dialect, {
        demo: true,
        clock,
        env: { JOBS_POLL_MS: '0', SMTP_URL: mail.url },
      });
      await addOtherOffice(app);
      letter = await answeredLetter(app, mail);
      ({ documentId, receiptId, deliveryId } = letter);
    });
    after(async () => {
      await app.dispose();
      await mail.close();
    });

    test('the resident reads the UPP of a letter as a page, linked from the letter, in both languages', async () => {
      const resident = await logIn('mieszkaniec@example.pl');
      const letter = await resident.get(`/pisma/${documentId}`);
      assert.match(letter.body, new RegExp(`href="/pisma/${documentId}/upp"`));
      const page = await resident.get(`/pisma/${documentId}/upp`);
      assert.equal(page.statusCode, 200);
      assert.match(page.headers['content-type'] as string, /^text\/html/);
      assert.match(page.body, /<h1[^>]*>Urzędowe poświadczenie przedłożenia \(UPP\)<\/h1>/);
      assert.match(page.body, new RegExp(receiptId));
      assert.match(page.body, /Urząd Miasta Częstochowy/);
      assert.match(page.body, /wniosek\.pdf/);
      assert.match(page.body, /26\.11\.2026, 11:00/, 'the Warsaw time of filing');
      assert.match(page.body, new RegExp(`href="/pisma/${documentId}/upp\\.xml"`));
      assert.match(page.body, new RegExp(`href="/pisma/${documentId}/upp\\.pdf"`));
      assert.match(page.body, new RegExp(`/weryfikacja\\?id=${receiptId}"`));

      const english = await resident.get(`/pisma/${documentId}/upp?lang=en`);
      assert.match(english.body, /<h1[^>]*>Official submission receipt \(UPP\)<\/h1>/);
      assert.match(english.body, /26\/11\/2026, 11:00/);
      const main = /<main[\s\S]*<\/main>/.exec(english.body)![0];
      assert.doesNotMatch(main, POLISH_MONTHS, 'no Polish dates on the English page');
    });

    test('nobody else reads a letter’s UPP page: another account, anonymous', async () => {
      const other = await logIn('admin@example.pl');
      const res = await other.get(`/pisma/${documentId}/upp`);
      assert.notEqual(res.statusCode, 200);
      assert.doesNotMatch(res.body, new RegExp(receiptId));
      const anonymous = await new WebClient(app.http).get(`/pisma/${documentId}/upp`);
      assert.ok([302, 303].includes(anonymous.statusCode), `anonymous: ${anonymous.statusCode}`);
      assert.match(String(anonymous.headers.location), /\/logowanie/);
    });

    test('the clerk reads the UPP as a page from the document page; another office’s address does not show it', async () => {
      const clerk = await logIn('urzednik@example.pl');
      const doc = await clerk.get(`/urzad/umczestochowa/dokumenty/${documentId}`);
      assert.match(doc.body, new RegExp(`href="/urzad/umczestochowa/dokumenty/${documentId}/upp"`));
      const page = await clerk.get(`/urzad/umczestochowa/dokumenty/${documentId}/upp`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(receiptId));
      assert.match(page.body, new RegExp(`href="/urzad/umczestochowa/dokumenty/${documentId}"`), 'back');
      const elsewhere = await clerk.get(`/urzad/umkrakow/dokumenty/${documentId}/upp`);
      assert.notEqual(elsewhere.statusCode, 200);
      assert.doesNotMatch(elsewhere.body, new RegExp(receiptId));
      const resident = await logIn('mieszkaniec@example.pl');
      assert.notEqual(
        (await resident.get(`/urzad/umczestochowa/dokumenty/${documentId}/upp`)).statusCode,
        200,
      );
    });

    test('the proofs of sending and receipt are pages for the resident after receipt, and for the office', async () => {
      const resident = await logIn('mieszkaniec@example.pl');
      const proofPage = new RegExp(`href="/skrzynka/${deliveryId}/dowody/([0-9a-f-]{36})"`, 'g');
      const sending = await app.database.db
        .selectFrom('deliveries')
        .select('sending_proof_id')
        .where('id', '=', deliveryId)
        .executeTakeFirstOrThrow();
      // Before receipt the proof of sending (it names the files) is not shown, as a page neither.
      const early = await resident.get(`/skrzynka/${deliveryId}/dowody/${sending.sending_proof_id}`);
      assert.equal(early.statusCode, 404);

      await letter.confirm();

      const opened = await resident.get(`/skrzynka/${deliveryId}`);
      const ids = pageLinks(opened.body, proofPage);
      assert.equal(ids.length, 2, 'proof of sending and proof of receipt');
      const [sendingPage, updPage] = await Promise.all(
        ids.map((id) => resident.get(`/skrzynka/${deliveryId}/dowody/${id}`)),
      );
      assert.equal(sendingPage!.statusCode, 200);
      assert.match(sendingPage!.body, /<h1[^>]*>Dowód wysłania<\/h1>/);
      assert.match(sendingPage!.body, /Decyzja w sprawie dodatku/);
      assert.match(sendingPage!.body, /decyzja\.pdf/);
      assert.equal(updPage!.statusCode, 200);
      assert.match(updPage!.body, /<h1[^>]*>Urzędowe poświadczenie doręczenia \(UPD\)<\/h1>/);
      assert.match(updPage!.body, /Doręczenie zastępcze[\s\S]*?nie</);
      assert.match(updPage!.body, new RegExp(`href="/skrzynka/${deliveryId}/dowody/${ids[1]}\\.xml"`));

      const clerk = await logIn('urzednik@example.pl');
      const doc = await clerk.get(`/urzad/umczestochowa/dokumenty/${documentId}`);
      const officeIds = pageLinks(
        doc.body,
        new RegExp(`href="/urzad/umczestochowa/doreczenia/${deliveryId}/dowody/([0-9a-f-]{36})"`, 'g'),
      );
      assert.deepEqual(officeIds, ids);
      const officePage = await clerk.get(`/urzad/umczestochowa/doreczenia/${deliveryId}/dowody/${ids[1]}`);
      assert.equal(officePage.statusCode, 200);
      assert.match(officePage.body, /Urzędowe poświadczenie doręczenia \(UPD\)/);
      assert.match(
        officePage.body,
        new RegExp(`href="/urzad/umczestochowa/dokumenty/${documentId}#odpowiedzi"`),
      );
      // Another account gets neither page.
      const other = await logIn('admin@example.pl');
      assert.notEqual((await other.get(`/skrzynka/${deliveryId}/dowody/${ids[1]}`)).statusCode, 200);
      assert.notEqual(
        (await other.get(`/urzad/umczestochowa/doreczenia/${deliveryId}/dowody/${ids[1]}`)).statusCode,
        200,
      );
    });
  });
}
