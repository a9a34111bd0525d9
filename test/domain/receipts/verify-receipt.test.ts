import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  signReceipt,
  verifyReceipt,
  MAX_RECEIPT_BYTES,
  type ReceiptReport,
} from '../../../src/domain/receipts/index';
import fs from 'node:fs';
import path from 'node:path';
import { issueSealCertificate } from '../../../src/adapters/keys/certificates';
import { sealFromPem } from '../../../src/adapters/keys/pem';
import { x509 } from '../../../src/domain/receipts/crypto-engine';
import { hasMessage, translate } from '../../../src/i18n/index';
import { ManualClock } from '../../../src/ports/clock';
import type { Seal } from '../../../src/ports/seals';
import { receiptInput, temporarySeals, xmlsecVerifies, OFFICE } from '../../helpers/receipts';

const keys = temporarySeals();
let seal: Seal;
let xml: string;

before(async () => {
  seal = await keys.seals.forOffice(OFFICE.id, OFFICE.name);
  xml = signReceipt(receiptInput('UPP'), seal);
});
after(() => keys.cleanup());

const verify = (data: string | Buffer, now?: Date): Promise<ReceiptReport> =>
  verifyReceipt(Buffer.isBuffer(data) ? data : Buffer.from(data), {
    trustedCaPems: [seal.caPem],
    ...(now ? { now } : {}),
  });

function assertRefused(report: ReceiptReport, key: string): void {
  assert.equal(report.valid, false);
  assert.deepEqual(
    report.reasons.map((r) => r.key),
    [key],
  );
  // Every reason reads in both languages with its parameters filled in.
  for (const reason of report.reasons) {
    assert.ok(hasMessage(reason.key));
    for (const lang of ['pl', 'en'] as const)
      assert.doesNotMatch(translate(lang, reason.key, reason.params), /\{\w+\}/);
  }
}

