import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { buildGeneralLetterXml } from '../../../src/domain/letters/general-letter';
import { exclusiveC14n } from '../../../src/domain/receipts/exclusive-c14n';
import { envelop, envelopedSignature } from '../../../src/domain/receipts/xades-signature';
import { QC_TYPE_ESEAL, QC_TYPE_ESIGN, type TrustAnchors } from '../../../src/domain/signatures/trust';
import { PPZP_NS, PZ_NS } from '../../../src/domain/signatures/trusted-signature-data';
import {
  verifyUploadedSignatures,
  type SignatureReport,
} from '../../../src/domain/signatures/verify-uploaded-signatures';
import { samplePdf } from '../../helpers/sample-files';
import { cmsSign, issue, signWithoutNull, type TestKey } from '../../helpers/test-pki';

const NOW = new Date();
const DAY = 24 * 3600 * 1000;
const PESEL = '44051401359';
const GRANTED = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted';
const WITHDRAWN = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn';
const letterXml = buildGeneralLetterXml({
  createdAt: NOW,
  office: { id: 'umczestochowa', name: 'Urząd Miasta Częstochowy' },
  sender: { firstName: 'Jan', surname: 'Kowalski' },
  place: 'Częstochowa',
  title: 'Wniosek',
  kind: 'podanie',
  body: 'Proszę o zaświadczenie.',
  attachments: [],
});
const canonicalLetter = exclusiveC14n(
  new DOMParser().parseFromString(letterXml, 'text/xml').documentElement as never,
);

const epSignature = `<xades:SignerRole><xades:ClaimedRoles><xades:ClaimedRole><pz:EPSignature xmlns:pz="${PZ_NS}"><pz:NaturalPerson><pz:FirstName>Jan</pz:FirstName><pz:CurrentFamilyName>Kowalski</pz:CurrentFamilyName><pz:DateOfBirth>1944-05-14</pz:DateOfBirth><pz:PersonalIdentifier>${PESEL}</pz:PersonalIdentifier></pz:NaturalPerson></pz:EPSignature></xades:ClaimedRole></xades:ClaimedRoles></xades:SignerRole>`;
const podpisZp = `<xades:SignerRole><xades:ClaimedRoles><xades:ClaimedRole><ppZP:PodpisZP xmlns:ppZP="${PPZP_NS}"><ppZP:DaneZPOsobyFizycznej><ppZP:Imie>Anna</ppZP:Imie><ppZP:Nazwisko>Nowak</ppZP:Nazwisko><ppZP:PESEL>02070803628</ppZP:PESEL></ppZP:DaneZPOsobyFizycznej></ppZP:PodpisZP></xades:ClaimedRole></xades:ClaimedRoles></xades:SignerRole>`;

/** An enveloped XAdES over the letter; `withoutNull` re-signs SignedInfo with the DigestInfo variant. */
function xades(
  key: TestKey,
  extra: string,
  options: { withoutNull?: boolean; chain?: TestKey[] } = {},
): Buffer {
  let signature = envelopedSignature(
    { canonicalDocument: canonicalLetter, signingTime: NOW, extraSignedSignatureProperties: extra },
    { privateKey: key.privateKey, certificateDer: key.der },
  );
  if (options.withoutNull) {
    const signedInfo = /<ds:SignedInfo[\s\S]*?<\/ds:SignedInfo>/.exec(signature)![0];
    const value = signWithoutNull(key, createHash('sha256').update(signedInfo, 'utf8').digest());
    // The usual verifiers refuse this encoding: that is why the raw RSA check exists.
    assert.equal(cryptoVerify('sha256', Buffer.from(signedInfo), createPublicKey(key.pem), value), false);
    signature = signature.replace(/(<ds:SignatureValue[^>]*>)[^<]*/, `$1${value.toString('base64')}`);
  }
  if (options.chain)
    signature = signature.replace(
      '</ds:X509Data>',
      options.chain
        .map((c) => `<ds:X509Certificate>${c.der.toString('base64')}</ds:X509Certificate>`)
        .join('') + '</ds:X509Data>',
    );
  return Buffer.from(envelop(canonicalLetter, signature));
}

