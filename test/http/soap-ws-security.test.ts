import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createPrivateKey, sign, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { DOMParser } from '@xmldom/xmldom';
import { ExclusiveCanonicalization, SignedXml } from 'xml-crypto';
import { signedEnvelope, verifyRequestSignature } from '../../src/http/soap/ws-security';
import { parseSoapEnvelope } from '../../src/http/soap/xml';
import type { Seal } from '../../src/ports/seals';
import { markDemoLettersTaken, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { opensslSelfSigned } from '../helpers/test-pki';

const run = promisify(execFile);
const OBJ = 'http://wsdl.epuap.gov.pl/obiekty/';
const ECDSA = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';
const count = `<ob:ZapytaniePullOczekujace xmlns:ob="${OBJ}"><podmiot>umczestochowa</podmiot><nazwaSkrytki>skrytka</nazwaSkrytki><adresSkrytki>/umczestochowa/skrytka</adresSkrytki></ob:ZapytaniePullOczekujace>`;

/** A connector's key (ECDSA P-256 unless told) and self-signed certificate, in the shape of a seal. */
async function connectorKey(algorithm: 'ec' | 'rsa' = 'ec'): Promise<Seal> {
  const { keyPem, certificatePem: pem } = await opensslSelfSigned('/CN=EZD ECDSA', { days: 2, algorithm });
  return {
    privateKey: createPrivateKey(keyPem),
    certificatePem: pem,
    chainPem: pem,
    certificateDer: new X509Certificate(pem).raw,
    caPem: pem,
  };
}

for (const dialect of testDialects()) {
  describe(`SOAP WS-Security checks (${dialect})`, () => {
    let app: TestApp;
    let dir: string;
    let key: Seal;

    const post = (payload: string) =>
      app.http.inject({
        method: 'POST',
        url: '/pk_external_ws/services/pull',
        headers: { 'content-type': 'text/xml; charset=utf-8' },
        payload,
      });
    const message = (body: string) => /<komunikat>([^<]*)<\/komunikat>/.exec(body)?.[1] ?? '';

    before(async () => {
      app = await startTestApp(dialect, { demo: true, env: { API_RATE_LIMIT_PER_MINUTE: '4' } });
      await markDemoLettersTaken(app);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soap-wss-'));
      key = await connectorKey();
      await app.services.addIntegrationSystem({
        officeId: 'umczestochowa',
        name: 'EZD',
        certificatePem: key.certificatePem,
      });
    });
    after(async () => {
      await app.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('an ECDSA-signed request is served; the answer is sealed and names its certificate', async () => {
      const res = await post(signedEnvelope(count, key, new Date()));
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.body, /<oczekujace>0<\/oczekujace>/);
      assert.match(res.body, /ecdsa-sha256/);
      const seal = await app.deps.seals.forOffice('umczestochowa', 'Urząd Miasta Częstochowy');
      assert.ok(res.body.includes(seal.certificateDer.toString('base64')));
    });

    test('a stale Timestamp and a signature that does not cover the Body are refused', async () => {
      const stale = await post(signedEnvelope(count, key, new Date(Date.now() - 20 * 60_000)));
      assert.equal(stale.statusCode, 500);
      assert.match(message(stale.body), /nieaktualny/);

      // Signed, but only the Timestamp: the Body could be anything.
      const envelope = signedEnvelope(count, key, new Date()).replace(
        /<ds:Signature[\s\S]*<\/ds:Signature>/,
        '',
      );
      const sig = new SignedXml({
        privateKey: key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
        idMode: 'wssecurity',
        canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
        signatureAlgorithm: ECDSA,
      });
      (sig.SignatureAlgorithms as Record<string, unknown>)[ECDSA] = ecdsaWith(key);
      sig.addReference({
        xpath: "//*[local-name(.)='Timestamp']",
        transforms: ['http://www.w3.org/2001/10/xml-exc-c14n#'],
        digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      });
      sig.computeSignature(envelope, {
        prefix: 'ds',
        location: { reference: "//*[local-name(.)='Security']", action: 'append' },
      });
      const timestampOnly = await post(sig.getSignedXml());
      assert.equal(timestampOnly.statusCode, 500);
      assert.match(message(timestampOnly.body), /nie obejmuje elementu Body/);
    });

    test('a system polling in a tight loop is slowed by its own budget', async () => {
      let limited = 0;
      // Ten requests against a budget of 4: even if a window ends during the loop, one of the two overflows.
      for (let i = 0; i < 10; i++) {
        const res = await post(signedEnvelope(count, key, new Date()));
        if (/Zbyt wiele żądań/.test(message(res.body))) limited++;
      }
      assert.ok(limited > 0, 'the budget of 4 a minute ran out');
    });
  });
}

describe('answers signed from their canonical form', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soap-answer-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  // Not canonical as written: a self-closing element, attributes out of order, a namespace
  // declared where it is not used, characters c14n writes differently.
  const body =
    `<ob:OdpowiedzPullPobierz xmlns:ob="${OBJ}" xmlns:unused="urn:unused"><status><kod>1</kod>` +
    `<komunikat b="2" a='x &gt; y'>A &gt; B &amp; "C"</komunikat></status>` +
    `<adresOdpowiedzi xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>` +
    `<zawartosc>${Buffer.alloc(3000, 5).toString('base64')}</zawartosc></ob:OdpowiedzPullPobierz>`;

  /** xmlsec1's verdict on an envelope, with the certificate as the key. */
  async function xmlsec1Verifies(envelope: string, certificatePem: string): Promise<boolean> {
    const file = path.join(dir, 'answer.xml');
    const cert = path.join(dir, 'answer-cert.pem');
    fs.writeFileSync(file, envelope);
    fs.writeFileSync(cert, certificatePem);
    try {
      await run('xmlsec1', [
        '--verify',
        '--pubkey-cert-pem',
        cert,
        '--id-attr:Id',
        'http://schemas.xmlsoap.org/soap/envelope/:Body',
        '--id-attr:Id',
        'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd:Timestamp',
        file,
      ]);
      return true;
    } catch {
      return false;
    }
  }

  for (const algorithm of ['rsa', 'ec'] as const) {
    test(`the Body sent is its exclusive canonical form; xml-crypto and xmlsec1 verify the answer (${algorithm})`, async () => {
      const seal = await connectorKey(algorithm);
      const now = new Date();
      const envelope = signedEnvelope(body, seal, now);
      const parts = parseSoapEnvelope(envelope);
      const bodyId = parts.body.getAttributeNS(
        'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
        'Id',
      );
      // What the library makes of the body as written, compared with what was sent.
      const written = new DOMParser().parseFromString(
        `<soapenv:Body xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" wsu:Id="${bodyId}">${body}</soapenv:Body>`,
        'text/xml',
      );
      const canonical = new ExclusiveCanonicalization().process(
        written.documentElement as unknown as globalThis.Element,
        {},
      );
      assert.ok(envelope.endsWith(`${canonical}</soapenv:Envelope>`), 'the Body is sent canonical');
      assert.doesNotMatch(canonical, /urn:unused|\/>/);

      const verified = verifyRequestSignature(envelope, parts, now);
      assert.deepEqual(verified.certificateDer, seal.certificateDer);
      assert.ok(await xmlsec1Verifies(envelope, seal.certificatePem), 'xmlsec1 verifies the answer');

      const tampered = envelope.replace('<kod>1</kod>', '<kod>0</kod>');
      assert.throws(() => verifyRequestSignature(tampered, parseSoapEnvelope(tampered), now), /signature/i);
      assert.equal(await xmlsec1Verifies(tampered, seal.certificatePem), false, 'nor a changed Body');
      const later = envelope.replace(
        /<wsu:Created>[^<]+</,
        `<wsu:Created>${new Date(now.getTime() + 1000).toISOString()}<`,
      );
      assert.equal(await xmlsec1Verifies(later, seal.certificatePem), false, 'nor a changed Timestamp');
    });
  }
});

describe('request signatures: the common profile checked on the parsed request, any other by xml-crypto', () => {
  let dir: string;
  let key: Seal;
  const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soap-request-'));
    key = await connectorKey('rsa');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A request signed by xml-crypto (RSA-SHA256 over Body and Timestamp) with the given c14n options. */
  function signedByLibrary(now: Date, options: { c14n: string; prefixes?: string[] }): string {
    const unsigned = signedEnvelope(count, key, now).replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
    const sig = new SignedXml({
      privateKey: key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
      idMode: 'wssecurity',
      canonicalizationAlgorithm: options.c14n,
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      inclusiveNamespacesPrefixList: options.prefixes,
    });
    for (const name of ['Body', 'Timestamp'])
      sig.addReference({
        xpath: `//*[local-name(.)='${name}']`,
        transforms: [options.c14n],
        digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
        inclusiveNamespacesPrefixList: options.prefixes,
      });
    sig.computeSignature(unsigned, {
      prefix: 'ds',
      location: { reference: "//*[local-name(.)='Security']", action: 'append' },
    });
    return sig.getSignedXml();
  }

  const verify = (xml: string, now: Date) => verifyRequestSignature(xml, parseSoapEnvelope(xml), now);

  test('exclusive c14n with an InclusiveNamespaces PrefixList, and inclusive c14n, both verify; a change does not', () => {
    const now = new Date();
    for (const options of [
      { c14n: 'http://www.w3.org/2001/10/xml-exc-c14n#', prefixes: ['soapenv', 'wsu'] },
      { c14n: 'http://www.w3.org/2001/10/xml-exc-c14n#' },
      { c14n: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315' },
    ]) {
      const xml = signedByLibrary(now, options);
      if (options.prefixes) assert.match(xml, /InclusiveNamespaces PrefixList="soapenv wsu"/);
      assert.deepEqual(verify(xml, now).certificateDer, key.certificateDer, JSON.stringify(options));
      const changed = xml.replace('<podmiot>umczestochowa<', '<podmiot>umkrakow<');
      assert.throws(() => verify(changed, now), /signature/i, `changed Body, ${JSON.stringify(options)}`);
    }
  });

  test('the signed Body moved aside and another put in its place (signature wrapping) is refused', () => {
    const now = new Date();
    const xml = signedEnvelope(count, key, now);
    const parts = parseSoapEnvelope(xml);
    const bodyId = parts.body.getAttributeNS(WSU, 'Id');
    const original = /<soapenv:Body[\s\S]*<\/soapenv:Body>/.exec(xml)![0];
    const wrapped = xml
      .replace(original, original.replace('umczestochowa', 'umkrakow'))
      .replace('</wsse:Security>', `</wsse:Security><x:Wrap xmlns:x="urn:x">${original}</x:Wrap>`);
    assert.ok(wrapped.includes(`wsu:Id="${bodyId}"`));
    assert.throws(() => verify(wrapped, now), /signature/i);
  });

  test('a signature by another key, or one whose algorithm does not fit the key, is refused', async () => {
    const other = await connectorKey('ec');
    // After the certificate's notBefore, which has whole seconds.
    const now = new Date(Date.now() + 1000);
    const xml = signedEnvelope(count, other, now);
    // The other key's signature with this certificate in the token.
    const swapped = xml.replace(
      other.certificateDer.toString('base64'),
      key.certificateDer.toString('base64'),
    );
    assert.throws(() => verify(swapped, now), /signature/i);
    assert.deepEqual(verify(xml, now).certificateDer, other.certificateDer);
  });
});

/** ECDSA-SHA256 as XML-DSig writes it (r and s concatenated), for a signer made by hand. */
function ecdsaWith(key: Seal) {
  return class {
    getSignature(data: string): string {
      return sign('sha256', Buffer.from(data), { key: key.privateKey, dsaEncoding: 'ieee-p1363' }).toString(
        'base64',
      );
    }
    verifySignature(): boolean {
      return false;
    }
    getAlgorithmName(): string {
      return ECDSA;
    }
  };
}
