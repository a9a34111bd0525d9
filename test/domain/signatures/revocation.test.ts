import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { exclusiveC14n } from '../../../src/domain/receipts/exclusive-c14n';
import { envelop, envelopedSignature } from '../../../src/domain/receipts/xades-signature';
import { QC_TYPE_ESIGN, type TrustAnchors } from '../../../src/domain/signatures/trust';
import {
  verifyUploadedSignatures,
  type SignatureFinding,
} from '../../../src/domain/signatures/verify-uploaded-signatures';
import { opensslCa, type OpensslCa } from '../../helpers/openssl-revocation';
import { cmsSign, issue, type TestKey } from '../../helpers/test-pki';

const NOW = new Date();
const DAY = 24 * 3600 * 1000;
const GRANTED = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted';
const PERSON = 'C=PL, 2.5.4.42=Jan, 2.5.4.4=Kowalski, 2.5.4.5=PNOPL-44051401359, CN=Jan Kowalski';

const canonical = exclusiveC14n(
  new DOMParser().parseFromString('<pismo><tresc>Wniosek</tresc></pismo>', 'text/xml')
    .documentElement as never,
);

/** An enveloped XAdES carrying RevocationValues in its unsigned properties. */
function xadesWithRevocation(key: TestKey, signingTime: Date, crls: Buffer[], ocsp: Buffer[]): Buffer {
  const signature = envelopedSignature(
    { canonicalDocument: canonical, signingTime },
    { privateKey: key.privateKey, certificateDer: key.der },
  );
  const values =
    `<xades:UnsignedProperties><xades:UnsignedSignatureProperties><xades:RevocationValues>` +
    (crls.length
      ? `<xades:CRLValues>${crls.map((c) => `<xades:EncapsulatedCRLValue>${c.toString('base64')}</xades:EncapsulatedCRLValue>`).join('')}</xades:CRLValues>`
      : '') +
    (ocsp.length
      ? `<xades:OCSPValues>${ocsp.map((o) => `<xades:EncapsulatedOCSPValue>${o.toString('base64')}</xades:EncapsulatedOCSPValue>`).join('')}</xades:OCSPValues>`
      : '') +
    `</xades:RevocationValues></xades:UnsignedSignatureProperties></xades:UnsignedProperties>`;
  assert.ok(signature.includes('</xades:SignedProperties>'));
  return Buffer.from(
    envelop(canonical, signature.replace('</xades:SignedProperties>', `</xades:SignedProperties>${values}`)),
  );
}

const reasonKeys = (f: SignatureFinding) => f.reasons.map((r) => r.key);