describe('verifyReceipt refuses what is not exactly a receipt', () => {
  test('entryHash is the SHA-256 of the exact bytes', async () => {
    const { createHash } = await import('node:crypto');
    assert.equal((await verify(xml)).entryHash, createHash('sha256').update(xml).digest('hex'));
  });

  test('a DOCTYPE (entity expansion) is refused before parsing', async () => {
    const bomb = xml.replace(
      '<pos:Dokument',
      '<!DOCTYPE pos:Dokument [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n<pos:Dokument',
    );
    assertRefused(await verify(bomb), 'receipt.verify.doctype');
  });

  test('not UTF-8, too large, not well-formed', async () => {
    assertRefused(
      await verify(
        Buffer.concat([
          Buffer.from(xml.slice(0, 200)),
          Buffer.from([0xff, 0xfe]),
          Buffer.from(xml.slice(200)),
        ]),
      ),
      'receipt.verify.notUtf8',
    );
    assertRefused(await verify(Buffer.alloc(MAX_RECEIPT_BYTES + 1, 0x20)), 'receipt.verify.tooLarge');
    assertRefused(await verify(xml.replace('</pos:UPP>', '')), 'receipt.verify.malformed');
    assertRefused(await verify(''), 'receipt.verify.malformed');
  });

  test('the XML declaration must name UTF-8 and be XML 1.0, as other XML readers would read it', async () => {
    // Found by the fuzzer: encoding="ATF-8" or "ISO-8859-2" passed here while xmlsec1 refused
    // the file or read other text from the same bytes.
    for (const declared of ['ISO-8859-2', 'windows-1250', 'ATF-8']) {
      const other = xml.replace('encoding="UTF-8"', `encoding="${declared}"`);
      assert.equal(xmlsecVerifies(other, seal.caPem).ok, false, declared);
      assertRefused(await verify(other), 'receipt.verify.notUtf8');
    }
    // Aliases some readers know are refused too: the receipt names UTF-8 as the standard spells it.
    for (const declared of ['UTF8', 'UTF-16']) {
      assertRefused(
        await verify(xml.replace('encoding="UTF-8"', `encoding="${declared}"`)),
        'receipt.verify.notUtf8',
      );
    }
    for (const broken of [
      xml.replace('version="1.0"', 'version="1.1"'),
      xml.replace('version=', 'versio='),
      xml.replace('encoding=', 'encodin='),
      xml.replace('"UTF-8"', '"UTF-8'),
      `\n${xml}`,
      xml.replace('?>', ' standalone="maybe"?>'),
    ]) {
      assertRefused(await verify(broken), 'receipt.verify.malformed');
    }
    // What XML 1.0 allows and c14n erases still verifies: other quotes, spacing, case, standalone.
    for (const same of [
      xml.replace('encoding="UTF-8"', "encoding='utf-8'"),
      xml.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml  version = "1.0"\tstandalone="yes" ?>'),
      xml.replace('<?xml version="1.0" encoding="UTF-8"?>\n', ''),
    ]) {
      assert.equal((await verify(same)).valid, true, same.slice(0, 60));
      assert.equal(xmlsecVerifies(same, seal.caPem).ok, true, same.slice(0, 60));
    }
  });

  test('a character XML does not allow is refused even where xmldom would take it for white space', async () => {
    // Found by the fuzzer: a NUL in place of the space before xmlns:pos passed here; xmlsec1 refuses it.
    for (const char of ['\u0000', '\u0001', '\u001f', '\uffff']) {
      const damaged = xml.replace('<pos:Dokument xmlns', `<pos:Dokument${char}xmlns`);
      assert.equal(xmlsecVerifies(damaged, seal.caPem).ok, false);
      const report = await verify(damaged);
      assertRefused(report, 'receipt.verify.malformed');
    }
  });

  test('a bare "&" is refused, also where no signature looks', async () => {
    // Found by the fuzzer: the Id of SignatureValue is not signed, and xmldom silently kept a bare "&" in it.
    const damaged = xml.replace('Id="Podpis-WartoscPodpisu"', 'Id="Podpis-WartoscPodpis&"');
    assert.notEqual(damaged, xml);
    assert.equal(xmlsecVerifies(damaged, seal.caPem).ok, false);
    assertRefused(await verify(damaged), 'receipt.verify.malformed');
  });

  test('an attribute value without its opening quote is refused, though xmldom only warns', async () => {
    // Found by the fuzzer: xmldom read Algorytm=\tSHA-256" as the same value, so the signature held.
    const damaged = xml.replace('Algorytm="SHA-256"', 'Algorytm=\tSHA-256"');
    assert.notEqual(damaged, xml);
    assert.equal(xmlsecVerifies(damaged, seal.caPem).ok, false);
    assertRefused(await verify(damaged), 'receipt.verify.malformed');
  });

  test('base64 values hold base64 only: a no-break space inside is refused, as xmlsec1 does', async () => {
    // Found by the fuzzer: decoders skipped the character, so the receipt still verified here.
    for (const element of ['ds:SignatureValue', 'ds:X509Certificate', 'ds:DigestValue']) {
      const damaged = xml.replace(new RegExp(`(<${element}[^>]*>[A-Za-z0-9+/]{8})`), '$1\u00a0');
      assert.notEqual(damaged, xml, element);
      assert.equal(xmlsecVerifies(damaged, seal.caPem).ok, false, element);
      const report = await verify(damaged);
      assert.equal(report.valid, false, element);
      assert.ok(
        report.reasons.some((r) => r.key === 'receipt.verify.value'),
        element,
      );
    }
    // Line breaks inside base64, as other signers write it, are fine.
    const wrapped = xml.replace(/(<ds:X509Certificate>[A-Za-z0-9+/]{64})/, '$1\n');
    assert.equal((await verify(wrapped)).valid, true);
  });

  test('names outside the XML Name production are refused, though xmldom takes them', async () => {
    // Found by the fuzzer: a redundant namespace declaration renamed to an invalid prefix is
    // dropped by exclusive c14n, so the signature held; xmlsec1 refuses the file.
    const damaged = xml.replace('<ds:SignedInfo xmlns:ds=', '<ds:SignedInfo xmlns:\u{F0000}s=');
    assert.notEqual(damaged, xml);
    assert.equal(xmlsecVerifies(damaged, seal.caPem).ok, false);
    assertRefused(await verify(damaged), 'receipt.verify.malformed');
  });

  test('a comment is refused although the signature does not cover comments', async () => {
    const commented = xml.replace(
      '<pos:IdentyfikatorDokumentu>',
      '<!-- dopisek --><pos:IdentyfikatorDokumentu>',
    );
    // Exclusive c14n drops comments, so the signature alone cannot see this change.
    assert.equal(xmlsecVerifies(commented, seal.caPem).ok, true);
    assertRefused(await verify(commented), 'receipt.verify.structure');
  });

  test('unexpected elements, missing elements and wrong values are named', async () => {
    const missing = await verify(xml.replace(/<pos:DataDoreczenia>[^<]+<\/pos:DataDoreczenia>/, ''));
    assertRefused(missing, 'receipt.verify.structure');
    assert.match(translate('en', missing.reasons[0]!.key, missing.reasons[0]!.params), /DataDoreczenia/);
    assertRefused(
      await verify(xml.replace('<pos:UPP>', '<pos:Inne>').replace('</pos:UPP>', '</pos:Inne>')),
      'receipt.verify.structure',
    );
    const badDate = await verify(xml.replace(/<pos:DataDoreczenia>[^<]+</, '<pos:DataDoreczenia>wczoraj<'));
    assertRefused(badDate, 'receipt.verify.value');
    assertRefused(
      await verify(xml.replace(/<pos:IdentyfikatorDokumentu>[^<]+</, '<pos:IdentyfikatorDokumentu><')),
      'receipt.verify.value',
    );
    const noSignature = xml.replace(/<ds:Signature [\s\S]*<\/ds:Signature>/, '');
    assertRefused(await verify(noSignature), 'receipt.verify.structure');
  });

  test('a signature that does not cover the whole document is refused', async () => {
    // Same signature, but its first reference points elsewhere: a partial signature must not pass.
    const partial = xml.replace('URI=""', 'URI="#Podpis-WlasciwosciPodpisane"');
    assertRefused(await verify(partial), 'receipt.verify.signatureStructure');
  });

  test('an element wrapping a second copy of the signed properties id is refused', async () => {
    const wrapped = xml.replace('<ds:KeyInfo>', '<ds:KeyInfo Id="Podpis-WlasciwosciPodpisane">');
    assertRefused(await verify(wrapped), 'receipt.verify.signatureStructure');
  });

  test('a certificate not valid at the signing time', async () => {
    const old = temporarySeals(new ManualClock('2020-01-01T00:00:00Z'));
    try {
      const oldSeal = await old.seals.forOffice(OFFICE.id, OFFICE.name);
      const report = await verifyReceipt(Buffer.from(signReceipt(receiptInput('UPP'), oldSeal)), {
        trustedCaPems: [oldSeal.caPem],
      });
      assertRefused(report, 'receipt.verify.certificateNotValidAtSigning');
      assert.equal(report.chainTrusted, true);
      assert.match(
        translate('pl', report.reasons[0]!.key, report.reasons[0]!.params),
        /nie był ważny w chwili podpisu/,
      );
    } finally {
      old.cleanup();
    }
  });

  test('a signing time in the future of the verifier', async () => {
    const report = await verify(xml, new Date(Date.now() - 24 * 3600_000));
    assertRefused(report, 'receipt.verify.signingTimeInFuture');
  });

  test('a certificate with a damaged extension is unreadable, not an exception', async () => {
    // Found by the fuzzer: extensions are decoded on first use, so a damaged key usage threw
    // out of the chain check. Every byte of the key usage extension zeroed in turn.
    const base64 = /<ds:X509Certificate>([^<]+)</.exec(xml)![1]!;
    const der = Buffer.from(base64, 'base64');
    const keyUsage = der.indexOf(Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x0f]));
    assert.ok(keyUsage > 0);
    const keys = new Set<string>();
    for (let i = keyUsage + 5; i < keyUsage + 14; i++) {
      const damaged = Buffer.from(der);
      damaged[i] = 0;
      const report = await verify(xml.replace(base64, damaged.toString('base64')));
      assert.equal(report.valid, false);
      if (report.reasons.some((r) => r.key === 'receipt.verify.certificateUnreadable'))
        assert.equal(report.chainTrusted, false);
      for (const reason of report.reasons) keys.add(reason.key);
    }
    assert.ok(keys.has('receipt.verify.certificateUnreadable'), [...keys].join(', '));
  });

  test('a CA that is not trusted at all', async () => {
    const report = await verifyReceipt(Buffer.from(xml), { trustedCaPems: [] });
    assertRefused(report, 'receipt.verify.chainUntrusted');
    assert.equal(report.chainTrusted, false);
  });
});