/** A PDF with one PAdES signature dictionary (with /Reason when given) whose /ByteRange covers all but /Contents. */
async function pades(
  key: TestKey,
  options: { reason?: string; withoutNull?: boolean; chain?: TestKey[] } = {},
): Promise<Buffer> {
  const base = samplePdf('Podpisany dokument')
    .toString('latin1')
    .replace(/%%EOF\n$/, '');
  const placeholder = '0'.repeat(16384);
  const range = '[0 0000000000 0000000000 0000000000]';
  const reason = options.reason ? ` /Reason (${options.reason})` : '';
  let text = `${base}6 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached${reason} /ByteRange ${range} /Contents <${placeholder}> >>\nendobj\n%%EOF\n`;
  const lt = text.indexOf(`<${placeholder}>`);
  const gt = lt + placeholder.length + 2;
  const pad = (n: number) => String(n).padStart(10, '0');
  text = text.replace(range, `[0 ${pad(lt)} ${pad(gt)} ${pad(text.length - gt)}]`);
  const bytes = Buffer.from(text, 'latin1');
  const signed = Buffer.concat([bytes.subarray(0, lt), bytes.subarray(gt)]);
  const hex = (
    await cmsSign(key, signed, {
      detached: true,
      ...(options.chain ? { chain: options.chain } : {}),
      ...(options.withoutNull ? { withoutNull: true } : {}),
    })
  ).toString('hex');
  assert.ok(hex.length <= placeholder.length);
  return Buffer.from(text.replace(`<${placeholder}>`, `<${hex.padEnd(placeholder.length, '0')}>`), 'latin1');
}

const only = (report: SignatureReport) => {
  assert.equal(report.findings.length, 1, JSON.stringify(report));
  return report.findings[0]!;
};
const keys = (report: SignatureReport) => report.findings.flatMap((f) => f.reasons.map((r) => r.key));

