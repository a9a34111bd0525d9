import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { QC_TYPE_ESIGN, type TrustAnchors } from '../../../src/domain/signatures/trust';
import {
  verifyUploadedSignatures,
  type SignatureFinding,
} from '../../../src/domain/signatures/verify-uploaded-signatures';
import { opensslCa, type OpensslCa } from '../../helpers/openssl-revocation';
import {
  appendUpdate,
  changesAfterSigning,
  signedPdf,
  SIGNED_CATALOG,
  streamObject,
  withDss,
} from '../../helpers/pades-lt';
import { issue, type TestKey } from '../../helpers/test-pki';

const NOW = new Date();
const DAY = 24 * 3600 * 1000;
const GRANTED = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted';
const PERSON = 'C=PL, 2.5.4.42=Jan, 2.5.4.4=Kowalski, 2.5.4.5=PNOPL-44051401359, CN=Jan Kowalski';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pades-lt-'));
let files = 0;

/** qpdf's own reading of a PDF: its objects (stream data included), as JSON. */
function qpdfObjects(pdf: Buffer): Record<string, unknown> {
  const file = path.join(work, `${++files}.pdf`);
  fs.writeFileSync(file, pdf);
  const check = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
  assert.equal(check.status, 0, `qpdf --check: ${check.stdout}${check.stderr}`);
  const json = spawnSync(
    'qpdf',
    ['--json=2', '--json-key=qpdf', '--json-stream-data=inline', '--decode-level=none', file],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  assert.equal(json.status, 0, json.stderr);
  return (JSON.parse(json.stdout) as { qpdf: [unknown, Record<string, unknown>] }).qpdf[1];
}

/**
 * What qpdf sees changed after the signature: the objects of the whole file that differ from
 * those of the revision the /ByteRange ends with.
 */
function changedAfterSignature(pdf: Buffer): string[] {
  const range = /\/ByteRange \[0 (\d+) (\d+) (\d+)\]/.exec(pdf.toString('latin1'))!;
  const signed = pdf.subarray(0, Number(range[2]) + Number(range[3]));
  const before = qpdfObjects(signed);
  const after = qpdfObjects(pdf);
  return Object.keys(after)
    .filter((k) => k !== 'trailer' && JSON.stringify(after[k]) !== JSON.stringify(before[k]))
    .sort();
}

const reasonKeys = (f: SignatureFinding) => f.reasons.map((r) => r.key);

describe('PAdES-LT: a document security store after the signature; any other change refused', () => {
  let trust: TrustAnchors;
  let qualifiedCa: TestKey;
  let leaf: TestKey;
  let revokedLeaf: TestKey;
  let openssl: OpensslCa;

  before(async () => {
    const root = await issue(undefined, { subject: 'C=PL, O=Test QTSP, CN=Test Root', ca: true });
    qualifiedCa = await issue(root, { subject: 'C=PL, O=Test QTSP, CN=Test QCA', ca: true });
    const qualified = { qc: { compliance: true, types: [QC_TYPE_ESIGN] } };
    const longAgo = new Date(NOW.getTime() - 300 * DAY);
    leaf = await issue(qualifiedCa, { subject: PERSON, notBefore: longAgo, ...qualified });
    revokedLeaf = await issue(qualifiedCa, { subject: PERSON, notBefore: longAgo, ...qualified });
    openssl = opensslCa(qualifiedCa);
    openssl.record(leaf);
    openssl.record(revokedLeaf, new Date(NOW.getTime() - 10 * DAY));
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
    fs.rmSync(work, { recursive: true, force: true });
  });

  const verify = async (pdf: string) => {
    const report = await verifyUploadedSignatures(
      [{ name: 'umowa.pdf', formatId: 'pdf', bytes: Buffer.from(pdf, 'latin1') }],
      trust,
      NOW,
    );
    assert.equal(report.findings.length, 1, JSON.stringify(report));
    return report.findings[0]!;
  };

  test('the signed file alone: valid, revocation not checked (no data in it)', async () => {
    const { pdf } = await signedPdf(leaf, { signingTime: new Date(NOW.getTime() - DAY) });
    assert.deepEqual(changedAfterSignature(Buffer.from(pdf, 'latin1')), []);
    const f = await verify(pdf);
    assert.equal(f.status, 'valid', JSON.stringify(f));
    assert.equal(f.revocation?.status, 'notChecked');
  });

  test('a DSS update: qpdf sees only the catalog and the store changed; valid, and its CRL and OCSP response are used', async () => {
    const { pdf, cms } = await signedPdf(leaf, { signingTime: new Date(NOW.getTime() - DAY) });
    const lt = withDss(pdf, cms, { certificates: [qualifiedCa.der], crls: [openssl.crl()] });
    assert.deepEqual(changedAfterSignature(Buffer.from(lt, 'latin1')), [
      'obj:1 0 R',
      'obj:10 0 R',
      'obj:11 0 R',
      'obj:8 0 R',
      'obj:9 0 R',
    ]);
    const byCrl = await verify(lt);
    assert.equal(byCrl.status, 'valid', JSON.stringify(byCrl));
    assert.deepEqual(reasonKeys(byCrl), []);
    assert.equal(byCrl.revocation?.status, 'good');
    assert.equal(byCrl.revocation?.status === 'good' && byCrl.revocation.source, 'CRL');

    const revoked = await signedPdf(revokedLeaf, { signingTime: new Date(NOW.getTime() - DAY) });
    const byOcsp = await verify(
      withDss(revoked.pdf, revoked.cms, { ocspResponses: [openssl.ocspResponse(revokedLeaf)] }),
    );
    assert.equal(byOcsp.status, 'invalid', JSON.stringify(byOcsp));
    assert.deepEqual(reasonKeys(byOcsp), ['signature.revoked']);
    assert.equal(byOcsp.revocation?.status === 'revoked' && byOcsp.revocation.source, 'OCSP');
  });

  test('other updates after the signature: qpdf sees what changed; invalid, the change named', async () => {
    const { pdf, cms } = await signedPdf(leaf, { signingTime: new Date(NOW.getTime() - DAY) });
    const cases: [string, string[], string][] = [
      [changesAfterSigning.annotation(pdf), ['obj:13 0 R', 'obj:3 0 R'], '3 0 obj (/Type /Page)'],
      [changesAfterSigning.pageContent(pdf), ['obj:4 0 R'], '4 0 obj (stream)'],
      [
        // A store whose catalog also gains an action run on opening.
        withDss(pdf, cms, { crls: [openssl.crl()] }, ' /OpenAction << /S /JavaScript /JS (app.alert(1)) >>'),
        ['obj:1 0 R', 'obj:10 0 R', 'obj:8 0 R', 'obj:9 0 R'],
        '1 0 obj (/Type /Catalog): entries other than /DSS',
      ],
      [
        // A store that claims the page's content stream as a "certificate" and replaces it.
        appendUpdate(pdf, [
          { n: 1, body: `<< ${SIGNED_CATALOG} /DSS 8 0 R >>` },
          { n: 8, body: '<< /Type /DSS /Certs [4 0 R] >>' },
          { n: 4, body: streamObject(Buffer.from('BT /F1 12 Tf 72 770 Td (Umowa zmieniona) Tj ET')) },
        ]),
        ['obj:1 0 R', 'obj:4 0 R', 'obj:8 0 R'],
        '4 0 obj (stream)',
      ],
    ];
    for (const [changed, seenByQpdf, change] of cases) {
      assert.deepEqual(changedAfterSignature(Buffer.from(changed, 'latin1')), seenByQpdf);
      const f = await verify(changed);
      assert.equal(f.status, 'invalid', `${change}: ${JSON.stringify(f)}`);
      assert.deepEqual(
        f.reasons.find((r) => r.key === 'signature.updateAfterSigning'),
        { key: 'signature.updateAfterSigning', params: { change } },
      );
    }
    // Bytes that are not PDF objects after the signature.
    const garbage = await verify(`${pdf}\u0000\u00ff<<<< garbage`);
    assert.equal(garbage.status, 'invalid');
    assert.deepEqual(reasonKeys(garbage), ['signature.updateAfterSigning']);
  });
});
