import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import {
  RECEIPT_KINDS,
  receiptDocument,
  signReceipt,
  verifyReceipt,
  type ReceiptReport,
} from '../../../src/domain/receipts/index';
import type { Seal } from '../../../src/ports/seals';
import {
  receiptInput,
  temporarySeals,
  xadesjsVerifies,
  xmlsecVerifies,
  OFFICE,
} from '../../helpers/receipts';

const keys = temporarySeals();
const otherKeys = temporarySeals();
let seal: Seal;
let caPem: string;

before(async () => {
  seal = await keys.seals.forOffice(OFFICE.id, OFFICE.name);
  // The CA as an outsider gets it: the public file the installation keeps.
  caPem = fs.readFileSync(path.join(keys.dir, 'ca.cert.pem'), 'utf8');
});
after(() => {
  keys.cleanup();
  otherKeys.cleanup();
});

const verify = (xml: string | Buffer, trusted = [caPem]): Promise<ReceiptReport> =>
  verifyReceipt(Buffer.from(xml), { trustedCaPems: trusted });
const keysOf = (report: ReceiptReport) => report.reasons.map((r) => r.key);

/** Asserts that xmlsec1, xadesjs and our verifier all reject the receipt. */
async function assertAllReject(xml: string, expectedKey?: string): Promise<void> {
  assert.equal(xmlsecVerifies(xml, caPem).ok, false, 'xmlsec1 must reject');
  assert.equal(await xadesjsVerifies(xml), false, 'xadesjs must reject');
  const report = await verify(xml);
  assert.equal(report.valid, false, 'verifyReceipt must reject');
  if (expectedKey)
    assert.ok(
      keysOf(report).includes(expectedKey as never),
      `expected ${expectedKey}, got ${keysOf(report).join(', ')}`,
    );
}

for (const kind of RECEIPT_KINDS) {
  describe(`receipt ${kind}`, () => {
    let xml: string;
    before(() => {
      xml = signReceipt(receiptInput(kind), seal);
    });

    test('verifies with xmlsec1, with xadesjs and with verifyReceipt', async () => {
      const xmlsec = xmlsecVerifies(xml, caPem);
      assert.ok(xmlsec.ok, xmlsec.output);
      assert.match(xmlsec.output, /SignedInfo References \(ok\/all\): 2\/2/);
      assert.equal(await xadesjsVerifies(xml), true);
      const report = await verify(xml);
      assert.deepEqual(report.reasons, []);
      assert.equal(report.valid, true);
      assert.equal(report.chainTrusted, true);
      const input = receiptInput(kind);
      assert.equal(report.kind, kind);
      assert.equal(report.receiptId, input.receiptId);
      assert.equal(report.documentId, input.documentId);
      assert.deepEqual(report.office, OFFICE);
      assert.deepEqual(report.files, input.files);
      assert.equal(report.logIndex, 1234);
      assert.equal(report.enteredAt, input.enteredAt.toISOString());
      assert.equal(report.issuedAt, input.issuedAt.toISOString());
      assert.match(
        report.signer?.subject ?? '',
        /O=Urząd Miasta Częstochowy, CN=Urząd Miasta Częstochowy — pieczęć elektroniczna/,
      );
      assert.match(report.entryHash, /^[0-9a-f]{64}$/);
    });

    test('the element under the root names the kind', () => {
      const start = {
        UPP: '<pos:Dokument xmlns:pos="http://crd.gov.pl/xml/schematy/UPO/2008/05/09/"><pos:UPP>',
        sending: '<dw:Dokument xmlns:dw="urn:urzad-online:xml:dowod-wyslania:2026"><dw:DowodWyslania>',
        UPD: '<pos:Dokument xmlns:pos="http://crd.gov.pl/xml/schematy/UPO/2008/05/09/"><pos:UPD>',
      }[kind];
      assert.ok(xml.includes(start), start);
      if (kind === 'UPD') assert.match(xml, /<pos:Adresat><pos:Nazwa>Jan Kowalski<\/pos:Nazwa>/);
      if (kind === 'sending') assert.match(xml, /<dw:Adresat><dw:Nazwa>Jan Kowalski<\/dw:Nazwa>/);
    });

    test('flipping a digit of a digest: all reject', async () => {
      const tampered = xml.replace(
        /(<ds:DigestValue>)(.)/,
        (_m, open: string, c: string) => open + (c === 'A' ? 'B' : 'A'),
      );
      assert.notEqual(tampered, xml);
      await assertAllReject(tampered);
    });

    test('re-ordering two elements: all reject', async () => {
      const infos =
        xml.match(
          kind === 'sending'
            ? /<dw:Plik [^>]*Rola="Zalacznik"[^>]*>[0-9a-f]+<\/dw:Plik>/g
            : /<pos:InformacjaUzupelniajaca [^>]*TypInformacjiUzupelniajacej="Zalacznik">[0-9a-f]+<\/pos:InformacjaUzupelniajaca>/g,
        ) ?? [];
      assert.equal(infos.length, 2);
      const tampered = xml.replace(infos[0]! + infos[1]!, infos[1]! + infos[0]!);
      assert.notEqual(tampered, xml);
      await assertAllReject(tampered, 'receipt.verify.documentChanged');
    });

    test('adding an element: all reject', async () => {
      const extra =
        kind === 'sending'
          ? `<dw:Plik Algorytm="SHA-256" NazwaPliku="dopisany.pdf" Rola="Zalacznik" Rozmiar="1">${'e'.repeat(64)}</dw:Plik>`
          : '<pos:InformacjaUzupelniajaca Algorytm="SHA-256" NazwaPliku="dopisany.pdf" Rozmiar="1" TypInformacjiUzupelniajacej="Zalacznik">' +
            'e'.repeat(64) +
            '</pos:InformacjaUzupelniajaca>';
      const tampered = xml.replace(
        kind === 'sending'
          ? '<dw:PozycjaWRejestrze>'
          : '<pos:InformacjaUzupelniajaca TypInformacjiUzupelniajacej="PozycjaWRejestrze">',
        `${extra}$&`,
      );
      assert.notEqual(tampered, xml);
      await assertAllReject(tampered, 'receipt.verify.documentChanged');
    });

    test('changing the SigningTime: all reject', async () => {
      const later = new Date(receiptInput(kind).issuedAt.getTime() + 1000).toISOString();
      const tampered = xml.replace(/<xades:SigningTime>[^<]+</, `<xades:SigningTime>${later}<`);
      assert.notEqual(tampered, xml);
      await assertAllReject(tampered, 'receipt.verify.signedPropertiesChanged');
    });
  });
}