describe('revocation of the signer certificate: CRLs and OCSP made by openssl', () => {
  let trust: TrustAnchors;
  let qualifiedCa: TestKey;
  let openssl: OpensslCa;
  let stranger: OpensslCa;
  let revokedLeaf: TestKey;
  let goodLeaf: TestKey;
  let unknownLeaf: TestKey;
  const revokedAt = new Date(NOW.getTime() - 10 * DAY);

  const cades = async (
    key: TestKey,
    signingTime: Date,
    data: { crls?: Buffer[]; ocspResponses?: Buffer[] },
    anchors: TrustAnchors = trust,
  ) => {
    const p7m = await cmsSign(key, Buffer.from('Wniosek\n'), { detached: false, signingTime, ...data });
    const report = await verifyUploadedSignatures(
      [{ name: 'w.txt.p7m', formatId: 'cades', bytes: p7m }],
      anchors,
      NOW,
    );
    assert.equal(report.findings.length, 1);
    return report.findings[0]!;
  };

  before(async () => {
    const root = await issue(undefined, { subject: 'C=PL, O=Test QTSP, CN=Test Root', ca: true });
    qualifiedCa = await issue(root, { subject: 'C=PL, O=Test QTSP, CN=Test QCA', ca: true });
    const qualified = { qc: { compliance: true, types: [QC_TYPE_ESIGN] } };
    const longAgo = new Date(NOW.getTime() - 300 * DAY);
    revokedLeaf = await issue(qualifiedCa, { subject: PERSON, notBefore: longAgo, ...qualified });
    goodLeaf = await issue(qualifiedCa, { subject: PERSON, notBefore: longAgo, ...qualified });
    unknownLeaf = await issue(qualifiedCa, { subject: PERSON, notBefore: longAgo, ...qualified });
    openssl = opensslCa(qualifiedCa);
    openssl.record(revokedLeaf, revokedAt);
    openssl.record(goodLeaf);
    stranger = opensslCa(await issue(undefined, { subject: 'C=PL, O=Test QTSP, CN=Test QCA', ca: true }));
    stranger.record(goodLeaf, revokedAt);
    trust = {
      qualified: [
        {
          certificatePem: qualifiedCa.pem,
          serviceName: 'Test QCA',
          territory: 'PL',
          periods: [{ status: GRANTED, from: '2016-07-01T00:00:00Z' }],
        },
      ],
      personal: [],
      platform: [],
      trustedSignatureSealOrganisations: [],
    };
  });
  after(() => {
    openssl.cleanup();
    stranger.cleanup();
  });

  test('revoked before the signing time (CRL in the CMS): invalid, with the revocation time', async () => {
    const f = await cades(revokedLeaf, new Date(NOW.getTime() - DAY), { crls: [openssl.crl()] });
    assert.equal(f.status, 'invalid', JSON.stringify(f));
    assert.deepEqual(reasonKeys(f), ['signature.revoked']);
    assert.equal(f.revocation?.status, 'revoked');
    assert.equal(
      f.revocation?.status === 'revoked' && Date.parse(f.revocation.revokedAt),
      Math.floor(revokedAt.getTime() / 1000) * 1000,
    );
  });

  test('revoked after the signing time (OCSP in the CMS): valid, with a note for the clerk', async () => {
    const f = await cades(revokedLeaf, new Date(NOW.getTime() - 20 * DAY), {
      ocspResponses: [openssl.ocspResponse(revokedLeaf)],
    });
    // The OCSP response was issued now, after the signing time, so it speaks for it.
    assert.equal(f.status, 'valid', JSON.stringify(f));
    assert.equal(f.category, 'qualified');
    assert.deepEqual(reasonKeys(f), ['signature.revokedAfterSigning']);
    assert.deepEqual(f.revocation && { ...f.revocation, revokedAt: undefined }, {
      status: 'revoked',
      source: 'OCSP',
      revokedAt: undefined,
    });
  });

  test('good by CRL and by OCSP; unknown to the responder is indeterminate with the reason', async () => {
    const byCrl = await cades(goodLeaf, new Date(NOW.getTime() - DAY), { crls: [openssl.crl()] });
    assert.equal(byCrl.status, 'valid', JSON.stringify(byCrl));
    assert.deepEqual(
      byCrl.revocation && {
        status: byCrl.revocation.status,
        source: 'source' in byCrl.revocation && byCrl.revocation.source,
      },
      { status: 'good', source: 'CRL' },
    );
    const byOcsp = await cades(goodLeaf, new Date(NOW.getTime() - DAY), {
      ocspResponses: [openssl.ocspResponse(goodLeaf)],
    });
    assert.equal(byOcsp.status, 'valid');
    assert.equal(byOcsp.revocation?.status, 'good');

    const unknown = await cades(unknownLeaf, new Date(NOW.getTime() - DAY), {
      ocspResponses: [openssl.ocspResponse(unknownLeaf)],
    });
    assert.equal(unknown.status, 'indeterminate', JSON.stringify(unknown));
    assert.deepEqual(reasonKeys(unknown), ['signature.revocationUnknown']);
  });

  test('XAdES RevocationValues: a CRL and an OCSP response carried in the unsigned properties', async () => {
    const crl = await verifyUploadedSignatures(
      [{ name: 'p.xml', formatId: 'xml', bytes: xadesWithRevocation(revokedLeaf, NOW, [openssl.crl()], []) }],
      trust,
      NOW,
    );
    assert.equal(crl.status, 'invalid', JSON.stringify(crl));
    assert.deepEqual(reasonKeys(crl.findings[0]!), ['signature.revoked']);
    const ocsp = await verifyUploadedSignatures(
      [
        {
          name: 'p.xml',
          formatId: 'xml',
          bytes: xadesWithRevocation(
            goodLeaf,
            new Date(NOW.getTime() - DAY),
            [],
            [openssl.ocspResponse(goodLeaf)],
          ),
        },
      ],
      trust,
      NOW,
    );
    assert.equal(ocsp.status, 'valid', JSON.stringify(ocsp));
    assert.equal(ocsp.findings[0]!.revocation?.status, 'good');
  });

  test('revocation data supplied with the trust store counts like carried data', async () => {
    const f = await cades(
      revokedLeaf,
      NOW,
      {},
      { ...trust, revocation: { crls: [], ocspResponses: [openssl.ocspResponse(revokedLeaf)] } },
    );
    assert.equal(f.status, 'invalid');
    assert.deepEqual(reasonKeys(f), ['signature.revoked']);
  });

  test('a CA between the signer and the anchor revoked by the root: invalid, naming that CA', async () => {
    const root = await issue(undefined, { subject: 'C=PL, O=Test MSWiA, CN=Test pl.ID Root CA', ca: true });
    const authority = await issue(root, {
      subject: 'C=PL, O=Test MSWiA, CN=Test pl.ID Authorization CA',
      ca: true,
    });
    const person = await issue(authority, {
      subject: PERSON,
      notBefore: new Date(NOW.getTime() - 300 * DAY),
    });
    const rootCa = opensslCa(root);
    try {
      rootCa.record(authority, revokedAt);
      const p7m = await cmsSign(person, Buffer.from('Wniosek\n'), {
        detached: false,
        signingTime: NOW,
        chain: [authority],
        crls: [rootCa.crl()],
      });
      const report = await verifyUploadedSignatures(
        [{ name: 'w.txt.p7m', formatId: 'cades', bytes: p7m }],
        { ...trust, qualified: [], personal: [root.pem] },
        NOW,
      );
      const finding = report.findings[0]!;
      assert.equal(finding.status, 'invalid', JSON.stringify(finding));
      assert.equal(finding.category, 'personal');
      assert.deepEqual(reasonKeys(finding), ['signature.revoked']);
      assert.match(String(finding.reasons[0]!.params!.subject), /Authorization CA/);
      // The signer's own certificate is not on the root's CRL: its status stays "not checked".
      assert.equal(finding.revocation?.status, 'notChecked');
    } finally {
      rootCa.cleanup();
    }
  });

  test('data that does not speak for the signature is not believed', async () => {
    // A CRL and a response by another CA of the same name: not signed by the issuer, ignored.
    const forged = await cades(goodLeaf, NOW, {
      crls: [stranger.crl()],
      ocspResponses: [stranger.ocspResponse(goodLeaf)],
    });
    assert.equal(forged.status, 'valid', JSON.stringify(forged));
    assert.equal(forged.revocation?.status, 'notChecked');

    // A response signed by a certificate the issuer did not delegate OCSP to.
    const notDelegated = await issue(qualifiedCa, { subject: 'C=PL, CN=Not a responder' });
    const undelegated = await cades(revokedLeaf, NOW, {
      ocspResponses: [openssl.ocspResponse(revokedLeaf, notDelegated)],
    });
    assert.equal(undelegated.revocation?.status, 'notChecked', JSON.stringify(undelegated));

    // A CRL changed after signing.
    const crl = openssl.crl();
    const tampered = Buffer.from(crl);
    tampered[tampered.length - 5]! ^= 0x01;
    const broken = await cades(revokedLeaf, NOW, { crls: [tampered] });
    assert.equal(broken.revocation?.status, 'notChecked');

    // Data issued before the signing time cannot say the certificate was good when it signed.
    const stale = await cades(goodLeaf, new Date(NOW.getTime() + 3600_000), { crls: [crl] });
    assert.equal(stale.revocation?.status, 'notChecked');
    // Garbage is ignored, never a crash.
    const garbage = await cades(goodLeaf, NOW, {
      crls: [],
      ocspResponses: [Buffer.from([0x30, 0x03, 0x0a, 0x01, 0x01])],
    });
    assert.equal(garbage.revocation?.status, 'notChecked');
  });
});
