import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { createFileTrustStore } from '../../../src/adapters/trust-store';
import { x509 } from '../../../src/domain/receipts/crypto-engine';
import { exclusiveC14n } from '../../../src/domain/receipts/exclusive-c14n';
import { envelop, envelopedSignature } from '../../../src/domain/receipts/xades-signature';
import { readTrustedList, TrustedListError } from '../../../src/domain/signatures/trusted-lists';
import { issue, type TestKey } from '../../helpers/test-pki';

/**
 * A real, published trusted list (Iceland, no. 13; see test/fixtures/trusted-lists/README.md):
 * our reader loads it and checks its signature, and so do xmlsec1 and lxml, independently.
 */
const FIXTURE = path.join(import.meta.dirname, '../../fixtures/trusted-lists/IS-13.xml');
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const GRANTED = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted';
const SUPERVISED = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/undersupervision';

const bytes = fs.readFileSync(FIXTURE);
/** The certificate in the list's own signature (the one the list of lists announced for IS). */
const signerPem = (() => {
  const doc = new DOMParser().parseFromString(bytes.toString('utf8'), 'text/xml');
  const b64 = doc.getElementsByTagNameNS(DSIG, 'X509Certificate')[0]!.textContent!;
  return new x509.X509Certificate(Buffer.from(b64, 'base64')).toString('pem');
})();

function xmlsec1(file: string, certFile: string) {
  return spawnSync(
    'xmlsec1',
    ['--verify', '--pubkey-cert-pem', certFile, '--id-attr:Id', 'SignedProperties', file],
    { encoding: 'utf8' },
  );
}

/**
 * A list of lists of that time is not a fixture here: a test one plays its part, pointing to IS
 * with the signer certificate the published list carries.
 */
function lotlPointingToIs(lotlSigner: TestKey, issued: string): string {
  const signerB64 = new x509.X509Certificate(signerPem).toString('base64');
  const xml = `<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#" Id="tsl" TSLTag="http://uri.etsi.org/19612/TSLTag"><SchemeInformation><TSLVersionIdentifier>5</TSLVersionIdentifier><TSLSequenceNumber>240</TSLSequenceNumber><TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists</TSLType><SchemeTerritory>EU</SchemeTerritory><ListIssueDateTime>${issued}</ListIssueDateTime><PointersToOtherTSL><OtherTSLPointer><ServiceDigitalIdentities><ServiceDigitalIdentity><DigitalId><X509Certificate>${signerB64}</X509Certificate></DigitalId></ServiceDigitalIdentity></ServiceDigitalIdentities><TSLLocation>https://example.invalid/IS.xml</TSLLocation><AdditionalInformation><OtherInformation><SchemeTerritory>IS</SchemeTerritory></OtherInformation></AdditionalInformation></OtherTSLPointer></PointersToOtherTSL></SchemeInformation></TrustServiceStatusList>`;
  const canonical = exclusiveC14n(new DOMParser().parseFromString(xml, 'text/xml').documentElement as never);
  const signature = envelopedSignature(
    { canonicalDocument: canonical, signingTime: new Date() },
    { privateKey: lotlSigner.privateKey, certificateDer: lotlSigner.der },
  );
  return envelop(canonical, signature);
}

