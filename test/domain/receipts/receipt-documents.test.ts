import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { signReceipt, verifyReceipt, type ReceiptInput } from '../../../src/domain/receipts/index';
import type { Seal } from '../../../src/ports/seals';
import { ManualClock } from '../../../src/ports/clock';
import { OFFICE, receiptInput, temporarySeals, xmlsecVerifies } from '../../helpers/receipts';

const POS = 'http://crd.gov.pl/xml/schematy/UPO/2008/05/09/';
const DW = 'urn:urzad-online:xml:dowod-wyslania:2026';
const DOCS = path.join(import.meta.dirname, '../../../docs/xml');

// Certificates made on 1 January 2026 (valid 3 years); every check runs at the receipt's own time.
const keys = temporarySeals(new ManualClock('2026-01-01T00:00:00.000Z'));
let seal: Seal;
let caPem: string;
before(async () => {
  seal = await keys.seals.forOffice(OFFICE.id, OFFICE.name);
  caPem = fs.readFileSync(path.join(keys.dir, 'ca.cert.pem'), 'utf8');
});
after(() => keys.cleanup());

function parse(xml: string): Element {
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (_l, m) => problems.push(m) }).parseFromString(xml, 'text/xml');
  assert.deepEqual(problems, [], 'well-formed');
  return doc.documentElement!;
}
const children = (el: Element): Element[] =>
  Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1);
/** The body's children as [name, text or first attribute] pairs, for whole-structure comparison. */
const fields = (body: Element) =>
  children(body).map((c) => {
    const type = c.getAttribute('TypInformacjiUzupelniajacej');
    if (type) return [`${c.localName}[${type}]`, c.getAttribute('NazwaPliku') ?? c.textContent];
    if (children(c).length > 0)
      return [
        c.localName,
        children(c)
          .map((g) => `${g.localName}=${g.textContent}`)
          .join('; '),
      ];
    return [c.localName, c.textContent];
  });

async function sealAndCheck(input: ReceiptInput): Promise<{ xml: string; body: Element }> {
  const xml = signReceipt(input, seal);
  const at = new Date(input.issuedAt.getTime() + 1000);
  const xmlsec = xmlsecVerifies(xml, caPem, at);
  assert.ok(xmlsec.ok, xmlsec.output);
  const report = await verifyReceipt(Buffer.from(xml), { trustedCaPems: [caPem], now: at });
  assert.deepEqual(report.reasons, []);
  assert.equal(report.valid, true);
  return { xml, body: children(parse(xml))[0]! };
}