describe('receipt signatures by the wrong key or CA', () => {
  test('signed with another key under the office certificate: all reject', async () => {
    const other = await otherKeys.seals.forOffice(OFFICE.id, OFFICE.name);
    const xml = signReceipt(receiptInput('UPP'), {
      privateKey: other.privateKey,
      certificateDer: seal.certificateDer,
    });
    await assertAllReject(xml, 'receipt.verify.signatureInvalid');
  });

  test('a certificate from another CA: xmlsec1 and verifyReceipt reject', async () => {
    const other = await otherKeys.seals.forOffice(OFFICE.id, OFFICE.name);
    const xml = signReceipt(receiptInput('UPP'), other);
    // The signature itself is sound (xadesjs checks only that); trust is what fails.
    assert.equal(await xadesjsVerifies(xml), true);
    assert.equal(xmlsecVerifies(xml, caPem).ok, false);
    const report = await verify(xml);
    assert.equal(report.valid, false);
    assert.equal(report.chainTrusted, false);
    assert.deepEqual(keysOf(report), ['receipt.verify.chainUntrusted']);
    // With the other CA trusted, the same receipt is valid: the check is about trust, not format.
    assert.equal((await verify(xml, [other.caPem])).valid, true);
  });

  test('the platform seal is not an office seal but verifies under the same CA', async () => {
    const platform = await keys.seals.platform();
    const xml = signReceipt(receiptInput('UPP'), platform);
    assert.ok(xmlsecVerifies(xml, caPem).ok);
    assert.match((await verify(xml)).signer?.subject ?? '', /O=Urząd OnLine/);
  });
});

describe('escaping and Polish characters', () => {
  const awkward = 'Zażółć gęślą jaźń ŻÓŁW & <Spółka> "cudzysłów" \'apostrof\' > koniec\r\nnowa linia\tTab';

  test('names with &, <, >, quotes, CR, LF, tab survive signing and verification', async () => {
    const input = receiptInput('UPP', {
      office: { ...OFFICE, id: 'gmina-lodz', name: `Urząd "Gminy" & <Miasta> Łódź` },
      sender: { name: awkward, id: 'id "1" & <2>', idType: 'Typ "A" & <B>\t\n' },
      files: [
        { role: 'main', name: awkward, sha256: '01'.repeat(32), size: 1 },
        { role: 'attachment', name: 'załącznik "nr 1" & <2>.pdf', sha256: '02'.repeat(32), size: 2 },
      ],
    });
    const officeSeal = await keys.seals.forOffice('gmina-lodz', input.office.name);
    const xml = signReceipt(input, officeSeal);
    assert.ok(xmlsecVerifies(xml, caPem).ok, 'xmlsec1');
    assert.equal(await xadesjsVerifies(xml), true, 'xadesjs');
    const report = await verify(xml);
    assert.equal(report.valid, true, JSON.stringify(report.reasons));
    assert.equal(report.office?.name, input.office.name);
    assert.deepEqual(report.party, input.sender);
    assert.deepEqual(report.files, input.files);
    assert.match(report.signer?.subject ?? '', /Urząd \\?"Gminy\\?" & \\?<Miasta\\?> Łódź/);
  });

  test('text and attributes use the canonical escapes', () => {
    const xml = receiptDocument(
      receiptInput('UPP', {
        sender: { name: 'a&b<c>d"e\'f\rg', id: 'x', idType: 'y' },
        files: [{ role: 'main', name: 'a&b<c>d"e\tf\ng\rh', sha256: '03'.repeat(32), size: 0 }],
      }),
    );
    assert.ok(xml.includes('<pos:Nazwa>a&amp;b&lt;c&gt;d"e\'f&#xD;g</pos:Nazwa>'));
    assert.ok(xml.includes('NazwaPliku="a&amp;b&lt;c>d&quot;e&#x9;f&#xA;g&#xD;h"'));
  });

  test('characters XML cannot carry are refused, not dropped', () => {
    assert.throws(
      () => receiptDocument(receiptInput('UPP', { sender: { name: 'a\u0001b', id: 'x', idType: 'y' } })),
      /cannot carry/,
    );
    assert.throws(() => receiptDocument(receiptInput('UPP', { documentId: '\uD800' })), /cannot carry/);
  });
});

