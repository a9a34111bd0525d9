import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import {
  buildGeneralLetterXml,
  DEFAULT_OTHER_KIND,
  NS,
  OFFICE_ID_TYPE,
  type GeneralLetter,
} from '../../../src/domain/letters/general-letter';
import { buildEmbeddedLetterXml } from '../../../src/domain/letters/embedded-letter';
import { LETTER_KINDS } from '../../../src/domain/letters/letter-kind';
import { signLetterWithTrustedProfile } from '../../../src/domain/trusted-signature/sign-letter';
import type { Seal } from '../../../src/ports/seals';
import { temporarySeals, xmlsecVerifies } from '../../helpers/receipts';

const NASTY = 'Zażółć gęślą\u0001 jaźń & <b>"cudzysłów"</b> \'apostrof\' ]]>';

const letter = (overrides: Partial<GeneralLetter> = {}): GeneralLetter => ({
  // 00:30 Warsaw (CET) on 2 March: the UTC date is still 1 March
  createdAt: new Date('2026-03-01T23:30:00.000Z'),
  office: { id: 'umczestochowa', name: 'Urząd Miasta Częstochowy', regon: '000000000' },
  sender: {
    firstName: 'Jan',
    surname: 'Kowalski',
    pesel: '44051401359',
    email: 'jan@example.pl',
    phone: '+48 600 000 000',
    address: {
      street: 'Aleja NMP',
      buildingNumber: '45',
      flatNumber: '3',
      postalCode: '42-217',
      city: 'Częstochowa',
    },
  },
  place: 'Częstochowa',
  title: 'Wniosek o zaświadczenie',
  kind: 'podanie',
  body: 'Pierwszy akapit.\n\nDrugi akapit.',
  attachments: [{ name: 'skan.pdf', mediaType: 'application/pdf', sha256: 'ab'.repeat(32) }],
  ...overrides,
});

/** Parses strictly: any warning or error fails. */
function parse(xml: string): Document {
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (_l, m) => problems.push(m) }).parseFromString(xml, 'text/xml');
  assert.deepEqual(problems, [], 'well-formed');
  return doc;
}

const children = (el: Element): Element[] =>
  Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1);
const names = (el: Element) => children(el).map((c) => c.nodeName);
const one = (doc: Document | Element, ns: string, name: string): Element => {
  const found = doc.getElementsByTagNameNS(ns, name);
  assert.equal(found.length, 1, `${name} once`);
  return found[0]!;
};

