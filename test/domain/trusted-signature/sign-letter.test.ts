import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { exclusiveC14n } from '../../../src/domain/receipts/exclusive-c14n';
import {
  signLetterWithTrustedProfile,
  PZ_NS,
  type TrustedIdentity,
} from '../../../src/domain/trusted-signature/sign-letter';
import type { Seal } from '../../../src/ports/seals';
import { temporarySeals, xadesjsVerifies, xmlsecVerifies } from '../../helpers/receipts';

// Deliberately far from canonical: every namespace declared on the root, attributes out of
// order and single-quoted, self-closing tags, character references, CRLF, a comment, CDATA,
// xml:lang, a default namespace and indentation.
const LETTER = [
  `<?xml version="1.0" encoding="UTF-8"?>`,
  `<wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/" xmlns:meta="http://crd.gov.pl/xml/schematy/meta/2009/11/16/" xmlns:str="http://crd.gov.pl/xml/schematy/struktura/2009/11/16/" xmlns:oso="http://crd.gov.pl/xml/schematy/osoba/2009/11/16/" xmlns:inst="http://crd.gov.pl/xml/schematy/instytucja/2009/11/16/" xmlns:adr="http://crd.gov.pl/xml/schematy/adres/2009/11/09/">`,
  `  <wnio:OpisDokumentu><meta:Data typDaty='stworzony'><meta:Czas>2026-11-26</meta:Czas></meta:Data></wnio:OpisDokumentu>`,
  `  <wnio:DaneDokumentu>`,
  `    <str:Naglowek><str:NazwaDokumentu>Pismo ogólne do podmiotu publicznego</str:NazwaDokumentu></str:Naglowek>`,
  `    <str:Adresaci><meta:Podmiot><inst:Instytucja><inst:NazwaInstytucji>Urząd Miasta Częstochowy</inst:NazwaInstytucji><inst:IdInstytucji/></inst:Instytucja></meta:Podmiot></str:Adresaci>`,
  `    <str:Nadawcy><meta:Podmiot><oso:Osoba><oso:Imie>Zażółć</oso:Imie><oso:Nazwisko>Gęślą-Jaźń</oso:Nazwisko><oso:IdOsoby><oso:PESEL>44051401359</oso:PESEL></oso:IdOsoby><adr:Adres><adr:Miejscowosc>Częstochowa</adr:Miejscowosc></adr:Adres></oso:Osoba></meta:Podmiot></str:Nadawcy>`,
  `  </wnio:DaneDokumentu>\r`,
  `  <!-- treść pisma -->`,
  `  <wnio:TrescDokumentu kodowanie="XML" format="text/xml">`,
  `    <wnio:MiejscowoscDokumentu>Częstochowa</wnio:MiejscowoscDokumentu><wnio:Tytul xml:lang="pl">Wniosek &amp; prośba o &#x41;kt &lt;pilne&gt; "cytat" 'apostrof'</wnio:Tytul>`,
  `    <wnio:RodzajWnioskuRozszerzony jakiInny="" rodzaj="podanie"/>`,
  `    <wnio:Informacje><wnio:Informacja><![CDATA[Akapit z <nawiasami> & znakiem]]></wnio:Informacja><wnio:Informacja>Drugi	akapit</wnio:Informacja></wnio:Informacje>`,
  `    <str:Zalaczniki><str:Zalacznik nazwaPliku="skan.pdf" kodowanie="base64" format="application/pdf"><str:DaneZalacznika>JVBERi0xLjQK</str:DaneZalacznika></str:Zalacznik></str:Zalaczniki>`,
  `    <dodatek xmlns="urn:przyklad:domyslna"><pole>wartość</pole><bez xmlns="">pusta przestrzeń</bez></dodatek>`,
  `  </wnio:TrescDokumentu>`,
  `</wnio:Dokument>`,
  ``,
].join('\n');

const IDENTITY: TrustedIdentity = {
  firstNames: 'Jan Maria',
  surname: 'Kowalski-Żółć',
  pesel: '44051401359',
  dateOfBirth: '1944-05-14',
  profileId: 'PZ-2026-000123',
  issuer: 'Urząd OnLine — punkt potwierdzający Urząd Miasta Częstochowy',
};

const keys = temporarySeals();
let platform: Seal;
let signed: string;

