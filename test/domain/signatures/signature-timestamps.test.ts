import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { x509 } from '../../../src/domain/receipts/crypto-engine';
import { exclusiveC14n } from '../../../src/domain/receipts/exclusive-c14n';
import { envelop, envelopedSignature } from '../../../src/domain/receipts/xades-signature';
import { QC_TYPE_ESIGN, type TrustAnchors } from '../../../src/domain/signatures/trust';
import {
  verifyUploadedSignatures,
  type SignatureFinding,
} from '../../../src/domain/signatures/verify-uploaded-signatures';
import { opensslCa, type OpensslCa } from '../../helpers/openssl-revocation';
import {
  cmsSignatureValue,
  opensslTsa,
  withSignatureTimestamp,
  type OpensslTsa,
} from '../../helpers/openssl-tsa';
import { cmsSign, issue, type TestKey } from '../../helpers/test-pki';

const NOW = new Date();
const DAY = 24 * 3600 * 1000;
const GRANTED = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted';
const PERSON = 'C=PL, 2.5.4.42=Jan, 2.5.4.4=Kowalski, 2.5.4.5=PNOPL-44051401359, CN=Jan Kowalski';
const TIME_STAMPING = new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.8'], true);

const reasonKeys = (f: SignatureFinding) => f.reasons.map((r) => r.key);

/** lxml (libxml2), independently: the inclusive Canonical XML of the ds:SignatureValue element. */
function lxmlCanonicalSignatureValue(xml: Buffer): Buffer {
  const script = [
    'import sys',
    'from lxml import etree',
    'doc = etree.fromstring(sys.stdin.buffer.read())',
    "value = doc.find('.//{http://www.w3.org/2000/09/xmldsig#}SignatureValue')",
    "sys.stdout.buffer.write(etree.tostring(value, method='c14n'))",
  ].join('\n');
  const result = spawnSync('/usr/bin/python3', ['-c', script], { input: xml });
  assert.equal(result.status, 0, result.stderr.toString());
  return result.stdout;
}

/**
 * An enveloped XAdES in a document with a default namespace, which Canonical XML carries onto the
 * ds:SignatureValue. (No xml:lang: C14N 1.0 inherits it onto a subset's apex, lxml's subtree
 * canonicalization does not, so the two would not be comparable.)
 */
function xades(key: TestKey): Buffer {
  const canonical = exclusiveC14n(
    new DOMParser().parseFromString(
      '<pismo xmlns="urn:test:pismo"><tresc>Wniosek</tresc></pismo>',
      'text/xml',
    ).documentElement as never,
  );
  return Buffer.from(
    envelop(
      canonical,
      envelopedSignature(
        { canonicalDocument: canonical, signingTime: new Date(NOW.getTime() - 2 * DAY) },
        { privateKey: key.privateKey, certificateDer: key.der },
      ),
    ),
  );
}

/** The XAdES with a SignatureTimeStamp in its unsigned properties. */
const withXadesTimestamp = (xml: Buffer, token: Buffer, canonicalization?: string): Buffer => {
  const method = canonicalization ? `<ds:CanonicalizationMethod Algorithm="${canonicalization}"/>` : '';
  const unsigned = `<xades:UnsignedProperties><xades:UnsignedSignatureProperties><xades:SignatureTimeStamp>${method}<xades:EncapsulatedTimeStamp>${token.toString('base64')}</xades:EncapsulatedTimeStamp></xades:SignatureTimeStamp></xades:UnsignedSignatureProperties></xades:UnsignedProperties>`;
  const text = xml.toString('utf8');
  assert.ok(text.includes('</xades:SignedProperties>'));
  return Buffer.from(text.replace('</xades:SignedProperties>', `</xades:SignedProperties>${unsigned}`));
};