describe('the seal binds the office the receipt names (docs/security.md, row 4)', () => {
  /** A seal of the earlier profile (no organizationIdentifier), issued by the same local CA. */
  async function legacySeal(organisation: string): Promise<Seal> {
    await keys.seals.platform(); // the CA exists
    const text = fs.readFileSync(path.join(keys.dir, 'ca.pem'), 'utf8');
    const caKey = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n/.exec(text)![0];
    const caCert = new x509.X509Certificate(seal.caPem);
    const issued = await issueSealCertificate(
      { privateKeyPem: caKey, certificate: caCert },
      organisation,
      null,
      new Date(Date.now() - 3600_000),
    );
    return sealFromPem(issued.privateKeyPem, issued.certificate.toString('pem') + '\n' + seal.caPem, 'test');
  }

  test("a UPP naming office B sealed with office A's seal: invalid, though xmlsec1 accepts the signature", async () => {
    const other = await keys.seals.forOffice('ugdobrzyn', 'Urząd Gminy Dobrzyń');
    const forged = signReceipt(receiptInput('UPP'), other);
    assert.ok(xmlsecVerifies(forged, seal.caPem).ok, 'the signature itself holds');
    const report = await verify(forged);
    assertRefused(report, 'receipt.verify.sealOfAnotherOffice');
    assert.equal(report.chainTrusted, true);
    const reason = report.reasons[0]!;
    assert.match(
      translate('pl', reason.key, reason.params),
      /Pieczęć należy do innego urzędu \(urzad-online:office:ugdobrzyn\) niż urząd wskazany w poświadczeniu \(identyfikator umczestochowa\)/,
    );
    assert.match(translate('en', reason.key, reason.params), /The seal belongs to another office/);
  });

  for (const kind of ['UPP', 'sending', 'UPD'] as const) {
    test(`${kind} sealed with the platform seal: invalid`, async () => {
      const forged = signReceipt(receiptInput(kind), await keys.seals.platform());
      assert.ok(xmlsecVerifies(forged, seal.caPem).ok, 'the signature itself holds');
      assertRefused(await verify(forged), 'receipt.verify.platformSeal');
    });
    test(`${kind} sealed with its office's seal: valid`, async () => {
      const report = await verify(signReceipt(receiptInput(kind), seal));
      assert.deepEqual(report.reasons, []);
      assert.equal(report.valid, true);
    });
  }

  test('a seal made before office identifiers: valid when its organisation is the named office', async () => {
    const old = await legacySeal(OFFICE.name);
    const report = await verify(signReceipt(receiptInput('UPP'), old));
    assert.deepEqual(report.reasons, []);
    assert.equal(report.valid, true);
    assertRefused(
      await verify(
        signReceipt(receiptInput('UPP', { office: { ...OFFICE, name: 'Urząd Gminy Dobrzyń' } }), old),
      ),
      'receipt.verify.sealNotOfOffice',
    );
  });

  test("a platform seal made before office identifiers (its organisation is its CA's): invalid even on a receipt naming an office of the same name", async () => {
    const oldPlatform = await legacySeal('Urząd OnLine');
    const report = await verify(
      signReceipt(receiptInput('UPP', { office: { ...OFFICE, name: 'Urząd OnLine' } }), oldPlatform),
    );
    assertRefused(report, 'receipt.verify.platformSeal');
  });
});
