import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { createFileTrustStore } from '../../src/adapters/trust-store';
import { exclusiveC14n } from '../../src/domain/receipts/exclusive-c14n';
import { envelop, envelopedSignature } from '../../src/domain/receipts/xades-signature';
import { QC_TYPE_ESIGN } from '../../src/domain/signatures/trust';
import { verifyUploadedSignatures } from '../../src/domain/signatures/verify-uploaded-signatures';
import { cmsSign, issue, type TestKey } from '../helpers/test-pki';

const TSL = 'http://uri.etsi.org/02231/v2#';
const GRANTED = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted';
const b64 = (k: TestKey) => k.der.toString('base64');

function pointer(territory: string, signer: TestKey): string {
  return `<OtherTSLPointer><ServiceDigitalIdentities><ServiceDigitalIdentity><DigitalId><X509Certificate>${b64(signer)}</X509Certificate></DigitalId></ServiceDigitalIdentity></ServiceDigitalIdentities><TSLLocation>https://example.invalid/${territory}.xml</TSLLocation><AdditionalInformation><OtherInformation><SchemeTerritory>${territory}</SchemeTerritory></OtherInformation></AdditionalInformation></OtherTSLPointer>`;
}

function service(name: string, ca: TestKey, history = ''): string {
  return `<TSPService><ServiceInformation><ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/QC</ServiceTypeIdentifier><ServiceName><Name xml:lang="en">${name}</Name></ServiceName><ServiceDigitalIdentity><DigitalId><X509Certificate>${b64(ca)}</X509Certificate></DigitalId></ServiceDigitalIdentity><ServiceStatus>${GRANTED}</ServiceStatus><StatusStartingTime>2016-07-01T00:00:00Z</StatusStartingTime></ServiceInformation>${history}</TSPService>`;
}

/** A trusted list of the ETSI TS 119 612 structure, signed enveloped over the whole list. */
function list(
  options: { territory: string; sequence: number; lotl?: boolean; pointers?: string; services?: string },
  signer: TestKey,
): Buffer {
  const type = options.lotl
    ? 'http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists'
    : 'http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric';
  const xml = `<TrustServiceStatusList xmlns="${TSL}" Id="tsl" TSLTag="http://uri.etsi.org/19612/TSLTag"><SchemeInformation><TSLVersionIdentifier>5</TSLVersionIdentifier><TSLSequenceNumber>${options.sequence}</TSLSequenceNumber><TSLType>${type}</TSLType><SchemeTerritory>${options.territory}</SchemeTerritory><ListIssueDateTime>2026-01-01T00:00:00Z</ListIssueDateTime><PointersToOtherTSL>${options.pointers ?? ''}</PointersToOtherTSL><NextUpdate><dateTime>2026-07-01T00:00:00Z</dateTime></NextUpdate></SchemeInformation>${options.services ? `<TrustServiceProviderList><TrustServiceProvider><TSPServices>${options.services}</TSPServices></TrustServiceProvider></TrustServiceProviderList>` : ''}</TrustServiceStatusList>`;
  const canonical = exclusiveC14n(new DOMParser().parseFromString(xml, 'text/xml').documentElement as never);
  const signature = envelopedSignature(
    { canonicalDocument: canonical, signingTime: new Date() },
    { privateKey: signer.privateKey, certificateDer: signer.der },
  );
  return Buffer.from(envelop(canonical, signature));
}