describe('signature time-stamps (RFC 3161) made by openssl ts', () => {
  let trust: TrustAnchors;
  let root: TestKey;
  let leaf: TestKey;
  let revokedLeaf: TestKey;
  let tsa: OpensslTsa;
  let strangerTsa: OpensslTsa;
  let notTsa: TestKey;
  let revocations: OpensslCa;
  // Revoked yesterday: a signature claiming an earlier time is valid with a note, unless a
  // time-stamp shows it existed only after the revocation.
  const revokedAt = new Date(NOW.getTime() - DAY);

  before(async () => {
    root = await issue(undefined, { subject: 'C=PL, O=Test QTSP, CN=Test Root', ca: true });
    const qualifiedCa = await issue(root, { subject: 'C=PL, O=Test QTSP, CN=Test QCA', ca: true });
    const qualified = { qc: { compliance: true, types: [QC_TYPE_ESIGN] } };
    const longAgo = new Date(NOW.getTime() - 300 * DAY);
    leaf = await issue(qualifiedCa, { subject: PERSON, notBefore: longAgo, ...qualified });
    revokedLeaf = await issue(qualifiedCa, { subject: PERSON, notBefore: longAgo, ...qualified });
    revocations = opensslCa(qualifiedCa);
    revocations.record(leaf);
    revocations.record(revokedLeaf, revokedAt);
    const tsaCa = await issue(root, { subject: 'C=PL, O=Test QTSP, CN=Test TSA CA', ca: true });
    const tsaKey = await issue(tsaCa, {
      subject: 'C=PL, O=Test QTSP, CN=Test TSA',
      rsa: true,
      extensions: [TIME_STAMPING],
    });
    tsa = opensslTsa(tsaKey, [tsaCa]);
    const strangerRoot = await issue(undefined, { subject: 'C=PL, O=Elsewhere, CN=Other Root', ca: true });
    strangerTsa = opensslTsa(
      await issue(strangerRoot, { subject: 'C=PL, O=Elsewhere, CN=Other TSA', extensions: [TIME_STAMPING] }),
      [strangerRoot],
    );
    notTsa = await issue(tsaCa, {
      subject: 'C=PL, O=Test QTSP, CN=Not a TSA',
      extensions: [new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.4'], false)],
    });
    trust = {
      qualified: [
        {
          certificatePem: qualifiedCa.pem,
          serviceName: 'Test QCA',
          territory: 'PL',
          periods: [{ status: GRANTED, from: '2016-07-01T00:00:00Z' }],
        },
      ],
      // The TSA chains to an anchor the installation trusts; here the root of the test QTSP.
      personal: [root.pem],
      platform: [],
      trustedSignatureSealOrganisations: [],
    };
  });
  after(() => {
    tsa.cleanup();
    strangerTsa.cleanup();
    revocations.cleanup();
  });

  const verify = async (p7m: Buffer, anchors = trust) => {
    const report = await verifyUploadedSignatures(
      [{ name: 'w.txt.p7m', formatId: 'cades', bytes: p7m }],
      anchors,
      NOW,
    );
    assert.equal(report.findings.length, 1);
    return report.findings[0]!;
  };
  const signed = (key: TestKey, signingTime: Date) =>
    cmsSign(key, Buffer.from('Wniosek\n'), { detached: false, signingTime, crls: [revocations.crl()] });

  test('a valid time-stamp: openssl agrees on what it covers and when; its time is the signing time', async () => {
    const cms = await signed(leaf, new Date(NOW.getTime() - 2 * DAY));
    const value = cmsSignatureValue(cms);
    const token = tsa.token(value);
    // The independent counterpart: openssl ts -verify over the signature value, the root trusted.
    assert.equal(tsa.verifies(token, value, root), true);
    assert.equal(tsa.verifies(token, Buffer.from('other bytes'), root), false);
    // A CRL speaks for the signing time only when issued at or after it: this one, supplied in
    // the trust store, is made after the time-stamp (the one in the CMS is older than it).
    const f = await verify(withSignatureTimestamp(cms, token), {
      ...trust,
      revocation: { crls: [revocations.crl()], ocspResponses: [] },
    });
    assert.equal(f.status, 'valid', JSON.stringify(f));
    assert.equal(f.category, 'qualified');
    assert.deepEqual(f.timestamp, {
      status: 'valid',
      time: tsa.printedTime(token).toISOString(),
      authority: 'C=PL, O=Test QTSP, CN=Test TSA',
    });
    assert.equal(f.revocation?.status, 'good');
  });

  test('revocation is judged at the time-stamp, not at the time the signer claims', async () => {
    const claimed = new Date(NOW.getTime() - 2 * DAY);
    const cms = await signed(revokedLeaf, claimed);
    const without = await verify(cms);
    assert.equal(without.status, 'valid', JSON.stringify(without));
    assert.deepEqual(reasonKeys(without), ['signature.revokedAfterSigning']);

    const stamped = await verify(withSignatureTimestamp(cms, tsa.token(cmsSignatureValue(cms))));
    assert.equal(stamped.status, 'invalid', JSON.stringify(stamped));
    assert.deepEqual(reasonKeys(stamped), ['signature.revoked']);
    assert.equal(stamped.reasons[0]!.params?.signingTime, stamped.timestamp?.time);
  });

  test('a time-stamp over other bytes, from an untrusted TSA, by a certificate not for time-stamping, changed, or garbage: reported, never valid', async () => {
    const cms = await signed(leaf, new Date(NOW.getTime() - 2 * DAY));
    const value = cmsSignatureValue(cms);
    const cases: [Buffer, string][] = [
      [tsa.token(Buffer.concat([value, Buffer.from([0])])), 'signature.timestampOtherBytes'],
      [strangerTsa.token(value), 'signature.timestampUntrusted'],
      [tsa.tokenSignedBy(value, notTsa), 'signature.timestampNotTsa'],
      [Buffer.from('not a token at all'), 'signature.timestampUnreadable'],
    ];
    // One changed byte in the token's own signature (its last bytes).
    const changed = Buffer.from(tsa.token(value));
    changed[changed.length - 5]! ^= 0x01;
    cases.push([changed, 'signature.timestampCryptoFailed']);
    for (const [token, reason] of cases) {
      const f = await verify(withSignatureTimestamp(cms, token));
      assert.equal(f.status, 'indeterminate', `${reason}: ${JSON.stringify(f)}`);
      assert.equal(f.timestamp?.status, 'invalid', reason);
      assert.deepEqual(reasonKeys(f), [reason]);
    }
  });

  test('XAdES SignatureTimeStamp over the canonical ds:SignatureValue (as lxml canonicalizes it): its time is the signing time', async () => {
    const verifyXml = async (xml: Buffer) => {
      // The CRL is supplied with the trust store: this XAdES carries no revocation data.
      const report = await verifyUploadedSignatures(
        [{ name: 'p.xml', formatId: 'xml', bytes: xml }],
        { ...trust, revocation: { crls: [revocations.crl()], ocspResponses: [] } },
        NOW,
      );
      assert.equal(report.findings.length, 1);
      return report.findings[0]!;
    };
    const plain = xades(revokedLeaf);
    const canonicalValue = lxmlCanonicalSignatureValue(plain);
    assert.match(canonicalValue.toString(), /^<ds:SignatureValue xmlns="urn:test:pismo" xmlns:ds=/);
    const token = tsa.token(canonicalValue);
    // Without the stamp the claimed time (before the revocation) holds; with it, it does not.
    const without = await verifyXml(plain);
    assert.equal(without.status, 'valid', JSON.stringify(without));
    assert.deepEqual(reasonKeys(without), ['signature.revokedAfterSigning']);
    for (const method of [undefined, 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315']) {
      const stamped = await verifyXml(withXadesTimestamp(plain, token, method));
      assert.deepEqual(stamped.timestamp, {
        status: 'valid',
        time: tsa.printedTime(token).toISOString(),
        authority: 'C=PL, O=Test QTSP, CN=Test TSA',
      });
      assert.equal(stamped.status, 'invalid', JSON.stringify(stamped));
      assert.deepEqual(reasonKeys(stamped), ['signature.revoked']);
    }
    // The same token declared over the exclusive form covers other bytes.
    const exclusive = await verifyXml(
      withXadesTimestamp(plain, token, 'http://www.w3.org/2001/10/xml-exc-c14n#'),
    );
    assert.equal(exclusive.timestamp?.status, 'invalid');
    assert.deepEqual(reasonKeys(exclusive), [
      'signature.timestampOtherBytes',
      'signature.revokedAfterSigning',
    ]);
    assert.equal(exclusive.status, 'indeterminate');
  });
});
