import assert from 'node:assert/strict';
import { createHash, webcrypto } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { buildGeneralLetterXml } from '../../../src/domain/letters/general-letter';
import { verifyUploadedSignatures } from '../../../src/domain/signatures/verify-uploaded-signatures';
import { signLetterWithTrustedProfile } from '../../../src/domain/trusted-signature/sign-letter';
import type { Seal } from '../../../src/ports/seals';
import { samplePdf } from '../../helpers/sample-files';
import { temporarySeals } from '../../helpers/receipts';

const NOW = new Date();
const letter = buildGeneralLetterXml({
  createdAt: NOW,
  office: { id: 'umczestochowa', name: 'Urząd Miasta Częstochowy' },
  sender: { firstName: 'Jan', surname: 'Kowalski' },
  place: 'Częstochowa',
  title: 'Wniosek',
  kind: 'podanie',
  body: 'Proszę o zaświadczenie.',
  attachments: [],
});
const identity = {
  firstNames: 'Jan',
  surname: 'Kowalski',
  pesel: '44051401359',
  dateOfBirth: '1944-05-14',
  profileId: 'PZ-1',
  issuer: 'Urząd OnLine',
};

async function cryptoKey(seal: Seal): Promise<CryptoKey> {
  const der = seal.privateKey.export({ format: 'der', type: 'pkcs8' });
  return webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
  ]) as Promise<CryptoKey>;
}

/** A CMS SignedData (CAdES-like) over `content`, encapsulated or detached, signed by the seal. */
async function cms(seal: Seal, content: Buffer, detached: boolean): Promise<Buffer> {
  const cert = pkijs.Certificate.fromBER(new Uint8Array(seal.certificateDer));
  const digest = createHash('sha256').update(content).digest();
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: '1.2.840.113549.1.7.1',
      ...(detached ? {} : { eContent: new asn1js.OctetString({ valueHex: new Uint8Array(content).buffer }) }),
    }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({
              type: '1.2.840.113549.1.9.3',
              values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })],
            }),
            new pkijs.Attribute({
              type: '1.2.840.113549.1.9.5',
              values: [new asn1js.UTCTime({ valueDate: NOW })],
            }),
            new pkijs.Attribute({
              type: '1.2.840.113549.1.9.4',
              values: [new asn1js.OctetString({ valueHex: new Uint8Array(digest).buffer })],
            }),
          ],
        }),
      }),
    ],
    certificates: [cert],
  });
  await signedData.sign(
    await cryptoKey(seal),
    0,
    'SHA-256',
    detached ? new Uint8Array(content).buffer : undefined,
  );
  const info = new pkijs.ContentInfo({
    contentType: pkijs.ContentInfo.SIGNED_DATA,
    content: signedData.toSchema(true),
  });
  return Buffer.from(info.toSchema().toBER(false));
}

/** A PDF with one PAdES signature dictionary whose /ByteRange covers all but /Contents. */
async function signedPdf(seal: Seal): Promise<Buffer> {
  const base = samplePdf('Podpisany dokument')
    .toString('latin1')
    .replace(/%%EOF\n$/, '');
  const placeholder = '0'.repeat(8192);
  const range = '[0 0000000000 0000000000 0000000000]';
  let text = `${base}6 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange ${range} /Contents <${placeholder}> >>\nendobj\n%%EOF\n`;
  const lt = text.indexOf(`<${placeholder}>`);
  const gt = lt + placeholder.length + 2;
  const pad = (n: number) => String(n).padStart(10, '0');
  text = text.replace(range, `[0 ${pad(lt)} ${pad(gt)} ${pad(text.length - gt)}]`);
  const bytes = Buffer.from(text, 'latin1');
  const signed = Buffer.concat([bytes.subarray(0, lt), bytes.subarray(gt)]);
  const hex = (await cms(seal, signed, true)).toString('hex');
  assert.ok(hex.length <= placeholder.length);
  return Buffer.from(text.replace(`<${placeholder}>`, `<${hex.padEnd(placeholder.length, '0')}>`), 'latin1');
}

