import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { createApp, type App } from '../../src/app';
import { ManualClock } from '../../src/ports/clock';
import { testDialects, testEnvironment, type TestEnvironment } from '../helpers/databases';
import { startMailCatcher, type MailCatcher } from '../helpers/mail';
import { xmlsecVerifies } from '../helpers/receipts';
import { pdf } from '../helpers/sample-files';
import { renderedText } from '../helpers/xslt';

/**
 * Every document the box produces for a reader outside it, made through the services on each
 * database exactly as in use: the general letter a resident files (signed with the trusted
 * profile), its UPP, the proof of sending of the office's answer, the UPD of an answer received
 * and of one deemed delivered. Each verifies with xmlsec1; each field the formats promise is
 * checked in the XML, and the proof of sending in the text our stylesheet renders.
 *
 * ePUAP's UPO stylesheet and the CRD stylesheet of the general letter are public but not ours
 * to copy into the repository: with `EPUAP_STYLESHEETS_DIR` naming a directory that holds them
 * (`upo.xsl`, `pismo-ogolne.xsl`), the documents are also rendered with them and the fields
 * checked in the text they show (docs/formats.md, "Checked with the official stylesheets").
 * `DOCUMENTS_OUT` names a directory to keep the documents in.
 */
const DOCS_XML = path.join(import.meta.dirname, '../../docs/xml');
const OFFICIAL = process.env.EPUAP_STYLESHEETS_DIR;
const OUT = process.env.DOCUMENTS_OUT;
const runner = { runnerId: 'test', limit: 20, lockMs: 60_000 };

// A title with Polish letters and every XML-special character.
const TITLE = "Odwołanie od decyzji „Ż&Ó” <pilne> 'ważne'";
const ANSWER = 'Decyzja w sprawie „zajęcia pasa” <drogowego> & opłat';
const DEEMED_ANSWER = 'Wezwanie do uzupełnienia braków';

function parse(xml: string): Element {
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (_l, m) => problems.push(m) }).parseFromString(xml, 'text/xml');
  assert.deepEqual(problems, [], 'well-formed');
  return doc.documentElement!;
}
const children = (el: Element): Element[] =>
  Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1);
/** The text of the first element with this local name (namespace aside), or undefined. */
function field(root: Element, localName: string): string | undefined {
  const found = root.getElementsByTagNameNS('*', localName)[0];
  return found ? (found.textContent ?? '') : undefined;
}
/** The body's InformacjaUzupelniajaca as [type, value] pairs. */
const notes = (root: Element): [string, string][] =>
  Array.from(root.getElementsByTagNameNS('*', 'InformacjaUzupelniajaca')).map((n) => [
    n.getAttribute('TypInformacjiUzupelniajacej') ?? '',
    n.getAttribute('NazwaPliku') ?? n.textContent ?? '',
  ]);