describe('signer', () => {
  test('deterministic: only the signature value differs between two signings', () => {
    const input = receiptInput('UPD', { deemed: true });
    const a = signReceipt(input, seal);
    const b = signReceipt(input, seal);
    const strip = (x: string) => x.replace(/<ds:SignatureValue Id="[^"]+">[^<]+</, '');
    assert.equal(strip(a), strip(b));
    assert.equal(receiptDocument(input), receiptDocument(input));
    assert.match(a, /TypInformacjiUzupelniajacej="DoreczenieZastepcze">true</);
  });

  test('the document digest is taken over exactly the bytes written', async () => {
    const input = receiptInput('UPP');
    const xml = signReceipt(input, seal);
    const document = receiptDocument(input);
    const { createHash } = await import('node:crypto');
    const digest = createHash('sha256').update(document).digest('base64');
    assert.ok(xml.includes(`URI=""><ds:Transforms>`));
    assert.ok(xml.includes(`<ds:DigestValue>${digest}</ds:DigestValue>`));
    assert.ok(xml.replace(/<ds:Signature [\s\S]*<\/ds:Signature>/, '').includes(document));
  });

  test('refuses inconsistent input', () => {
    assert.throws(() => receiptDocument(receiptInput('sending', { recipient: undefined })), /recipient/);
    assert.throws(() => receiptDocument(receiptInput('UPP', { files: [] })), /main document/);
    assert.throws(() => receiptDocument(receiptInput('UPP', { deemed: true })), /only a UPD/);
    assert.throws(
      () =>
        receiptDocument(
          receiptInput('UPP', { files: [{ role: 'main', name: 'a', sha256: 'XYZ', size: 1 }] }),
        ),
      /sha256/,
    );
    assert.throws(() => receiptDocument(receiptInput('UPP', { issuedAt: new Date('nope') })), /issuedAt/);
    assert.throws(
      () => receiptDocument(receiptInput('UPP', { receiptId: ' ' })),
      /IdentyfikatorPoswiadczenia must not be empty/,
    );
  });

  test('any change of a character in the signed content is detected', async () => {
    const xml = signReceipt(receiptInput('UPP'), seal);
    // Letters and digits in text content and attribute values of the receipt body and of the
    // signed properties.
    const positions: number[] = [];
    const ranges: [number, number][] = [
      [xml.indexOf('<pos:UPP>'), xml.indexOf('</pos:UPP>')],
      [xml.indexOf('<xades:SignedProperties'), xml.indexOf('</xades:SignedProperties>')],
    ];
    for (const [from, to] of ranges)
      for (let i = from; i < to; i++) if (/[A-Za-z0-9]/.test(xml[i]!)) positions.push(i);
    const textPositions = positions.filter((i) => {
      const start = ranges.find(([from, to]) => i >= from && i < to)![0];
      const before = xml.slice(start, i);
      const lastOpen = before.lastIndexOf('<');
      const lastClose = before.lastIndexOf('>');
      const inText = lastClose > lastOpen;
      const inAttribute = !inText && (before.slice(lastOpen).split('"').length - 1) % 2 === 1;
      return inText || inAttribute;
    });
    assert.ok(textPositions.length > 200);
    let xmlsecChecks = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...textPositions),
        fc.constantFrom('0', '7', 'x', 'Q'),
        async (i, replacement) => {
          fc.pre(xml[i] !== replacement);
          const tampered = xml.slice(0, i) + replacement + xml.slice(i + 1);
          const report = await verify(tampered);
          assert.equal(report.valid, false);
          if (xmlsecChecks++ < 15) assert.equal(xmlsecVerifies(tampered, caPem).ok, false);
        },
      ),
      { numRuns: 120 },
    );
  });
});