describe('signatures on uploaded documents', () => {
  const ours = temporarySeals();
  const foreign = temporarySeals();
  let seal: Seal;
  let foreignSeal: Seal;
  let trusted: string[];
  before(async () => {
    seal = await ours.seals.platform();
    foreignSeal = await foreign.seals.platform();
    trusted = await ours.seals.trustedCaPems();
  });
  after(() => {
    ours.cleanup();
    foreign.cleanup();
  });

  test('a file without a signature: none', async () => {
    const report = await verifyUploadedSignatures(
      [{ name: 'a.pdf', formatId: 'pdf', bytes: samplePdf() }],
      trusted,
      NOW,
    );
    assert.deepEqual(report, { status: 'none', findings: [] });
  });

  test('XAdES: valid with a trusted chain, invalid after a change, indeterminate from an unknown CA', async () => {
    const signed = signLetterWithTrustedProfile(letter, identity, NOW, seal);
    const valid = await verifyUploadedSignatures(
      [{ name: 'pismo.xml', formatId: 'xml', bytes: Buffer.from(signed) }],
      trusted,
      NOW,
    );
    assert.equal(valid.status, 'valid', JSON.stringify(valid));
    assert.equal(valid.findings[0]?.kind, 'XAdES');
    assert.match(valid.findings[0]?.signer?.subject ?? '', /CN=/);
    assert.ok(valid.findings[0]?.signingTime);

    const tampered = signed.replace('Proszę o zaświadczenie.', 'Proszę o dwa zaświadczenia.');
    const invalid = await verifyUploadedSignatures(
      [{ name: 'pismo.xml', formatId: 'xml', bytes: Buffer.from(tampered) }],
      trusted,
      NOW,
    );
    assert.equal(invalid.status, 'invalid');
    assert.ok(invalid.findings[0]?.reasons.some((r) => r.key === 'signature.cryptoFailed'));

    const other = signLetterWithTrustedProfile(letter, identity, NOW, foreignSeal);
    const unknown = await verifyUploadedSignatures(
      [{ name: 'pismo.xml', formatId: 'xml', bytes: Buffer.from(other) }],
      trusted,
      NOW,
    );
    assert.equal(unknown.status, 'indeterminate', 'never shown as valid without a trusted chain');
    assert.equal(unknown.findings[0]?.chainTrusted, false);
  });

  test('CAdES: an enveloping .p7m verifies; a changed content does not; a detached .p7s needs its file', async () => {
    const content = Buffer.from('Treść podpisana w CAdES\n');
    const p7m = await cms(seal, content, false);
    const ok = await verifyUploadedSignatures(
      [{ name: 'umowa.txt.p7m', formatId: 'cades', bytes: p7m }],
      trusted,
      NOW,
    );
    assert.equal(ok.status, 'valid', JSON.stringify(ok));

    const forged = Buffer.from(p7m);
    const at = forged.indexOf(Buffer.from('CAdES'));
    forged[at] = 'X'.charCodeAt(0);
    const bad = await verifyUploadedSignatures(
      [{ name: 'umowa.txt.p7m', formatId: 'cades', bytes: forged }],
      trusted,
      NOW,
    );
    assert.equal(bad.status, 'invalid');

    const p7s = await cms(seal, content, true);
    const alone = await verifyUploadedSignatures(
      [{ name: 'umowa.txt.p7s', formatId: 'cades', bytes: p7s }],
      trusted,
      NOW,
    );
    assert.equal(alone.status, 'indeterminate');
    assert.ok(alone.findings[0]?.reasons.some((r) => r.key === 'signature.detachedContent'));
    const both = await verifyUploadedSignatures(
      [
        { name: 'umowa.txt', formatId: 'txt', bytes: content },
        { name: 'umowa.txt.p7s', formatId: 'cades', bytes: p7s },
      ],
      trusted,
      NOW,
    );
    assert.equal(both.status, 'valid', JSON.stringify(both));
  });

  test('PAdES: a signed PDF verifies; bytes added after signing or a changed byte make it invalid', async () => {
    const pdf = await signedPdf(seal);
    const ok = await verifyUploadedSignatures(
      [{ name: 'umowa.pdf', formatId: 'pdf', bytes: pdf }],
      trusted,
      NOW,
    );
    assert.equal(ok.status, 'valid', JSON.stringify(ok));
    assert.equal(ok.findings[0]?.kind, 'PAdES');

    const appended = Buffer.concat([pdf, Buffer.from('% dopisek\n')]);
    const grown = await verifyUploadedSignatures(
      [{ name: 'umowa.pdf', formatId: 'pdf', bytes: appended }],
      trusted,
      NOW,
    );
    assert.equal(grown.status, 'invalid');
    assert.ok(grown.findings[0]?.reasons.some((r) => r.key === 'signature.updateAfterSigning'));

    const changed = Buffer.from(pdf);
    changed[changed.indexOf(Buffer.from('Podpisany'))] = 'p'.charCodeAt(0);
    const bad = await verifyUploadedSignatures(
      [{ name: 'umowa.pdf', formatId: 'pdf', bytes: changed }],
      trusted,
      NOW,
    );
    assert.equal(bad.status, 'invalid');
  });

  test('garbage that looks like a signature is invalid, never a crash', async () => {
    const report = await verifyUploadedSignatures(
      [{ name: 'x.p7s', formatId: 'cades', bytes: Buffer.from([0x30, 0x82, 0x01, 0x00, 1, 2, 3]) }],
      trusted,
      NOW,
    );
    assert.equal(report.status, 'invalid');
    assert.ok(report.findings[0]?.reasons.some((r) => r.key === 'signature.unreadable'));
  });
});