for (const dialect of testDialects()) {
  describe(`documents official tools read, made through the services (${dialect})`, () => {
    let env: TestEnvironment;
    let app: App;
    let mail: MailCatcher;
    let caPem: string;
    let residentId: string;
    let clerk: { id: string; name: string };
    // 00:30 in Warsaw on 2 December: the UTC date is still 1 December.
    const clock = new ManualClock('2026-12-01T23:30:00.000Z');
    const docs: Record<'letter' | 'upp' | 'sending' | 'updReceived' | 'updDeemed', string> = {
      letter: '',
      upp: '',
      sending: '',
      updReceived: '',
      updDeemed: '',
    };
    let documentId: string;
    let receivedDeliveryId: string;
    let deemedDeliveryId: string;

    const receiptXml = async (id: string) =>
      (
        await app.database.db
          .selectFrom('receipts')
          .select('xml')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).xml;

    const answer = async (title: string) =>
      app.services.deliverLetter({
        officeId: 'umczestochowa',
        sender: { type: 'account', ref: clerk.id, name: clerk.name },
        recipientAccountId: residentId,
        inReplyTo: documentId,
        title,
        files: [
          {
            field: 'document',
            name: 'decyzja „pasa” & <opłaty>.pdf',
            staged: await app.deps.blobs.stage(await pdf('Decyzja')),
          },
          {
            field: 'attachment',
            name: 'uzasadnienie.pdf',
            staged: await app.deps.blobs.stage(await pdf('Uzasadnienie')),
          },
        ],
      });

    before(async () => {
      mail = await startMailCatcher();
      env = await testEnvironment(dialect, { JOBS_POLL_MS: '0', SMTP_URL: mail.url });
      app = await createApp({
        config: env.config,
        clock,
        ...(env.pgSchema ? { pgSchema: env.pgSchema } : {}),
      });
      await app.services.createDemoData({ password: 'demo-password-123' });
      caPem = fs.readFileSync(path.join(env.config.dataDir, 'keys', 'ca.cert.pem'), 'utf8');
      const accounts = await app.database.db
        .selectFrom('accounts')
        .select(['id', 'email', 'display_name'])
        .execute();
      const resident = accounts.find((a) => a.email === 'mieszkaniec@example.pl')!;
      residentId = resident.id;
      const c = accounts.find((a) => a.email === 'urzednik@example.pl')!;
      clerk = { id: c.id, name: c.display_name };

      // The resident files a general letter signed with the trusted profile, with one attachment.
      const profile = (await app.services.currentProfile(residentId))!;
      const draftId = await app.services.saveDraft({
        accountId: residentId,
        raw: {
          officeId: 'umczestochowa',
          kind: 'odwolanie',
          title: TITLE,
          place: 'Częstochowa',
          body: 'Wnoszę odwołanie.\n\nUzasadnienie: „A & B” < C > D.',
        },
        newFiles: [{ name: 'skan decyzji.pdf', staged: await app.deps.blobs.stage(await pdf('Skan')) }],
        remove: [],
      });
      const filed = await app.services.fileLetter({
        draftId,
        sign: true,
        sender: {
          accountId: residentId,
          firstName: profile.firstNames,
          surname: profile.surname,
          pesel: profile.pesel,
          email: 'mieszkaniec@example.pl',
        },
      });
      documentId = filed.documentId;
      docs.upp = await receiptXml(filed.receiptId);
      const main = await app.database.db
        .selectFrom('document_files')
        .select('sha256')
        .where('document_id', '=', documentId)
        .where('role', '=', 'main')
        .executeTakeFirstOrThrow();
      docs.letter = (await app.deps.blobs.read(main.sha256)).toString('utf8');

      // The office answers at 10:00 Warsaw on 2 December; the resident collects it next day.
      clock.set('2026-12-02T09:00:00.000Z');
      const received = await answer(ANSWER);
      receivedDeliveryId = received.deliveryId;
      docs.sending = await receiptXml(received.proofOfSendingId);
      clock.set('2026-12-03T12:15:00.000Z');
      const challenge = await app.services.startFreshConfirmation({
        accountId: residentId,
        purpose: 'receipt',
      });
      const codeMail = await mail.waitFor('mieszkaniec@example.pl', (m) => /kod \d{6}/.test(m.subject ?? ''));
      const confirmed = await app.services.confirmReceipt({
        accountId: residentId,
        deliveryId: receivedDeliveryId,
        challengeId: challenge.id,
        code: /kod (\d{6})/.exec(codeMail.subject ?? '')![1],
      });
      docs.updReceived = await receiptXml(confirmed.proofOfReceiptId);

      // Another answer arrives at 23:30 Warsaw on 3 December and is never collected: deemed
      // delivered at 00:00 on 18 December (the day after the 14th day from 3 December).
      clock.set('2026-12-03T22:30:00.000Z');
      deemedDeliveryId = (await answer(DEEMED_ANSWER)).deliveryId;
      clock.set('2026-12-17T23:00:00.000Z');
      await app.services.runDueJobs(runner);
      const deemed = await app.services.getOfficeDelivery('umczestochowa', deemedDeliveryId);
      assert.equal(deemed.status, 'deemed');
      docs.updDeemed = await receiptXml(deemed.proofs.find((p) => p.kind === 'UPD')!.id);

      if (OUT) {
        fs.mkdirSync(OUT, { recursive: true });
        for (const [name, xml] of Object.entries(docs))
          fs.writeFileSync(path.join(OUT, `${name}-${dialect}.xml`), xml);
      }
    });
    after(async () => {
      await app.close();
      await env.cleanup();
      await mail.close();
    });

    test('every document verifies with xmlsec1 (office seal; the letter by the trusted-profile seal)', () => {
      for (const [name, xml] of Object.entries(docs)) {
        assert.ok(xml.length > 0, name);
        parse(xml);
        const result = xmlsecVerifies(xml, caPem);
        assert.ok(result.ok, `${name}: ${result.output}`);
      }
    });

    test('general letter: date in DaneDokumentu, the kind, structured IdInstytucji, the attachment by digest', () => {
      const root = parse(docs.letter);
      const data = root.getElementsByTagNameNS('*', 'DaneDokumentu')[0]!;
      assert.equal(field(data, 'Czas'), '2026-12-02', 'the Warsaw day, not the UTC one');
      assert.equal(field(root, 'NazwaInstytucji'), 'Urząd Miasta Częstochowy');
      const ids = root.getElementsByTagNameNS('*', 'IdInstytucji')[0]!;
      assert.deepEqual(
        children(children(ids).at(-1)!).map((c) => c.textContent),
        ['Identyfikator urzędu w Urząd OnLine', 'umczestochowa'],
      );
      assert.equal(field(root, 'PESEL'), '44051401359');
      assert.equal(field(root, 'MiejscowoscDokumentu'), 'Częstochowa');
      assert.equal(field(root, 'Tytul'), TITLE);
      const kind = root.getElementsByTagNameNS('*', 'RodzajWnioskuRozszerzony')[0]!;
      assert.equal(kind.getAttribute('rodzaj'), 'odwołanie');
      const attachment = root.getElementsByTagNameNS('*', 'Zalacznik')[0]!;
      assert.equal(attachment.getAttribute('nazwaPliku'), 'skan decyzji.pdf');
      assert.equal(attachment.getAttribute('kodowanie'), 'URI');
      assert.match(field(attachment, 'OpisZalacznika')!, /^SHA-256:[0-9a-f]{64}$/);
      assert.ok(root.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature').length > 0);
    });

    test('UPP: the office with its box address, Warsaw times with the offset, files with sizes and digests', () => {
      const body = children(parse(docs.upp))[0]!;
      assert.equal(body.localName, 'UPP');
      const office = body.getElementsByTagNameNS('*', 'Adresat')[0]!;
      assert.deepEqual(
        children(office).map((c) => [c.localName, c.textContent, c.getAttribute('TypIdentyfikatora')]),
        [
          ['Nazwa', 'Urząd Miasta Częstochowy', null],
          ['IdentyfikatorPodmiotu', '/umczestochowa/skrytka', 'AdresSkrytki'],
        ],
      );
      assert.match(field(body, 'DataDoreczenia')!, /^2026-12-02T00:30:00\.\d{3}\+01:00$/);
      assert.match(field(body, 'DataWytworzeniaPoswiadczenia')!, /^2026-12-02T00:30:00\.\d{3}\+01:00$/);
      assert.equal(field(body, 'IdentyfikatorDokumentu'), documentId);
      const files = Array.from(body.getElementsByTagNameNS('*', 'InformacjaUzupelniajaca')).filter((n) =>
        n.hasAttribute('NazwaPliku'),
      );
      assert.deepEqual(
        files.map((f) => [f.getAttribute('TypInformacjiUzupelniajacej'), f.getAttribute('NazwaPliku')]),
        [
          ['DokumentGlowny', 'pismo.xml'],
          ['Zalacznik', 'skan decyzji.pdf'],
        ],
      );
      for (const f of files) {
        assert.match(f.getAttribute('Rozmiar') ?? '', /^[1-9]\d*$/);
        assert.match(f.textContent ?? '', /^[0-9a-f]{64}$/);
      }
    });

    test('proof of sending: valid against our XSD and rendered by our stylesheet with every field', () => {
      const root = parse(docs.sending);
      assert.equal(children(root)[0]!.localName, 'DowodWyslania');
      const text = renderedText(path.join(DOCS_XML, 'dowod-wyslania.xsl'), docs.sending);
      for (const expected of [
        `Tytuł pisma ${ANSWER}`,
        `Znak sprawy ${documentId}`,
        'Urząd Miasta Częstochowy (identyfikator urzędu: umczestochowa, adres skrytki: /umczestochowa/skrytka)',
        `Data wysłania 2026-12-02T10:00:00.000+01:00`,
        `dokument główny decyzja „pasa” & <opłaty>.pdf`,
        'załącznik uzasadnienie.pdf',
      ])
        assert.ok(text.includes(expected), `${expected} in ${text}`);
      assert.match(text, new RegExp(`Adresat [^(]+ \\(IdentyfikatorKonta: ${residentId}\\)`));
      assert.match(text, /[0-9a-f]{64}/, 'the digests');
    });

    test('UPD received: DataOdbioru is the moment of receipt; arrival in the inbox stated; not deemed', () => {
      const body = children(parse(docs.updReceived))[0]!;
      assert.equal(body.localName, 'UPD');
      assert.deepEqual(
        children(body)
          .slice(0, 7)
          .map((c) => c.localName),
        [
          'IdentyfikatorPoswiadczenia',
          'PodmiotWystawiajacyPoswiadczenie',
          'Adresat',
          'DataOdbioru',
          'DataUtworzeniaPoswiadczenia',
          'IdentyfikatorSprawy',
          'IdentyfikatorDokumentu',
        ],
      );
      assert.equal(field(body, 'DataOdbioru'), '2026-12-03T13:15:00.000+01:00');
      assert.equal(field(body, 'IdentyfikatorSprawy'), documentId);
      assert.equal(field(body, 'IdentyfikatorDokumentu'), receivedDeliveryId);
      const n = new Map(notes(body));
      assert.equal(n.get('DataDostarczeniaDoSkrzynki'), '2026-12-02T10:00:00.000+01:00');
      assert.equal(n.get('DoreczenieZastepcze'), 'false');
      assert.equal(n.has('TerminLiczonyOd'), false);
    });

    test('UPD deemed: deemed at 00:00 Warsaw on the day after the 14th, and from which day the 14 days ran', () => {
      const body = children(parse(docs.updDeemed))[0]!;
      assert.equal(field(body, 'DataOdbioru'), '2026-12-18T00:00:00.000+01:00');
      assert.equal(field(body, 'IdentyfikatorDokumentu'), deemedDeliveryId);
      const n = new Map(notes(body));
      assert.equal(n.get('DataDostarczeniaDoSkrzynki'), '2026-12-03T23:30:00.000+01:00');
      assert.equal(n.get('DoreczenieZastepcze'), 'true');
      assert.equal(n.get('TerminLiczonyOd'), '2026-12-03');
    });

    // Only where the official stylesheets are at hand (see above): they stay out of the repository.
    if (OFFICIAL)
      test('rendered by ePUAP’s UPO stylesheet and the CRD stylesheet: every field shown', () => {
        const upo = path.join(OFFICIAL, 'upo.xsl');
        const upp = renderedText(upo, docs.upp);
        for (const expected of [
          'Nazwa adresata dokumentu: Urząd Miasta Częstochowy',
          'Identyfikator adresata: /umczestochowa/skrytka',
          'Rodzaj identyfikatora adresata: AdresSkrytki',
          'Data doręczenia: 2026-12-02T00:30:00.',
          `Identyfikator dokumentu, którego dotyczy poświadczenie: ${documentId}`,
          'Rodzaj informacji uzupełniającej: Zalacznik Wartość informacji uzupełniającej:',
        ])
          assert.ok(upp.includes(expected), `${expected} in ${upp}`);
        assert.doesNotMatch(upp, /Brak daty/);

        for (const [xml, received, deemed] of [
          [docs.updReceived, '2026-12-03T13:15:00.000+01:00', 'false'],
          [docs.updDeemed, '2026-12-18T00:00:00.000+01:00', 'true'],
        ] as const) {
          const upd = renderedText(upo, xml);
          for (const expected of [
            'Nazwa wystawcy poświadczenia: Urząd Miasta Częstochowy',
            'Identyfikator podmiotu: /umczestochowa/skrytka',
            `Data odbioru: ${received}`,
            'Data utworzenia poświadczenia: 20',
            `Identyfikator sprawy, której dotyczy odebrany dokument: ${documentId}`,
            `Rodzaj informacji uzupełniającej: DoreczenieZastepcze Wartość informacji uzupełniającej: ${deemed}`,
            'Rodzaj informacji uzupełniającej: DataDostarczeniaDoSkrzynki',
          ])
            assert.ok(upd.includes(expected), `${expected} in ${upd}`);
          assert.doesNotMatch(upd, /Brak daty|Brak identyfikatora/);
        }

        const letter = renderedText(path.join(OFFICIAL, 'pismo-ogolne.xsl'), docs.letter);
        for (const expected of [
          'Częstochowa, 2026-12-02',
          'Urząd Miasta Częstochowy',
          'Identyfikator urzędu w Urząd OnLine: umczestochowa',
          'PESEL: 44051401359',
          'Pismo ogólne do podmiotu publicznego',
          'odwołanie',
          TITLE,
          'Wnoszę odwołanie.',
          'skan decyzji.pdf (wartość skrótu w chwili załączania: SHA-256:',
          'Dokument został podpisany',
        ])
          assert.ok(letter.includes(expected), `${expected} in ${letter}`);
      });
  });
}