before(async () => {
  platform = await keys.seals.platform();
  signed = signLetterWithTrustedProfile(LETTER, IDENTITY, new Date(Date.now() - 1000), platform);
});
after(() => keys.cleanup());

describe('trusted signature of a letter', () => {
  test('verifies with xmlsec1 (platform CA) and with xadesjs', async () => {
    const result = xmlsecVerifies(signed, platform.caPem);
    assert.ok(result.ok, result.output);
    assert.equal(await xadesjsVerifies(signed), true);
  });

  test('the letter is kept as given, the signature is the last child of wnio:Dokument', () => {
    const end = signed.indexOf('<ds:Signature ');
    assert.equal(
      signed.slice(0, end) + signed.slice(signed.indexOf('</ds:Signature>') + '</ds:Signature>'.length),
      LETTER,
    );
    assert.match(signed, /<\/ds:Signature><\/wnio:Dokument>\n$/);
  });

  test('the identity is in the signed properties, in the podpis_zaufany namespace', () => {
    const doc = new DOMParser().parseFromString(signed, 'text/xml');
    const ep = doc.getElementsByTagNameNS(PZ_NS, 'EPSignature')[0];
    assert.ok(ep);
    assert.equal(ep.parentNode?.parentNode?.parentNode?.parentNode?.localName, 'SignedSignatureProperties');
    const value = (name: string) => doc.getElementsByTagNameNS(PZ_NS, name)[0]?.textContent;
    assert.equal(value('Imiona'), IDENTITY.firstNames);
    assert.equal(value('Nazwisko'), IDENTITY.surname);
    assert.equal(value('PESEL'), IDENTITY.pesel);
    assert.equal(value('DataUrodzenia'), IDENTITY.dateOfBirth);
    assert.equal(value('IdentyfikatorProfilu'), IDENTITY.profileId);
    assert.equal(value('WystawcaTozsamosci'), IDENTITY.issuer);
  });

  test('changing the PESEL in the identity, or a word of the letter: both reject', async () => {
    const otherPesel = signed.replace('<pz:PESEL>44051401359</pz:PESEL>', '<pz:PESEL>02070803628</pz:PESEL>');
    const otherText = signed.replace('Drugi\takapit', 'Drugi\tAKAPIT');
    for (const tampered of [otherPesel, otherText]) {
      assert.notEqual(tampered, signed);
      assert.equal(xmlsecVerifies(tampered, platform.caPem).ok, false);
      assert.equal(await xadesjsVerifies(tampered), false);
    }
  });

  test('refuses a letter that is not a wnio:Dokument, already signed, or with a DOCTYPE', () => {
    assert.throws(
      () => signLetterWithTrustedProfile('<a/>', IDENTITY, new Date(), platform),
      /wnio:Dokument/,
    );
    assert.throws(
      () => signLetterWithTrustedProfile(signed, IDENTITY, new Date(), platform),
      /already signed/,
    );
    assert.throws(
      () => signLetterWithTrustedProfile(`<!DOCTYPE x>${LETTER}`, IDENTITY, new Date(), platform),
      /DOCTYPE/,
    );
    assert.throws(
      () => signLetterWithTrustedProfile(`${LETTER}<!-- po -->`, IDENTITY, new Date(), platform),
      /nothing but its root/,
    );
    assert.throws(
      () => signLetterWithTrustedProfile(LETTER, { ...IDENTITY, pesel: '123' }, new Date(), platform),
      /PESEL/,
    );
  });

  test('exclusive c14n pushes namespace declarations down to where they are used', () => {
    const doc = new DOMParser().parseFromString(
      '<a:r xmlns:a="urn:a" xmlns:b="urn:b" z="1" b:y="2"><a:c/><d xmlns="urn:d"><e xmlns=""/></d></a:r>',
      'text/xml',
    );
    assert.equal(
      exclusiveC14n(doc.documentElement!),
      '<a:r xmlns:a="urn:a" xmlns:b="urn:b" z="1" b:y="2"><a:c></a:c><d xmlns="urn:d"><e xmlns=""></e></d></a:r>',
    );
    const other = new DOMParser().parseFromString('<r xmlns:u="urn:u"><u:x/><u:y u:k="v"/></r>', 'text/xml');
    assert.equal(
      exclusiveC14n(other.documentElement!),
      '<r><u:x xmlns:u="urn:u"></u:x><u:y xmlns:u="urn:u" u:k="v"></u:y></r>',
    );
  });
});