describe('trusted lists: loaded offline, each signature checked, old lists kept', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-tl-'));
  const store = path.join(root, 'data', 'trust-lists');
  const source = (name: string) => {
    const dir = path.join(root, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  };
  let lotlSigner: TestKey;
  let plSigner: TestKey;
  let stranger: TestKey;
  let qca: TestKey;
  let oldQca: TestKey;
  let person: TestKey;
  before(async () => {
    lotlSigner = await issue(undefined, { subject: 'C=BE, O=Test EC, CN=LOTL signer' });
    plSigner = await issue(undefined, { subject: 'C=PL, O=Test NBP, CN=TL signer' });
    stranger = await issue(undefined, { subject: 'C=PL, CN=Someone else' });
    const qRoot = await issue(undefined, { subject: 'C=PL, O=Test QTSP, CN=Root', ca: true });
    qca = await issue(qRoot, { subject: 'C=PL, O=Test QTSP, CN=QCA 2026', ca: true });
    oldQca = await issue(qRoot, { subject: 'C=PL, O=Test QTSP, CN=QCA 2017', ca: true });
    person = await issue(qca, {
      subject: 'C=PL, 2.5.4.42=Jan, 2.5.4.4=Kowalski, 2.5.4.5=PNOPL-44051401359, CN=Jan Kowalski',
      qc: { compliance: true, types: [QC_TYPE_ESIGN] },
    });
    fs.mkdirSync(store, { recursive: true });
    fs.writeFileSync(path.join(store, 'lotl-signers.pem'), lotlSigner.pem);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('the LOTL and the national list load, and a qualified signature verifies against them', async () => {
    const dir = source('first');
    fs.writeFileSync(
      path.join(dir, 'eu-lotl.xml'),
      list(
        {
          territory: 'EU',
          sequence: 300,
          lotl: true,
          pointers: pointer('EU', lotlSigner) + pointer('PL', plSigner),
        },
        lotlSigner,
      ),
    );
    fs.writeFileSync(
      path.join(dir, 'pl.xml'),
      list({ territory: 'PL', sequence: 110, services: service('QCA 2017', oldQca) }, plSigner),
    );
    const trust = createFileTrustStore({ dir: store, platformCaPems: async () => [] });
    const outcomes = await trust.update(dir);
    assert.deepEqual(
      outcomes.map((o) => [o.file, o.status, o.territory, o.sequenceNumber]),
      [
        ['eu-lotl.xml', 'stored', 'EU', 300],
        ['pl.xml', 'stored', 'PL', 110],
      ],
    );
    const anchors = await trust.anchors();
    assert.equal(anchors.qualified.length, 1);
    assert.equal(anchors.qualified[0]?.serviceName, 'QCA 2017');

    // A newer list replaces nothing: the service it no longer lists stays for signing-time validation.
    const next = source('second');
    fs.writeFileSync(
      path.join(next, 'pl.xml'),
      list({ territory: 'PL', sequence: 111, services: service('QCA 2026', qca) }, plSigner),
    );
    assert.deepEqual(
      (await trust.update(next)).map((o) => o.status),
      ['stored'],
    );
    const both = await trust.anchors();
    assert.deepEqual(both.qualified.map((q) => q.serviceName).sort(), ['QCA 2017', 'QCA 2026']);
    assert.ok(fs.existsSync(path.join(store, 'lists', 'PL-110.xml')));
    assert.ok(fs.existsSync(path.join(store, 'lists', 'PL-111.xml')));

    const p7m = await cmsSign(person, Buffer.from('Wniosek\n'), { detached: false });
    const report = await verifyUploadedSignatures(
      [{ name: 'w.p7m', formatId: 'cades', bytes: p7m }],
      both,
      new Date(),
    );
    assert.equal(report.status, 'valid', JSON.stringify(report));
    assert.equal(report.findings[0]?.category, 'qualified');
  });

  test('bad lists are refused with the reason and leave nothing behind', async () => {
    const dir = source('bad');
    const good = list(
      { territory: 'PL', sequence: 120, services: service('QCA 2026', qca) },
      plSigner,
    ).toString();
    fs.writeFileSync(path.join(dir, 'changed.xml'), good.replace('QCA 2026', 'QCA 2099'));
    fs.writeFileSync(path.join(dir, 'stranger.xml'), list({ territory: 'PL', sequence: 121 }, stranger));
    fs.writeFileSync(path.join(dir, 'rollback.xml'), list({ territory: 'PL', sequence: 100 }, plSigner));
    fs.writeFileSync(
      path.join(dir, 'unsigned.xml'),
      `<TrustServiceStatusList xmlns="${TSL}"><SchemeInformation><TSLSequenceNumber>130</TSLSequenceNumber><SchemeTerritory>PL</SchemeTerritory><ListIssueDateTime>2026-01-01T00:00:00Z</ListIssueDateTime></SchemeInformation></TrustServiceStatusList>`,
    );
    fs.writeFileSync(
      path.join(dir, 'bomb.xml'),
      '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxx"><!ENTITY y "&x;&x;&x;&x;">]><a>&y;</a>',
    );
    fs.writeFileSync(
      path.join(dir, 'fake-lotl.xml'),
      list({ territory: 'EU', sequence: 301, lotl: true, pointers: pointer('PL', stranger) }, stranger),
    );
    fs.writeFileSync(path.join(dir, 'de.xml'), list({ territory: 'DE', sequence: 5 }, plSigner));
    const before = fs.readdirSync(path.join(store, 'lists')).sort();
    const trust = createFileTrustStore({ dir: store, platformCaPems: async () => [] });
    const outcomes = await trust.update(dir);
    const reasons = Object.fromEntries(outcomes.map((o) => [o.file, `${o.status} ${o.reason?.key ?? ''}`]));
    assert.deepEqual(reasons, {
      'bomb.xml': 'refused trustList.unreadable',
      'changed.xml': 'refused trustList.badSignature',
      'de.xml': 'refused trustList.noLotl',
      'fake-lotl.xml': 'refused trustList.signerNotAnnounced',
      'rollback.xml': 'refused trustList.rollback',
      'stranger.xml': 'refused trustList.signerNotAnnounced',
      'unsigned.xml': 'refused trustList.signatureCount',
    });
    assert.deepEqual(fs.readdirSync(path.join(store, 'lists')).sort(), before);
  });

  test('npm run cli -- trust-lists update <dir> prints each list and exits 1 when one is refused', () => {
    const dir = source('cli');
    fs.writeFileSync(
      path.join(dir, 'eu-lotl.xml'),
      list(
        {
          territory: 'EU',
          sequence: 300,
          lotl: true,
          pointers: pointer('EU', lotlSigner) + pointer('PL', plSigner),
        },
        lotlSigner,
      ),
    );
    fs.writeFileSync(
      path.join(dir, 'pl.xml'),
      list({ territory: 'PL', sequence: 140, services: service('QCA 2026', qca) }, plSigner),
    );
    fs.writeFileSync(path.join(dir, 'stranger.xml'), list({ territory: 'PL', sequence: 141 }, stranger));
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'trust-lists', 'update', dir, '--lang', 'en'],
      {
        env: { ...process.env, DATA_DIR: path.join(root, 'data'), LOG_LEVEL: 'warn' },
        encoding: 'utf8',
      },
    );
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /^stored\s+pl\.xml PL #140$/m);
    assert.match(
      run.stdout,
      /^refused\s+stranger\.xml: The trusted list PL was signed by a certificate not announced/m,
    );
  });

  test('a server keeps what it read for rereadAfterMs; an update is seen at once', async () => {
    const dir = path.join(root, 'reread', 'trust-lists');
    fs.mkdirSync(path.join(dir, 'personal'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'lotl-signers.pem'), lotlSigner.pem);
    const kept = createFileTrustStore({ dir, platformCaPems: async () => [], rereadAfterMs: 3_600_000 });
    const every = createFileTrustStore({ dir, platformCaPems: async () => [] });
    assert.deepEqual((await kept.anchors()).personal, []);
    fs.writeFileSync(path.join(dir, 'personal', 'root.pem'), qca.pem);
    assert.deepEqual((await kept.anchors()).personal, [], 'read an hour ago at most: not yet');
    const added = [`${qca.pem}\n`];
    assert.deepEqual((await every.anchors()).personal, added, 'rereadAfterMs 0: every call reads');
    const lists = source('reread-lists');
    fs.writeFileSync(
      path.join(lists, 'eu-lotl.xml'),
      list({ territory: 'EU', sequence: 300, lotl: true, pointers: pointer('PL', plSigner) }, lotlSigner),
    );
    await kept.update(lists);
    assert.deepEqual((await kept.anchors()).personal, added, 'an update reads again');
  });
});