describe('a published trusted list: loaded and its signature checked by us, xmlsec1 and lxml', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'published-tl-'));
    fs.writeFileSync(path.join(dir, 'signer.pem'), signerPem);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('our reader: IS no. 13, the CA/QC service with its history, signature valid', async () => {
    const list = await readTrustedList(bytes, [signerPem]);
    assert.equal(list.territory, 'IS');
    assert.equal(list.sequenceNumber, 13);
    assert.equal(list.issued, '2019-06-14T01:00:00Z');
    assert.equal(list.nextUpdate, '2019-12-14T00:00:00Z');
    assert.equal(list.isLotl, false);
    // One CA/QC service with two certificates (2008 and 2017); the OCSP/QC services are not anchors.
    assert.deepEqual(
      list.services.map((s) => s.serviceName),
      ['Fulltgilt audkenni', 'Fulltgilt audkenni'],
    );
    assert.deepEqual(list.services[0]!.periods, [
      { status: SUPERVISED, from: '2009-05-05T12:00:00Z' },
      { status: GRANTED, from: '2016-06-30T22:00:00Z' },
    ]);
    // The list's signer holds a certificate of that very service (Audkenni's "Fullgilt audkenni").
    const signer = new x509.X509Certificate(signerPem);
    const issuers = list.services.map((s) => new x509.X509Certificate(s.certificatePem));
    const verdicts = await Promise.all(
      issuers.map((ca) => signer.verify({ publicKey: ca.publicKey, signatureOnly: true }).catch(() => false)),
    );
    assert.ok(verdicts.includes(true));
  });

  test('xmlsec1 verifies the same signature; one changed byte fails both', async () => {
    fs.writeFileSync(path.join(dir, 'IS.xml'), bytes);
    const ok = xmlsec1(path.join(dir, 'IS.xml'), path.join(dir, 'signer.pem'));
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stderr, /^OK$/m);
    assert.match(ok.stderr, /SignedInfo References \(ok\/all\): 2\/2/);

    const changed = Buffer.from(bytes.toString('utf8').replace('Borgartuni 31', 'Borgartuni 13'));
    assert.notDeepEqual(changed, bytes);
    fs.writeFileSync(path.join(dir, 'changed.xml'), changed);
    assert.notEqual(xmlsec1(path.join(dir, 'changed.xml'), path.join(dir, 'signer.pem')).status, 0);
    await assert.rejects(
      readTrustedList(changed, [signerPem]),
      (e: unknown) => e instanceof TrustedListError && e.key === 'trustList.badSignature',
    );
  });

  test('a signer not announced for the list is refused', async () => {
    const stranger = await issue(undefined, { subject: 'C=IS, CN=Not announced', rsa: true });
    await assert.rejects(
      readTrustedList(bytes, [stranger.pem]),
      (e: unknown) => e instanceof TrustedListError && e.key === 'trustList.signerNotAnnounced',
    );
  });

  test('lxml reads the same structure: territory, number, CA/QC services and their statuses', async () => {
    const script = `
import sys, json
from lxml import etree
ns = {'t': 'http://uri.etsi.org/02231/v2#', 'ds': 'http://www.w3.org/2000/09/xmldsig#'}
parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
root = etree.parse(sys.argv[1], parser).getroot()
services = []
for info in root.iterfind('.//t:TSPService/t:ServiceInformation', ns):
    if info.findtext('t:ServiceTypeIdentifier', namespaces=ns) != 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC':
        continue
    history = info.getparent().iterfind('t:ServiceHistory/t:ServiceHistoryInstance', ns)
    services.append({
        'certificates': len(info.findall('t:ServiceDigitalIdentity/t:DigitalId/t:X509Certificate', ns)),
        'statuses': sorted([info.findtext('t:ServiceStatus', namespaces=ns)] + [h.findtext('t:ServiceStatus', namespaces=ns) for h in history]),
    })
print(json.dumps({
    'territory': root.findtext('t:SchemeInformation/t:SchemeTerritory', namespaces=ns),
    'sequence': int(root.findtext('t:SchemeInformation/t:TSLSequenceNumber', namespaces=ns)),
    'signatures': len(root.findall('ds:Signature', ns)),
    'services': services,
}))
`;
    const run = spawnSync('/usr/bin/python3', ['-c', script, FIXTURE], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const seen = JSON.parse(run.stdout) as {
      territory: string;
      sequence: number;
      signatures: number;
      services: { certificates: number; statuses: string[] }[];
    };
    const ours = await readTrustedList(bytes, [signerPem]);
    assert.equal(seen.territory, ours.territory);
    assert.equal(seen.sequence, ours.sequenceNumber);
    assert.equal(seen.signatures, 1);
    assert.equal(
      seen.services.reduce((n, s) => n + s.certificates, 0),
      ours.services.length,
    );
    assert.deepEqual(seen.services[0]!.statuses, ours.services[0]!.periods.map((p) => p.status).sort());
  });

  test('trust-lists update stores it when the list of lists points to IS with its signer', async () => {
    // The list of lists of that time is not a fixture here: a test one plays its part, pointing
    // to IS with the signer certificate the published list carries.
    const lotlSigner: TestKey = await issue(undefined, {
      subject: 'C=EU, CN=Test LOTL signer',
      notBefore: new Date('2019-01-01T00:00:00Z'),
    });
    const source = path.join(dir, 'lists');
    fs.mkdirSync(source);
    fs.writeFileSync(path.join(source, 'eu-lotl.xml'), lotlPointingToIs(lotlSigner, '2019-06-14T00:00:00Z'));
    fs.writeFileSync(path.join(source, 'IS.xml'), bytes);
    const storeDir = path.join(dir, 'store');
    fs.mkdirSync(storeDir);
    fs.writeFileSync(path.join(storeDir, 'lotl-signers.pem'), lotlSigner.pem);
    const store = createFileTrustStore({ dir: storeDir, platformCaPems: async () => [] });
    const outcomes = await store.update(source);
    assert.deepEqual(
      outcomes.map((o) => [o.file, o.status, o.territory, o.sequenceNumber]),
      [
        ['eu-lotl.xml', 'stored', 'EU', 240],
        ['IS.xml', 'stored', 'IS', 13],
      ],
    );
    const anchors = await store.anchors();
    assert.equal(anchors.qualified.filter((q) => q.territory === 'IS').length, 2);
    // Kept byte for byte.
    assert.deepEqual(fs.readFileSync(path.join(storeDir, 'lists', 'IS-13.xml')), bytes);
  });

  test("a list's signer is judged at the list's issue time, not now", async () => {
    // IS no. 13's signer expired in September 2019; the list, issued in June 2019, still loads.
    assert.ok(new x509.X509Certificate(signerPem).notAfter.getTime() < Date.now());
    assert.equal((await readTrustedList(bytes, [signerPem])).sequenceNumber, 13);
    // A signer whose certificate did not yet exist when the list says it was issued: refused.
    const young = await issue(undefined, { subject: 'C=EU, CN=Test LOTL signer' });
    await assert.rejects(
      readTrustedList(Buffer.from(lotlPointingToIs(young, '2019-06-14T00:00:00Z')), [young.pem]),
      (e: unknown) =>
        e instanceof TrustedListError &&
        e.key === 'trustList.signerNotValidAtIssue' &&
        e.params?.issued === '2019-06-14T00:00:00Z',
    );
    // The same list issued within its signer's validity: accepted.
    const list = await readTrustedList(Buffer.from(lotlPointingToIs(young, new Date().toISOString())), [
      young.pem,
    ]);
    assert.equal(list.isLotl, true);
  });
});