describe('general letter (wzór 2013/12/12/1410)', () => {
  test('the date the CRD stylesheet reads is in DaneDokumentu, as the Warsaw calendar day', () => {
    const doc = parse(buildGeneralLetterXml(letter()));
    const dane = one(doc, NS.wnio, 'DaneDokumentu');
    assert.deepEqual(names(dane), ['str:Naglowek', 'meta:Data', 'str:Adresaci', 'str:Nadawcy']);
    const data = children(dane)[1]!;
    assert.equal(data.getAttribute('typDaty'), 'stworzony');
    assert.equal(children(data)[0]!.textContent, '2026-03-02');
  });

  test('each kind: the template word; "other" is "inne pismo" with jakiInny', () => {
    const words = LETTER_KINDS.map((kind) => {
      const el = one(parse(buildGeneralLetterXml(letter({ kind }))), NS.wnio, 'RodzajWnioskuRozszerzony');
      return [el.getAttribute('rodzaj'), el.getAttribute('jakiInny')];
    });
    assert.deepEqual(words, [
      ['podanie', ''],
      ['żądanie', ''],
      ['wyjaśnienie', ''],
      ['odwołanie', ''],
      ['zażalenie', ''],
      ['inne pismo', DEFAULT_OTHER_KIND],
    ]);
    const named = one(
      parse(buildGeneralLetterXml(letter({ kind: 'inne', otherKind: 'skarga' }))),
      NS.wnio,
      'RodzajWnioskuRozszerzony',
    );
    assert.deepEqual(
      [named.getAttribute('rodzaj'), named.getAttribute('jakiInny')],
      ['inne pismo', 'skarga'],
    );
  });

  test('the office: name, then IdInstytucji with child elements', () => {
    const inst = one(parse(buildGeneralLetterXml(letter())), NS.inst, 'Instytucja');
    assert.deepEqual(names(inst), ['inst:NazwaInstytucji', 'inst:IdInstytucji']);
    const id = children(inst)[1]!;
    assert.deepEqual(names(id), ['inst:REGON', 'inst:InnyIdentyfikator']);
    assert.equal(children(id)[0]!.textContent, '000000000');
    const other = children(id)[1]!;
    assert.deepEqual(
      children(other).map((c) => [c.nodeName, c.textContent]),
      [
        ['inst:TypIdentyfikatora', OFFICE_ID_TYPE],
        ['inst:WartoscIdentyfikatora', 'umczestochowa'],
      ],
    );
  });

  test('the sender: IdOsoby, names, address elements in schema order, contact', () => {
    const osoba = one(parse(buildGeneralLetterXml(letter())), NS.oso, 'Osoba');
    assert.deepEqual(names(osoba), ['oso:IdOsoby', 'oso:Imie', 'oso:Nazwisko', 'adr:Adres', 'adr:Kontakt']);
    const adres = children(osoba)[3]!;
    assert.deepEqual(
      children(adres).map((c) => [c.nodeName, c.textContent]),
      [
        ['adr:KodPocztowy', '42-217'],
        ['adr:Miejscowosc', 'Częstochowa'],
        ['adr:Ulica', 'Aleja NMP'],
        ['adr:Budynek', '45'],
        ['adr:Lokal', '3'],
      ],
    );
    assert.deepEqual(names(children(osoba)[4]!), ['adr:Telefon', 'adr:Email']);
  });

  test('a resident with no address: no empty Adres element', () => {
    const doc = parse(buildGeneralLetterXml(letter({ sender: { firstName: 'Jan', surname: 'Kowalski' } })));
    assert.equal(doc.getElementsByTagNameNS(NS.adr, 'Adres').length, 0);
    assert.deepEqual(names(one(doc, NS.oso, 'Osoba')), ['oso:Imie', 'oso:Nazwisko']);
  });

  test('0 and 100 attachments, by digest', () => {
    const none = parse(buildGeneralLetterXml(letter({ attachments: [] })));
    assert.equal(none.getElementsByTagNameNS(NS.str, 'Zalaczniki').length, 0);
    const many = Array.from({ length: 100 }, (_, i) => ({
      name: `załącznik ${i} & <${i}>.pdf`,
      mediaType: 'application/pdf',
      sha256: i.toString(16).padStart(2, '0').repeat(32),
    }));
    const doc = parse(buildGeneralLetterXml(letter({ attachments: many })));
    const items = Array.from(doc.getElementsByTagNameNS(NS.str, 'Zalacznik'));
    assert.equal(items.length, 100);
    items.forEach((item, i) => {
      assert.equal(item.getAttribute('nazwaPliku'), many[i]!.name);
      assert.equal(item.getAttribute('kodowanie'), 'URI');
      assert.equal(one(item, NS.str, 'DaneZalacznika').textContent, `urn:sha256:${many[i]!.sha256}`);
    });
  });

  test('Polish and XML-special characters in every field: well-formed, read back as written', () => {
    const clean = NASTY.replace('\u0001', '');
    const xml = buildGeneralLetterXml(
      letter({
        office: { id: NASTY, name: NASTY },
        sender: {
          firstName: NASTY,
          surname: NASTY,
          email: NASTY,
          phone: NASTY,
          address: { street: NASTY, buildingNumber: NASTY, postalCode: NASTY, city: NASTY },
        },
        place: NASTY,
        title: NASTY,
        kind: 'inne',
        otherKind: NASTY,
        body: NASTY,
        attachments: [{ name: NASTY, mediaType: 'application/pdf', sha256: 'cd'.repeat(32) }],
      }),
    );
    const doc = parse(xml);
    for (const [ns, name] of [
      [NS.inst, 'NazwaInstytucji'],
      [NS.inst, 'WartoscIdentyfikatora'],
      [NS.oso, 'Imie'],
      [NS.oso, 'Nazwisko'],
      [NS.adr, 'Email'],
      [NS.adr, 'Ulica'],
      [NS.adr, 'Miejscowosc'],
      [NS.wnio, 'MiejscowoscDokumentu'],
      [NS.wnio, 'Tytul'],
      [NS.wnio, 'Informacja'],
    ] as const)
      assert.equal(one(doc, ns, name).textContent, clean, name);
    assert.equal(one(doc, NS.wnio, 'RodzajWnioskuRozszerzony').getAttribute('jakiInny'), clean);
    assert.equal(one(doc, NS.str, 'Zalacznik').getAttribute('nazwaPliku'), clean);
  });
});

