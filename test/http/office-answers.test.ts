import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/ports/clock';
import { upsertOffice } from '../../src/services/offices';
import { listenLocally, addOtherOffice, csrfFrom, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { startMailCatcher, type MailCatcher } from '../helpers/mail';
import { pdfQrCodes, pdfText } from '../helpers/pdf-text';
import { samplePdf } from '../helpers/sample-files';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'demo-password-123';

for (const dialect of testDialects()) {
  describe(`clerk answers a filed document (${dialect})`, () => {
    let app: TestApp;
    let base: string;
    let documentId: string;
    let residentId: string;
    let mail: MailCatcher;
    const clock = new ManualClock('2026-11-26T10:00:00.000Z');
    const clerk = () => {
      const web = new WebClient(app.http);
      return web.logIn('urzednik@example.pl', PASSWORD).then(() => web);
    };

    /**
     * Posts the multipart answer form as a browser does: the CSRF token first, in the body (the
     * action is the plain address). `token` replaces the page's token; null sends none.
     */
    const postAnswer = async (
      web: WebClient,
      fields: Record<string, string>,
      withFile = true,
      options: { token?: string | null; files?: { field: string; name: string; content: Buffer }[] } = {},
    ) => {
      const form = await web.get(`/urzad/umczestochowa/dokumenty/${documentId}/odpowiedz`);
      assert.equal(form.statusCode, 200);
      const action = /<form method="post" action="([^"]*odpowiedz)"/.exec(form.body)![1]!;
      const data = new FormData();
      const token = options.token === undefined ? csrfFrom(form.body) : options.token;
      if (token !== null) data.append('_csrf', token);
      for (const [k, v] of Object.entries(fields)) data.append(k, v);
      if (withFile)
        data.append(
          'document',
          new Blob([new Uint8Array(samplePdf('Odpowiedź'))], { type: 'application/pdf' }),
          'odpowiedz.pdf',
        );
      for (const f of options.files ?? [])
        data.append(f.field, new Blob([new Uint8Array(f.content)]), f.name);
      return fetch(`${base}${action}`, {
        method: 'POST',
        headers: { cookie: web.cookies, 'x-forwarded-for': web.ip },
        body: data,
        redirect: 'manual',
      });
    };
    const deliveries = async () =>
      (await app.database.db.selectFrom('deliveries').select('id').execute()).length;

    before(async () => {
      mail = await startMailCatcher();
      app = await startTestApp(dialect, {
        demo: true,
        clock,
        env: { JOBS_POLL_MS: '0', SMTP_URL: mail.url },
      });
      await addOtherOffice(app);
      base = await listenLocally(app);
      const resident = await app.database.db
        .selectFrom('accounts')
        .select(['id', 'display_name'])
        .where('email', '=', 'mieszkaniec@example.pl')
        .executeTakeFirstOrThrow();
      residentId = resident.id;
      const filed = await app.services.submitDocument({
        officeId: 'umczestochowa',
        boxName: 'skrytka',
        sender: { type: 'account', ref: resident.id, name: resident.display_name },
        title: 'Wniosek o dodatek',
        files: [
          {
            field: 'document',
            name: 'wniosek.pdf',
            staged: await app.deps.blobs.stage(samplePdf('Wniosek')),
          },
        ],
      });
      documentId = filed.documentId;
    });
    after(async () => {
      await app.dispose();
      await mail.close();
    });

    test('an unknown PESEL shows the form again with the message on the field, and nothing is sent', async () => {
      const web = await clerk();
      const before = await deliveries();
      const res = await postAnswer(web, { recipientPesel: '02070803628', title: 'Odpowiedź' });
      assert.equal(res.status, 422);
      const html = await res.text();
      assert.match(html, /govuk-error-summary/);
      assert.match(html, /href="#recipientPesel"/);
      assert.equal(await deliveries(), before);
    });

    test('the form carries its CSRF token in the body, never in the address; without it or with a wrong one: 403 and nothing sent', async () => {
      const web = await clerk();
      const page = await web.get(`/urzad/umczestochowa/dokumenty/${documentId}/odpowiedz`);
      assert.match(
        page.body,
        /<form method="post" action="\/urzad\/umczestochowa\/dokumenty\/[0-9a-f-]{36}\/odpowiedz" enctype="multipart\/form-data" novalidate data-policy="[^"]+"><input type="hidden" name="_csrf"/,
      );
      assert.doesNotMatch(page.body, /_csrf=/);
      const before = await deliveries();
      const fields = { recipientPesel: '', title: 'Odpowiedź bez tokenu' };
      assert.equal((await postAnswer(web, fields, true, { token: null })).status, 403);
      const token = csrfFrom(page.body);
      assert.equal((await postAnswer(web, fields, true, { token: `${token.slice(0, -2)}xx` })).status, 403);
      assert.equal(await deliveries(), before, 'nothing sent');
    });

    test('every refused file is named at its field and in the summary, with the rule, in Polish and English; the address stays plain', async () => {
      const web = await clerk();
      const before = await deliveries();
      const files = [
        { field: 'attachment', name: 'program.exe', content: Buffer.from('MZ binary') },
        { field: 'attachment', name: 'pusty.pdf', content: Buffer.alloc(0) },
        { field: 'attachment', name: 'bez-rozszerzenia', content: Buffer.from('tekst') },
      ];
      const res = await postAnswer(web, { title: 'Odpowiedź z plikami' }, true, { files });
      assert.equal(res.status, 415);
      assert.equal(new URL(res.url).search, '', 'no token in the address');
      const html = await res.text();
      const fieldError =
        /<p id="attachment-error" class="govuk-error-message">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
      assert.match(fieldError, /Plik „program\.exe”: ten urząd nie przyjmuje plików z rozszerzeniem „\.exe”/);
      assert.match(fieldError, /Plik „pusty\.pdf” jest pusty/);
      assert.match(fieldError, /Plik „bez-rozszerzenia” nie ma rozszerzenia/);
      assert.equal(fieldError.match(/govuk-visually-hidden/g)?.length, 3, 'each message says it is an error');
      const summaryLinks = [...html.matchAll(/<a href="#attachment">([^<]*)<\/a>/g)].map((m) => m[1]);
      assert.equal(summaryLinks.length, 3, 'each in the summary, linked to the field');
      assert.match(
        html,
        /<input class="govuk-file-upload govuk-file-upload--error" id="attachment"[^>]*aria-invalid="true"/,
      );
      assert.equal(await deliveries(), before, 'nothing sent');

      await web.get('/?lang=en');
      const en = await (await postAnswer(web, { title: 'An answer with files' }, true, { files })).text();
      assert.match(
        en,
        /The file “program\.exe”: this office does not accept files with the extension “\.exe”/,
      );
      assert.match(en, /The file “pusty\.pdf” is empty/);
      await web.get('/?lang=pl');
    });

    test('an answer without its file: the message names the field as labelled, never the form’s internal name', async () => {
      const web = await clerk();
      const res = await postAnswer(web, { title: 'Odpowiedź bez pliku' }, false);
      assert.equal(res.status, 422);
      const html = await res.text();
      assert.match(html, /href="#document"[^>]*>Wybierz plik dokumentu głównego\./);
      assert.doesNotMatch(html, /„document”|„attachment”/);
    });

    test('the answer goes to the filer, linked both ways; the document page shows its state and proofs as they change', async () => {
      const web = await clerk();
      const res = await postAnswer(web, { title: 'Odpowiedź na wniosek o dodatek' });
      assert.equal(res.status, 303, await res.text());
      const delivery = await app.database.db
        .selectFrom('deliveries')
        .selectAll()
        .where('in_reply_to', '=', documentId)
        .executeTakeFirstOrThrow();
      assert.equal(delivery.recipient_account_id, residentId);

      let page = await web.get(`/urzad/umczestochowa/dokumenty/${documentId}`);
      assert.match(page.body, /Odpowiedź na wniosek o dodatek/);
      assert.match(page.body, /czeka na odbiór/);

      page = await web.get(`/urzad/umczestochowa/dokumenty/${documentId}`);
      const sentProofs = [
        ...page.body.matchAll(/doreczenia\/([0-9a-f-]{36})\/dowody\/([0-9a-f-]{36})\.xml/g),
      ];
      assert.equal(sentProofs.length, 1, 'the proof of sending');
      const xml = await web.get(
        `/urzad/umczestochowa/doreczenia/${sentProofs[0]![1]}/dowody/${sentProofs[0]![2]}.xml`,
      );
      assert.equal(xml.statusCode, 200);
      assert.match(xml.body, /DowodWyslania/);

      // The resident confirms receipt; the office sees the proof of receipt at once.
      const challenge = await app.services.startFreshConfirmation({
        accountId: residentId,
        purpose: 'receipt',
      });
      const codeMail = await mail.waitFor('mieszkaniec@example.pl', (m) => /kod \d{6}/.test(m.subject ?? ''));
      const code = /kod (\d{6})/.exec(codeMail.subject ?? '')![1]!;
      await app.services.confirmReceipt({
        accountId: residentId,
        deliveryId: delivery.id,
        challengeId: challenge.id,
        code,
      });
      page = await web.get(`/urzad/umczestochowa/dokumenty/${documentId}`);
      assert.match(page.body, /class="delivery-status">odebrane</);
      const proofs = [...page.body.matchAll(/doreczenia\/([0-9a-f-]{36})\/dowody\/([0-9a-f-]{36})\.xml/g)];
      assert.equal(proofs.length, 2, 'proof of sending and proof of receipt');
      const upd = await web.get(
        `/urzad/umczestochowa/doreczenia/${proofs[1]![1]}/dowody/${proofs[1]![2]}.xml`,
      );
      assert.equal(upd.statusCode, 200);
      assert.match(upd.body, /TypInformacjiUzupelniajacej="DoreczenieZastepcze">false</);
      // Both proofs as readable PDFs for the clerk too, each with the QR code of its verification.
      for (const [, deliveryId, proofId] of proofs) {
        assert.match(page.body, new RegExp(`dowody/${proofId}\\.pdf`));
        const pdf = await web.get(`/urzad/umczestochowa/doreczenia/${deliveryId}/dowody/${proofId}.pdf`);
        assert.equal(pdf.statusCode, 200);
        assert.equal(pdf.headers['content-type'], 'application/pdf');
        assert.ok(pdfText(pdf.rawPayload).includes('odpowiedz.pdf'), 'the file');
        assert.deepEqual(pdfQrCodes(pdf.rawPayload), [`${app.services.verificationUrl()}?id=${proofId}`]);
      }
    });

    test('a clerk of another office can neither answer the document nor read the proofs', async () => {
      await app.services.grantRole({
        actorId: null,
        email: 'punkt@example.pl',
        role: 'clerk',
        officeId: 'umkrakow',
      });
      const other = new WebClient(app.http);
      await other.logIn('punkt@example.pl', PASSWORD);
      assert.equal(
        (await other.get(`/urzad/umczestochowa/dokumenty/${documentId}/odpowiedz`)).statusCode,
        403,
      );
      assert.equal((await other.get(`/urzad/umkrakow/dokumenty/${documentId}/odpowiedz`)).statusCode, 404);
      const delivery = await app.database.db
        .selectFrom('deliveries')
        .select(['id', 'sending_proof_id'])
        .where('in_reply_to', '=', documentId)
        .executeTakeFirstOrThrow();
      assert.equal(
        (await other.get(`/urzad/umkrakow/doreczenia/${delivery.id}/dowody/${delivery.sending_proof_id}.xml`))
          .statusCode,
        404,
      );
    });

    test('an office without deemed delivery: after the 14 days the clerk sees the answer was never collected', async () => {
      const office = await app.services.getOffice('umczestochowa');
      await upsertOffice(app.deps, {
        ...office,
        email: office.email ?? undefined,
        phone: office.phone ?? undefined,
        website: office.website ?? undefined,
        boxes: office.boxes.map((b) => ({ name: b.name, title: b.title })),
        policy: { deemedDelivery: false },
      });
      let web = await clerk();
      const form = await web.get(`/urzad/umczestochowa/dokumenty/${documentId}/odpowiedz`);
      assert.match(form.body, /Urząd nie stosuje doręczenia zastępczego/, 'the form does not promise it');
      assert.doesNotMatch(form.body, /doręczenie uważa się za dokonane/);
      const res = await postAnswer(web, { title: 'Pismo, którego nikt nie odbierze' });
      assert.equal(res.status, 303, await res.text());
      const notCollected = /Nieodebrane: 14 dni minęło/;
      let page = await web.get(`/urzad/umczestochowa/dokumenty/${documentId}`);
      assert.doesNotMatch(page.body, notCollected, 'not within the 14 days');
      clock.advance(16 * 24 * 60 * 60 * 1000);
      web = await clerk(); // the earlier session has lapsed meanwhile
      page = await web.get(`/urzad/umczestochowa/dokumenty/${documentId}`);
      assert.match(page.body, notCollected);
      assert.match(page.body, /czeka na odbiór/);
      const english = await web.get(`/urzad/umczestochowa/dokumenty/${documentId}?lang=en`);
      assert.match(english.body, /Not collected: the 14 days ended/);
    });
  });
}