describe('signatures the law accepts: qualified, trusted, personal', () => {
  let trust: TrustAnchors;
  let qualifiedPerson: TestKey;
  let noNonRepudiation: TestKey;
  let trustedSeal: TestKey;
  let withdrawnLeaf: TestKey;
  let personal: TestKey;
  let plIdAuthorization: TestKey;
  let strangerCa: TestKey;
  before(async () => {
    const qualifiedRoot = await issue(undefined, { subject: 'C=PL, O=Test QTSP, CN=Test Root', ca: true });
    const qualifiedCa = await issue(qualifiedRoot, { subject: 'C=PL, O=Test QTSP, CN=Test QCA', ca: true });
    const withdrawnCa = await issue(qualifiedRoot, {
      subject: 'C=PL, O=Test QTSP, CN=Test QCA withdrawn',
      ca: true,
    });
    const person = 'C=PL, 2.5.4.42=Jan, 2.5.4.4=Kowalski, 2.5.4.5=PNOPL-44051401359, CN=Jan Kowalski';
    qualifiedPerson = await issue(qualifiedCa, {
      subject: person,
      rsa: true,
      qc: { compliance: true, types: [QC_TYPE_ESIGN] },
    });
    noNonRepudiation = await issue(qualifiedCa, {
      subject: person,
      nonRepudiation: false,
      qc: { compliance: true, types: [QC_TYPE_ESIGN] },
    });
    trustedSeal = await issue(qualifiedCa, {
      subject: 'C=PL, O=Ministerstwo Cyfryzacji, CN=Pieczec podpisu zaufanego',
      rsa: true,
      qc: { compliance: true, types: [QC_TYPE_ESEAL] },
    });
    withdrawnLeaf = await issue(withdrawnCa, {
      subject: person,
      qc: { compliance: true, types: [QC_TYPE_ESIGN] },
    });
    const plIdRoot = await issue(undefined, {
      subject: 'C=PL, O=Test MSWiA, CN=Test pl.ID Root CA',
      ca: true,
    });
    plIdAuthorization = await issue(plIdRoot, {
      subject: 'C=PL, O=Test MSWiA, CN=Test pl.ID Authorization CA',
      ca: true,
    });
    personal = await issue(plIdAuthorization, { subject: person });
    strangerCa = await issue(undefined, { subject: 'C=PL, CN=Stranger CA', ca: true });
    trust = {
      qualified: [
        {
          certificatePem: qualifiedCa.pem,
          serviceName: 'Test QCA',
          territory: 'PL',
          periods: [{ status: GRANTED, from: '2016-07-01T00:00:00Z' }],
        },
        {
          certificatePem: withdrawnCa.pem,
          serviceName: 'Test QCA withdrawn',
          territory: 'PL',
          periods: [
            { status: GRANTED, from: '2016-07-01T00:00:00Z' },
            { status: WITHDRAWN, from: new Date(NOW.getTime() - 30 * DAY).toISOString() },
          ],
        },
      ],
      personal: [plIdRoot.pem],
      platform: [],
      trustedSignatureSealOrganisations: ['Ministerstwo Cyfryzacji'],
    };
  });

  test('qualified: XAdES and CAdES (with the DigestInfo variant) name the person and match the PESEL', async () => {
    const xml = only(
      await verifyUploadedSignatures(
        [{ name: 'pismo.xml', formatId: 'xml', bytes: xades(qualifiedPerson, '') }],
        trust,
        NOW,
        {
          senderPesel: PESEL,
        },
      ),
    );
    assert.equal(xml.status, 'valid', JSON.stringify(xml));
    assert.equal(xml.category, 'qualified');
    assert.deepEqual(xml.person, { firstName: 'Jan', familyName: 'Kowalski', pesel: PESEL });
    assert.equal(xml.peselMatch, true);

    const p7m = await cmsSign(qualifiedPerson, Buffer.from('Umowa\n'), {
      detached: false,
      withoutNull: true,
    });
    const cades = only(
      await verifyUploadedSignatures([{ name: 'umowa.txt.p7m', formatId: 'cades', bytes: p7m }], trust, NOW, {
        senderPesel: '02070803628',
      }),
    );
    assert.equal(cades.status, 'valid', JSON.stringify(cades));
    assert.equal(cades.category, 'qualified');
    assert.equal(cades.peselMatch, false);
  });

  test('trusted: XAdES with EPSignature, with and without the NULL in DigestInfo', async () => {
    for (const withoutNull of [false, true]) {
      const f = only(
        await verifyUploadedSignatures(
          [{ name: 'pismo.xml', formatId: 'xml', bytes: xades(trustedSeal, epSignature, { withoutNull }) }],
          trust,
          NOW,
          { senderPesel: PESEL },
        ),
      );
      assert.equal(f.status, 'valid', JSON.stringify(f));
      assert.equal(f.category, 'trusted');
      // The Ministry's seal, chained to the qualified anchor, and whose it is.
      assert.equal(f.chainTrusted, true);
      assert.equal(f.sealOrganisation, 'Ministerstwo Cyfryzacji');
      assert.deepEqual(f.person, {
        firstName: 'Jan',
        familyName: 'Kowalski',
        dateOfBirth: '1944-05-14',
        pesel: PESEL,
      });
      assert.equal(f.peselMatch, true);
    }
  });

  test('trusted: XAdES with the older PodpisZP, DigestInfo variant', async () => {
    const f = only(
      await verifyUploadedSignatures(
        [{ name: 'pismo.xml', formatId: 'xml', bytes: xades(trustedSeal, podpisZp, { withoutNull: true }) }],
        trust,
        NOW,
      ),
    );
    assert.equal(f.status, 'valid', JSON.stringify(f));
    assert.equal(f.category, 'trusted');
    assert.deepEqual(f.person, { firstName: 'Anna', familyName: 'Nowak', pesel: '02070803628' });
  });

  test('trusted: PAdES with the person in /Reason, with and without the NULL', async () => {
    for (const withoutNull of [false, true]) {
      const pdf = await pades(trustedSeal, {
        reason: `Dokument podpisany podpisem zaufanym przez: JAN KOWALSKI, PESEL: ${PESEL}`,
        withoutNull,
      });
      const f = only(
        await verifyUploadedSignatures([{ name: 'wniosek.pdf', formatId: 'pdf', bytes: pdf }], trust, NOW),
      );
      assert.equal(f.status, 'valid', JSON.stringify(f));
      assert.equal(f.category, 'trusted');
      assert.equal(f.sealOrganisation, 'Ministerstwo Cyfryzacji');
      assert.deepEqual(f.person, { firstName: 'JAN', familyName: 'KOWALSKI', pesel: PESEL });
    }
    const noPerson = only(
      await verifyUploadedSignatures(
        [{ name: 'w.pdf', formatId: 'pdf', bytes: await pades(trustedSeal) }],
        trust,
        NOW,
      ),
    );
    assert.notEqual(noPerson.status, 'valid');
    assert.ok(noPerson.reasons.some((r) => r.key === 'signature.trustedWithoutPerson'));
  });

  test('personal: pl.ID chain carried in the signature', async () => {
    const p7m = await cmsSign(personal, Buffer.from('Wniosek\n'), {
      detached: false,
      chain: [plIdAuthorization],
    });
    const f = only(
      await verifyUploadedSignatures([{ name: 'w.txt.p7m', formatId: 'cades', bytes: p7m }], trust, NOW),
    );
    assert.equal(f.status, 'valid', JSON.stringify(f));
    assert.equal(f.category, 'personal');
    assert.equal(f.person?.pesel, PESEL);
  });

  test('the service history decides: qualified before the withdrawal, not after it', async () => {
    const before = await cmsSign(withdrawnLeaf, Buffer.from('x'), {
      detached: false,
      signingTime: new Date(NOW.getTime() - 60 * DAY),
    });
    const earlier = only(
      await verifyUploadedSignatures([{ name: 'a.p7m', formatId: 'cades', bytes: before }], trust, NOW),
    );
    assert.equal(earlier.status, 'valid', JSON.stringify(earlier));
    assert.equal(earlier.category, 'qualified');
    const after = await cmsSign(withdrawnLeaf, Buffer.from('x'), { detached: false, signingTime: NOW });
    const later = await verifyUploadedSignatures(
      [{ name: 'a.p7m', formatId: 'cades', bytes: after }],
      trust,
      NOW,
    );
    assert.equal(later.status, 'invalid');
    assert.ok(keys(later).includes('signature.serviceNotGranted'));
  });

  test('bad input is reported precisely and never valid', async () => {
    // A broken chain: the pl.ID intermediate is not carried.
    const broken = await verifyUploadedSignatures(
      [
        {
          name: 'a.p7m',
          formatId: 'cades',
          bytes: await cmsSign(personal, Buffer.from('x'), { detached: false }),
        },
      ],
      trust,
      NOW,
    );
    assert.notEqual(broken.status, 'valid');
    assert.ok(keys(broken).includes('signature.chainUntrusted'));

    // An intermediate that is not a CA.
    const fakeIssuer = await issue(strangerCa, { subject: 'C=PL, CN=Not a CA' });
    const underFake = await issue(fakeIssuer, { subject: 'C=PL, CN=Signer' });
    const notCa = await verifyUploadedSignatures(
      [
        {
          name: 'a.p7m',
          formatId: 'cades',
          bytes: await cmsSign(underFake, Buffer.from('x'), {
            detached: false,
            chain: [fakeIssuer, strangerCa],
          }),
        },
      ],
      { ...trust, personal: [...trust.personal, strangerCa.pem] },
      NOW,
    );
    assert.equal(notCa.status, 'invalid');
    assert.ok(keys(notCa).includes('signature.issuerNotCa'));

    // No nonRepudiation.
    const nr = await verifyUploadedSignatures(
      [{ name: 'p.xml', formatId: 'xml', bytes: xades(noNonRepudiation, '') }],
      trust,
      NOW,
    );
    assert.equal(nr.status, 'invalid');
    assert.ok(keys(nr).includes('signature.noNonRepudiation'));

    // A signature over other bytes (the DigestInfo variant is no way around it).
    for (const withoutNull of [false, true]) {
      const signed = xades(trustedSeal, epSignature, { withoutNull }).toString();
      const other = await verifyUploadedSignatures(
        [
          {
            name: 'p.xml',
            formatId: 'xml',
            bytes: Buffer.from(signed.replace('Proszę o zaświadczenie.', 'Proszę o dwa.')),
          },
        ],
        trust,
        NOW,
      );
      assert.equal(other.status, 'invalid');
      assert.ok(keys(other).includes('signature.cryptoFailed'));
    }
    const p7m = await cmsSign(trustedSeal, Buffer.from('Treść umowy\n'), {
      detached: false,
      withoutNull: true,
    });
    const forged = Buffer.from(p7m);
    forged[forged.indexOf(Buffer.from('umowy'))] = 'U'.charCodeAt(0);
    assert.equal(
      (await verifyUploadedSignatures([{ name: 'a.p7m', formatId: 'cades', bytes: forged }], trust, NOW))
        .status,
      'invalid',
    );

    // The person outside what the signature covers does not make it a trusted signature.
    const unsigned = xades(trustedSeal, '')
      .toString()
      .replace(
        '</ds:Signature>',
        `<ds:Object>${epSignature.replace(/<\/?xades:[A-Za-z]+>/g, '')}</ds:Object></ds:Signature>`,
      );
    const copy = only(
      await verifyUploadedSignatures(
        [{ name: 'p.xml', formatId: 'xml', bytes: Buffer.from(unsigned) }],
        trust,
        NOW,
      ),
    );
    assert.notEqual(copy.status, 'valid');
    assert.equal(copy.person, undefined);

    // An XML bomb inside XAdES.
    const bomb = `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Signature>&b;</ds:Signature></l>`;
    const exploded = only(
      await verifyUploadedSignatures(
        [{ name: 'b.xml', formatId: 'xml', bytes: Buffer.from(bomb) }],
        trust,
        NOW,
      ),
    );
    assert.equal(exploded.status, 'invalid');
    assert.ok(exploded.reasons.some((r) => r.key === 'signature.unreadable'));

    // A PAdES with an incremental update after the signature.
    const pdf = await pades(trustedSeal, { reason: `podpisany przez: JAN KOWALSKI, PESEL: ${PESEL}` });
    const updated = Buffer.concat([
      pdf,
      Buffer.from('7 0 obj\n<< /Type /Annot >>\nendobj\nxref\n0 0\ntrailer\n<< >>\n%%EOF\n'),
    ]);
    const grown = only(
      await verifyUploadedSignatures([{ name: 'w.pdf', formatId: 'pdf', bytes: updated }], trust, NOW),
    );
    assert.equal(grown.status, 'invalid');
    assert.deepEqual(
      grown.reasons.find((r) => r.key === 'signature.updateAfterSigning'),
      { key: 'signature.updateAfterSigning', params: { change: '7 0 obj (/Type /Annot)' } },
    );
  });
});