describe('the letter as it leaves for an EZD: every file embedded as base64', () => {
  const files = [
    { name: 'pismo.xml', mediaType: 'text/xml', content: Buffer.from('<a>ż</a>') },
    { name: `${NASTY}.pdf`, mediaType: 'application/pdf', content: Buffer.from('%PDF-1.7 \x00\xff') },
  ].map((f) => ({ ...f, sha256: 'cd'.repeat(32) }));
  const xml = buildEmbeddedLetterXml({
    documentId: 'doc-1',
    // 00:30 Warsaw (CET) on 2 March: the UTC date is still 1 March
    receivedAt: new Date('2026-03-01T23:30:00.000Z'),
    office: { id: 'umczestochowa', name: 'Urząd Miasta Częstochowy' },
    senderName: 'Jan Kowalski',
    title: NASTY,
    files,
  });
  const doc = parse(xml);

  test('the date in DaneDokumentu as the Warsaw day, the arrival with its offset, IdInstytucji structured', () => {
    const data = one(doc, NS.wnio, 'DaneDokumentu');
    assert.deepEqual(names(data), ['str:Naglowek', 'meta:Data', 'str:Adresaci', 'str:Nadawcy']);
    assert.equal(one(data, NS.meta, 'Czas').textContent, '2026-03-02');
    assert.equal(
      one(one(doc, NS.wnio, 'OpisDokumentu'), NS.meta, 'Czas').textContent,
      '2026-03-02T00:30:00.000+01:00',
    );
    const ids = one(doc, NS.inst, 'IdInstytucji');
    assert.deepEqual(
      children(one(ids, NS.inst, 'InnyIdentyfikator')).map((c) => c.textContent),
      [OFFICE_ID_TYPE, 'umczestochowa'],
    );
  });

  test('each file base64 with its name and digest, the bytes as filed', () => {
    const embedded = Array.from(doc.getElementsByTagNameNS(NS.str, 'Zalacznik'));
    assert.deepEqual(
      embedded.map((z) => [z.getAttribute('kodowanie'), z.getAttribute('nazwaPliku')]),
      files.map((f) => ['base64', f.name.replaceAll('\u0001', '')]),
    );
    embedded.forEach((z, i) => {
      assert.equal(one(z, NS.str, 'OpisZalacznika').textContent, `SHA-256:${files[i]!.sha256}`);
      assert.deepEqual(
        Buffer.from(one(z, NS.str, 'DaneZalacznika').textContent ?? '', 'base64'),
        files[i]!.content,
      );
    });
  });
});

describe('general letter signed with the trusted profile', () => {
  const keys = temporarySeals();
  let platform: Seal;
  before(async () => {
    platform = await keys.seals.platform();
  });
  after(() => keys.cleanup());

  const identity = {
    firstNames: 'Jan',
    surname: 'Kowalski',
    pesel: '44051401359',
    dateOfBirth: '1944-05-14',
    profileId: 'PZ-2026-000123',
    issuer: 'Urząd OnLine',
  };

  for (const [name, overrides] of [
    ['plain', {}],
    [
      '100 attachments, no address',
      {
        sender: { firstName: 'Jan', surname: 'Kowalski' },
        attachments: Array.from({ length: 100 }, (_, i) => ({
          name: `${i}.pdf`,
          mediaType: 'application/pdf',
          sha256: 'ef'.repeat(32),
        })),
      },
    ],
    [
      'special characters everywhere',
      { title: NASTY, body: NASTY, place: NASTY, kind: 'inne', otherKind: NASTY },
    ],
  ] as [string, Partial<GeneralLetter>][]) {
    test(`${name}: xmlsec1 verifies`, () => {
      const signed = signLetterWithTrustedProfile(
        buildGeneralLetterXml(letter(overrides)),
        identity,
        new Date(Date.now() - 1000),
        platform,
      );
      parse(signed);
      const result = xmlsecVerifies(signed, platform.caPem);
      assert.ok(result.ok, result.output);
    });
  }
});