/** lxml (libxml2), an independent XSD and XSLT implementation. */
function lxml(script: string, xml: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-lxml-'));
  try {
    fs.writeFileSync(path.join(dir, 'doc.xml'), xml);
    const run = spawnSync('/usr/bin/python3', ['-c', script, DOCS, path.join(dir, 'doc.xml')], {
      encoding: 'utf8',
    });
    if (run.error) throw run.error;
    assert.equal(run.status, 0, run.stderr);
    return run.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
const XSD_CHECK = `import sys
from lxml import etree
schema = etree.XMLSchema(etree.parse(sys.argv[1] + '/dowod-wyslania.xsd'))
ok = schema.validate(etree.parse(sys.argv[2]))
print('valid' if ok else 'invalid: ' + str(schema.error_log))`;
const RENDER = `import sys
from lxml import etree, html
out = etree.XSLT(etree.parse(sys.argv[1] + '/dowod-wyslania.xsl'))(etree.parse(sys.argv[2]))
print(' '.join(html.fromstring(bytes(out)).text_content().split()))`;

// 00:30 Warsaw on 2 December (CET): the UTC date is 1 December
const ARRIVED = new Date('2026-12-01T23:30:00.000Z');

describe('UPP as ePUAP writes it', () => {
  test('fields, names and order; the office by its box; times in Warsaw time with the offset', async () => {
    const input = receiptInput('UPP', {
      enteredAt: new Date('2026-12-06T02:38:27.832Z'),
      issuedAt: new Date('2026-12-06T02:38:28.101Z'),
    });
    const { body } = await sealAndCheck(input);
    assert.equal(body.namespaceURI, POS);
    assert.equal(body.localName, 'UPP');
    assert.deepEqual(fields(body), [
      ['IdentyfikatorPoswiadczenia', 'UPP-2026-000042'],
      ['Adresat', 'Nazwa=Urząd Miasta Częstochowy; IdentyfikatorPodmiotu=/umczestochowa/skrytka'],
      ['Nadawca', 'Nazwa=Jan Kowalski; IdentyfikatorPodmiotu=konto-7f3a'],
      ['DataDoreczenia', '2026-12-06T03:38:27.832+01:00'],
      ['DataWytworzeniaPoswiadczenia', '2026-12-06T03:38:28.101+01:00'],
      ['IdentyfikatorDokumentu', 'DOC-2026-000042'],
      ['InformacjaUzupelniajaca[IdentyfikatorUrzedu]', 'umczestochowa'],
      ['InformacjaUzupelniajaca[DokumentGlowny]', 'wniosek.xml'],
      ['InformacjaUzupelniajaca[Zalacznik]', 'skan dowodu.pdf'],
      ['InformacjaUzupelniajaca[Zalacznik]', 'zaświadczenie.jpg'],
      ['InformacjaUzupelniajaca[PozycjaWRejestrze]', '1234'],
    ]);
    const box = children(children(body)[1]!)[1]!;
    assert.equal(box.getAttribute('TypIdentyfikatora'), 'AdresSkrytki');
    const main = children(body)[7]!;
    assert.deepEqual(
      [main.getAttribute('Rozmiar'), main.getAttribute('Algorytm'), main.textContent],
      ['2048', 'SHA-256', 'a3'.repeat(32)],
    );
  });
});

describe('UPD as ePUAP writes it', () => {
  test('received: DataOdbioru, DataUtworzeniaPoswiadczenia, IdentyfikatorSprawy; arrival stated', async () => {
    const { body } = await sealAndCheck(
      receiptInput('UPD', {
        arrivedAt: ARRIVED,
        enteredAt: new Date('2026-12-03T09:15:00.000Z'),
        issuedAt: new Date('2026-12-03T09:15:00.250Z'),
        deemed: false,
      }),
    );
    assert.equal(body.localName, 'UPD');
    assert.deepEqual(fields(body), [
      ['IdentyfikatorPoswiadczenia', 'UPD-2026-000042'],
      [
        'PodmiotWystawiajacyPoswiadczenie',
        'Nazwa=Urząd Miasta Częstochowy; IdentyfikatorPodmiotu=/umczestochowa/skrytka',
      ],
      ['Adresat', 'Nazwa=Jan Kowalski; IdentyfikatorPodmiotu=konto-7f3a'],
      ['DataOdbioru', '2026-12-03T10:15:00.000+01:00'],
      ['DataUtworzeniaPoswiadczenia', '2026-12-03T10:15:00.250+01:00'],
      ['IdentyfikatorSprawy', 'WK.5410.12.2026'],
      ['IdentyfikatorDokumentu', 'DOC-2026-000042'],
      ['InformacjaUzupelniajaca[IdentyfikatorUrzedu]', 'umczestochowa'],
      ['InformacjaUzupelniajaca[Wysylajacy]', 'Wydział Komunikacji'],
      ['InformacjaUzupelniajaca[DataDostarczeniaDoSkrzynki]', '2026-12-02T00:30:00.000+01:00'],
      ['InformacjaUzupelniajaca[DoreczenieZastepcze]', 'false'],
      ['InformacjaUzupelniajaca[DokumentGlowny]', 'wniosek.xml'],
      ['InformacjaUzupelniajaca[Zalacznik]', 'skan dowodu.pdf'],
      ['InformacjaUzupelniajaca[Zalacznik]', 'zaświadczenie.jpg'],
      ['InformacjaUzupelniajaca[PozycjaWRejestrze]', '1234'],
    ]);
  });

  test('deemed: stated as deemed, with the day the 14 days ran from; the report reads it back', async () => {
    const input = receiptInput('UPD', {
      arrivedAt: ARRIVED,
      enteredAt: new Date('2026-12-16T23:00:00.000Z'),
      issuedAt: new Date('2026-12-16T23:00:00.000Z'),
      deemed: true,
    });
    const { xml, body } = await sealAndCheck(input);
    const f = fields(body);
    assert.deepEqual(f[3], ['DataOdbioru', '2026-12-17T00:00:00.000+01:00']);
    assert.deepEqual(f.slice(9, 12), [
      ['InformacjaUzupelniajaca[DataDostarczeniaDoSkrzynki]', '2026-12-02T00:30:00.000+01:00'],
      ['InformacjaUzupelniajaca[DoreczenieZastepcze]', 'true'],
      ['InformacjaUzupelniajaca[TerminLiczonyOd]', '2026-12-02'],
    ]);
    const report = await verifyReceipt(Buffer.from(xml), { trustedCaPems: [caPem], now: input.issuedAt });
    assert.equal(report.deemed, true);
    assert.equal(report.termFrom, '2026-12-02');
    assert.equal(report.arrivedAt, ARRIVED.toISOString());
    assert.equal(report.enteredAt, '2026-12-16T23:00:00.000Z', 'the same instant, read back in UTC');
    assert.equal(report.caseReference, 'WK.5410.12.2026');
    assert.deepEqual(report.office, OFFICE);
  });
});

describe('proof of sending in its own namespace', () => {
  test('fields, names and order; valid against docs/xml/dowod-wyslania.xsd; rendered by our stylesheet', async () => {
    const { xml, body } = await sealAndCheck(
      receiptInput('sending', { enteredAt: ARRIVED, issuedAt: new Date(ARRIVED.getTime() + 120) }),
    );
    assert.equal(body.namespaceURI, DW);
    assert.equal(body.localName, 'DowodWyslania');
    assert.deepEqual(fields(body), [
      ['IdentyfikatorDowodu', 'sending-2026-000042'],
      ['Tytul', 'Decyzja w sprawie „zajęcia pasa” <drogowego> & opłat'],
      ['ZnakSprawy', 'WK.5410.12.2026'],
      [
        'Nadawca',
        'Nazwa=Urząd Miasta Częstochowy; IdentyfikatorUrzedu=umczestochowa; AdresSkrytki=/umczestochowa/skrytka; Wysylajacy=Wydział Komunikacjiurzednik-12',
      ],
      ['Adresat', 'Nazwa=Jan Kowalski; Identyfikator=konto-7f3a'],
      ['DataWyslania', '2026-12-02T00:30:00.000+01:00'],
      ['DataWytworzeniaDowodu', '2026-12-02T00:30:00.120+01:00'],
      ['IdentyfikatorDokumentu', 'DOC-2026-000042'],
      ['Plik', 'a3'.repeat(32)],
      ['Plik', '5b'.repeat(32)],
      ['Plik', 'c0'.repeat(32)],
      ['PozycjaWRejestrze', '1234'],
    ]);
    const files = children(body).filter((c) => c.localName === 'Plik');
    assert.deepEqual(
      files.map((p) => [p.getAttribute('Rola'), p.getAttribute('NazwaPliku'), p.getAttribute('Rozmiar')]),
      [
        ['DokumentGlowny', 'wniosek.xml', '2048'],
        ['Zalacznik', 'skan dowodu.pdf', '1048576'],
        ['Zalacznik', 'zaświadczenie.jpg', '52113'],
      ],
    );
    assert.equal(lxml(XSD_CHECK, xml).trim(), 'valid');
    const text = lxml(RENDER, xml);
    for (const expected of [
      'Tytuł pisma Decyzja w sprawie „zajęcia pasa” <drogowego> & opłat',
      'Znak sprawy WK.5410.12.2026',
      'Urząd Miasta Częstochowy (identyfikator urzędu: umczestochowa, adres skrytki: /umczestochowa/skrytka)',
      'Adresat Jan Kowalski (IdentyfikatorKonta: konto-7f3a)',
      'Data wysłania 2026-12-02T00:30:00.000+01:00',
      `załącznik skan dowodu.pdf 1048576 ${'5b'.repeat(32)}`,
    ])
      assert.ok(text.includes(expected), `${expected} in ${text}`);
  });

  test('a schema-invalid proof is refused by the XSD (the check can fail)', async () => {
    const xml = signReceipt(receiptInput('sending', { enteredAt: ARRIVED, issuedAt: ARRIVED }), seal).replace(
      /<dw:Tytul>[^<]*<\/dw:Tytul>/,
      '',
    );
    assert.match(lxml(XSD_CHECK, xml), /^invalid/);
  });
});

describe('bad input still makes well-formed receipts that verify', () => {
  const NASTY = 'Zażółć gęślą jaźń & <b>"x"</b> \'y\' ]]> \t';
  const many = Array.from({ length: 101 }, (_, i) => ({
    role: (i === 0 ? 'main' : 'attachment') as 'main' | 'attachment',
    name: `plik ${i} & <${i}>.pdf`,
    sha256: (i % 256).toString(16).padStart(2, '0').repeat(32),
    size: i,
  }));
  const times: [string, string, string][] = [
    ['spring DST change', '2026-03-29T01:00:00.000Z', '2026-03-29T03:00:00.000+02:00'],
    ['autumn DST change', '2026-10-25T01:00:00.000Z', '2026-10-25T02:00:00.000+01:00'],
    ['leap day', '2028-02-29T12:00:00.000Z', '2028-02-29T13:00:00.000+01:00'],
    ['last minute before midnight in Warsaw', '2026-12-31T22:59:59.999Z', '2026-12-31T23:59:59.999+01:00'],
  ];
  for (const kind of ['UPP', 'sending', 'UPD'] as const) {
    for (const [name, iso, written] of times) {
      test(`${kind}, ${name}`, async () => {
        const at = new Date(iso);
        const { xml } = await sealAndCheck(
          receiptInput(kind, {
            enteredAt: new Date(at.getTime() - 1000),
            issuedAt: at,
            ...(kind === 'UPD' ? { arrivedAt: new Date(at.getTime() - 2000) } : {}),
          }),
        );
        assert.ok(xml.includes(`>${written}<`), written);
      });
    }
    test(`${kind}: no attachments, and 100 attachments`, async () => {
      const at = {
        enteredAt: ARRIVED,
        issuedAt: new Date(ARRIVED.getTime() + 5000),
        ...(kind === 'UPD' ? { arrivedAt: ARRIVED } : {}),
      };
      await sealAndCheck(receiptInput(kind, { ...at, files: [many[0]!] }));
      const { body } = await sealAndCheck(receiptInput(kind, { ...at, files: many }));
      const named = children(body).filter((c) => c.hasAttribute('NazwaPliku'));
      assert.equal(named.length, 101);
      assert.equal(named[100]!.getAttribute('NazwaPliku'), 'plik 100 & <100>.pdf');
    });
    test(`${kind}: Polish and XML-special characters in every field`, async () => {
      const party = { name: NASTY, id: NASTY, idType: 'IdentyfikatorKonta' };
      const input = receiptInput(kind, {
        enteredAt: ARRIVED,
        issuedAt: new Date(ARRIVED.getTime() + 5000),
        ...(kind === 'UPD' ? { arrivedAt: ARRIVED } : {}),
        receiptId: NASTY,
        documentId: NASTY,
        // The id stays the sealing office's: a seal names its office by id (row 4).
        office: { id: OFFICE.id, name: NASTY, boxAddress: NASTY },
        sender: party,
        ...(kind === 'UPP' ? {} : { recipient: party, caseReference: NASTY }),
        ...(kind === 'sending' ? { title: NASTY } : {}),
        files: [{ role: 'main', name: NASTY, sha256: 'ab'.repeat(32), size: 1 }],
        notes: [{ type: 'Uwierzytelnienie', value: NASTY }],
      });
      const { xml } = await sealAndCheck(input);
      const report = await verifyReceipt(Buffer.from(xml), { trustedCaPems: [caPem], now: input.issuedAt });
      assert.equal(report.receiptId, NASTY);
      assert.deepEqual(report.office, { id: OFFICE.id, name: NASTY, boxAddress: NASTY });
      assert.equal(report.party?.name, NASTY);
      assert.equal(report.files[0]!.name, NASTY);
      assert.deepEqual(report.notes, [{ type: 'Uwierzytelnienie', value: NASTY }]);
      if (kind === 'sending') assert.equal(report.title, NASTY);
      if (kind === 'sending') assert.equal(lxml(XSD_CHECK, xml).trim(), 'valid');
    });
  }
});
