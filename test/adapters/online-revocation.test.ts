import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createOnlineRevocationFetcher } from '../../src/adapters/online-revocation';
import { createFileTrustStore } from '../../src/adapters/trust-store';
import { loadConfig } from '../../src/config';
import { x509 } from '../../src/domain/receipts/crypto-engine';
import { QC_TYPE_ESIGN, type TrustAnchors } from '../../src/domain/signatures/trust';
import { verifyUploadedSignatures } from '../../src/domain/signatures/verify-uploaded-signatures';
import { freePort, ocspResponder, opensslCa, type OpensslCa } from '../helpers/openssl-revocation';
import { cmsSign, issue, type TestKey } from '../helpers/test-pki';

const NOW = new Date();
const DAY = 24 * 3600 * 1000;
const GRANTED = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted';
const PERSON = 'C=PL, 2.5.4.42=Jan, 2.5.4.4=Kowalski, 2.5.4.5=PNOPL-44051401359, CN=Jan Kowalski';

describe('revocation fetched online (a live openssl ocsp responder, a CRL distribution point) and supplied with the trust store', () => {
  let openssl: OpensslCa;
  let responder: { url: string; stop(): Promise<void> } | undefined;
  let responderPort: number;
  let crlServer: http.Server;
  let crlUrl: string;
  let qualifiedCa: TestKey;
  let trust: TrustAnchors;
  let dataDir: string;
  const revokedAt = new Date(NOW.getTime() - 10 * DAY);

  const leaf = (extensions: x509.Extension[]) =>
    issue(qualifiedCa, {
      subject: PERSON,
      notBefore: new Date(NOW.getTime() - 300 * DAY),
      qc: { compliance: true, types: [QC_TYPE_ESIGN] },
      extensions,
    });
  const verify = async (key: TestKey, anchors: TrustAnchors, online: boolean) => {
    const p7m = await cmsSign(key, Buffer.from('Wniosek\n'), {
      detached: false,
      signingTime: new Date(NOW.getTime() - DAY),
    });
    const fetcher = createOnlineRevocationFetcher({ timeoutMs: 10_000 });
    const report = await verifyUploadedSignatures(
      [{ name: 'w.txt.p7m', formatId: 'cades', bytes: p7m }],
      anchors,
      NOW,
      online ? { fetchRevocation: (c, i) => fetcher.fetch(c, i) } : {},
    );
    return report.findings[0]!;
  };

  before(async () => {
    const root = await issue(undefined, { subject: 'C=PL, O=Test QTSP, CN=Test Root', ca: true });
    qualifiedCa = await issue(root, { subject: 'C=PL, O=Test QTSP, CN=Test QCA', ca: true });
    openssl = opensslCa(qualifiedCa);
    responderPort = await freePort();
    crlServer = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pkix-crl' });
      res.end(openssl.crl());
    });
    await new Promise<void>((resolve) => crlServer.listen(0, '127.0.0.1', resolve));
    crlUrl = `http://127.0.0.1:${(crlServer.address() as { port: number }).port}/qca.crl`;
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
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-revocation-'));
  });
  after(async () => {
    await responder?.stop();
    await new Promise((resolve) => crlServer.close(resolve));
    openssl.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('SIGNATURE_REVOCATION_ONLINE is off unless set', () => {
    assert.equal(loadConfig({}).signatureRevocationOnline, false);
    assert.equal(loadConfig({ SIGNATURE_REVOCATION_ONLINE: 'true' }).signatureRevocationOnline, true);
    assert.throws(() => loadConfig({ SIGNATURE_REVOCATION_ONLINE: 'yes' }));
  });

  test('OCSP from the responder the certificate names: revoked and good', async () => {
    const url = `http://127.0.0.1:${responderPort}/`;
    const aia = new x509.AuthorityInfoAccessExtension({ ocsp: [new x509.GeneralName('url', url)] });
    const revoked = await leaf([aia]);
    const good = await leaf([aia]);
    openssl.record(revoked, revokedAt);
    openssl.record(good);
    responder = await ocspResponder(openssl, responderPort);
    assert.equal(responder.url, url);

    // Offline (the default) nothing is asked.
    const offline = await verify(revoked, trust, false);
    assert.equal(offline.revocation?.status, 'notChecked');
    assert.equal(offline.status, 'valid');

    const r = await verify(revoked, trust, true);
    assert.equal(r.status, 'invalid', JSON.stringify(r));
    assert.deepEqual(
      r.reasons.map((x) => x.key),
      ['signature.revoked'],
    );
    assert.equal(r.revocation?.status === 'revoked' && r.revocation.source, 'OCSP');
    const g = await verify(good, trust, true);
    assert.equal(g.status, 'valid', JSON.stringify(g));
    assert.equal(g.revocation?.status, 'good');
  });

  test('a CRL from the distribution point the certificate names', async () => {
    const revoked = await leaf([new x509.CRLDistributionPointsExtension([crlUrl])]);
    openssl.record(revoked, revokedAt);
    const r = await verify(revoked, trust, true);
    assert.equal(r.status, 'invalid', JSON.stringify(r));
    assert.equal(r.revocation?.status === 'revoked' && r.revocation.source, 'CRL');
  });

  test('a place that does not answer leaves the status "not checked", never a failure', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as { port: number }).port}/`;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await leaf([
      new x509.AuthorityInfoAccessExtension({ ocsp: [new x509.GeneralName('url', url)] }),
    ]);
    const f = await verify(unreachable, trust, true);
    assert.equal(f.status, 'valid', JSON.stringify(f));
    assert.equal(f.revocation?.status, 'notChecked');
  });

  test('CRLs (PEM) and OCSP responses supplied in DATA_DIR/trust-lists/revocation', async () => {
    const revoked = await leaf([]);
    openssl.record(revoked, revokedAt);
    const store = createFileTrustStore({ dir: dataDir, platformCaPems: async () => [] });
    const withStore = async () => ({ ...(await store.anchors()), qualified: trust.qualified });
    assert.equal((await verify(revoked, await withStore(), false)).revocation?.status, 'notChecked');

    fs.mkdirSync(path.join(dataDir, 'revocation'));
    const der = openssl.crl();
    const pem = `-----BEGIN X509 CRL-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END X509 CRL-----\n`;
    fs.writeFileSync(path.join(dataDir, 'revocation', 'qca.crl'), pem);
    const byCrl = await verify(revoked, await withStore(), false);
    assert.equal(byCrl.status, 'invalid', JSON.stringify(byCrl));
    assert.equal(byCrl.revocation?.status === 'revoked' && byCrl.revocation.source, 'CRL');

    fs.rmSync(path.join(dataDir, 'revocation', 'qca.crl'));
    fs.writeFileSync(path.join(dataDir, 'revocation', 'jan.ocsp'), openssl.ocspResponse(revoked));
    const byOcsp = await verify(revoked, await withStore(), false);
    assert.equal(byOcsp.revocation?.status === 'revoked' && byOcsp.revocation.source, 'OCSP');
  });
});
