import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  LoginGovPlClient,
  MemoryOneTimeIds,
  type SoapTransport,
} from '../../src/adapters/login-gov-pl/client';
import { generateSamlKey } from '../../src/adapters/login-gov-pl/key-pair';
import {
  parseNodeMetadata,
  soapBody,
  verifyArtifactResponse,
  type ServiceProvider,
} from '../../src/adapters/login-gov-pl/messages';
import {
  NationalNodeSimulator,
  SIMULATOR_PEOPLE,
  type AssertionOverrides,
} from '../../src/adapters/login-gov-pl/simulator';
import { NS, onlyChild } from '../../src/adapters/login-gov-pl/xml';
import { verifyEnvelopedSignature } from '../../src/adapters/login-gov-pl/xml-signature';
import { ConfigError, loadConfig } from '../../src/config';
import { ManualClock } from '../../src/ports/clock';
import { NationalLoginRefused, type NationalLoginRefusal } from '../../src/ports/national-node';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'login-gov-pl');
const integration = fs.readFileSync(path.join(FIXTURES, 'integration-artifact-response.xml'), 'utf8');

function certificateIn(xml: string): string {
  const b64 = /<ds:X509Certificate>([^<]+)<\/ds:X509Certificate>/u.exec(xml)![1]!;
  return `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/gu)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function layers(xml: string) {
  const { element: ar } = soapBody(xml, 'ArtifactResponse');
  return { ar, response: onlyChild(ar, NS.samlp, 'Response') };
}

describe('login.gov.pl: the integration-environment ArtifactResponse', () => {
  const nodeCert = certificateIn(integration);

  test('both signatures verify against the pinned node certificate', () => {
    const { ar, response } = layers(integration);
    assert.equal(verifyEnvelopedSignature(integration, ar, nodeCert), true);
    assert.equal(verifyEnvelopedSignature(integration, response, nodeCert), true);
  });

  test('its tampered twins do not verify', async () => {
    // As published: status edited to AuthnFailed after signing.
    const failed = integration.replace(
      'status:Success"/></saml2p:Status><saml2:EncryptedAssertion>',
      'status:AuthnFailed"/></saml2p:Status><saml2:EncryptedAssertion>',
    );
    assert.notEqual(failed, integration);
    const a = layers(failed);
    assert.equal(verifyEnvelopedSignature(failed, a.ar, nodeCert), false);
    assert.equal(verifyEnvelopedSignature(failed, a.response, nodeCert), false);
    // One byte of the encrypted assertion changed.
    const i = integration.indexOf('<xenc:CipherValue>sLrFX9') + '<xenc:CipherValue>'.length;
    const flipped = integration.slice(0, i) + 't' + integration.slice(i + 1);
    const b = layers(flipped);
    assert.equal(verifyEnvelopedSignature(flipped, b.ar, nodeCert), false);
    assert.equal(verifyEnvelopedSignature(flipped, b.response, nodeCert), false);
    // The genuine response against another key.
    const other = await generateSamlKey('other', new Date());
    const c = layers(integration);
    assert.equal(verifyEnvelopedSignature(integration, c.ar, other.certificatePem), false);
  });

  test('the whole check passes both signatures and stops only at decryption, the assertion being for another service', async () => {
    const encryption = await generateSamlKey('sp', new Date());
    const sp: ServiceProvider = {
      entityId: 'otwartedane',
      providerName: 'test',
      acsUrl: 'https://example.invalid/acs',
      logoutReturnUrl: 'https://example.invalid/slo',
      signing: encryption,
      encryption,
      minimumLevel: 'http://eidas.europa.eu/LoA/substantial',
      clockSkewMs: 60_000,
    };
    const node = {
      entityId: 'int.login.gov.pl',
      ssoUrl: 'x',
      artifactResolveUrl: 'x',
      logoutUrl: 'x',
      signingCertificatePem: nodeCert,
    };
    const expect = {
      artifactResolveId: 'ID-2062b5c4-87ac-482a-af14-f94e0197dab3',
      authnRequestId: 'ID-d4a07363-aebe-496f-9243-3cc346c3ceb6-LINK-1867',
    };
    const reason = (fn: () => unknown): NationalLoginRefusal => {
      try {
        fn();
      } catch (err) {
        if (err instanceof NationalLoginRefused) return err.reason;
        throw err;
      }
      throw new Error('not refused');
    };
    assert.equal(
      reason(() => verifyArtifactResponse(integration, expect, sp, node, new Date())),
      'decryption',
    );
    assert.equal(
      reason(() =>
        verifyArtifactResponse(
          integration.replace('status:Success', 'status:AuthnFailed'),
          expect,
          sp,
          node,
          new Date(),
        ),
      ),
      'signature',
    );
    assert.equal(
      reason(() =>
        verifyArtifactResponse(integration, { ...expect, authnRequestId: 'ID-other' }, sp, node, new Date()),
      ),
      'inResponseTo',
    );
  });
});

async function setup() {
  const clock = new ManualClock('2026-03-02T10:00:00.000Z');
  const simulator = await NationalNodeSimulator.create({
    baseUrl: 'http://sim.invalid/login-gov-pl/simulator',
    clock,
  });
  const signing = await generateSamlKey('sp signing', clock.now());
  const encryption = await generateSamlKey('sp encryption', clock.now());
  const sp: ServiceProvider = {
    entityId: 'https://urzad.example.invalid',
    providerName: 'Urząd OnLine (test)',
    acsUrl: 'https://urzad.example.invalid/login-gov-pl/acs',
    logoutReturnUrl: 'https://urzad.example.invalid/login-gov-pl/logout',
    signing,
    encryption,
    minimumLevel: 'http://eidas.europa.eu/LoA/substantial',
    clockSkewMs: 60_000,
  };
  simulator.trust({
    entityId: sp.entityId,
    acsUrl: sp.acsUrl,
    signingCertificatePem: signing.certificatePem,
    encryptionPublicKey: encryption.publicKey,
  });
  const transport: SoapTransport = (url, envelope) =>
    Promise.resolve(
      url.endsWith('/artifact') ? simulator.resolveArtifact(envelope) : simulator.logout(envelope),
    );
  const node = parseNodeMetadata(simulator.metadata());
  const client = new LoginGovPlClient(sp, node, new MemoryOneTimeIds(clock), clock, transport);
  const login = (overrides: AssertionOverrides = {}, options: { level?: string } = {}) => {
    const start = client.startLogin('relay');
    const pending = simulator.receiveAuthnRequest(start.fields.SAMLRequest!);
    const artifact = simulator.issueArtifact(pending.id, SIMULATOR_PEOPLE[0]!, { overrides, ...options });
    return { start, artifact };
  };
  return { clock, simulator, sp, client, login, signing };
}

async function refusal(p: Promise<unknown>): Promise<NationalLoginRefusal> {
  try {
    await p;
  } catch (err) {
    if (err instanceof NationalLoginRefused) return err.reason;
    throw err;
  }
  throw new Error('the login was not refused');
}

describe('login.gov.pl against the simulator', () => {
  test('a login resolves the artifact, decrypts the assertion and yields the person and the evidence', async () => {
    const { client, login, simulator } = await setup();
    const { start, artifact } = login();
    const result = await client.completeLogin({ artifact, expectedRequestId: start.requestId });
    assert.deepEqual(result.identity, SIMULATOR_PEOPLE[0]);
    assert.equal(result.evidence.levelOfAssurance, 'http://eidas.europa.eu/LoA/substantial');
    assert.equal(result.evidence.authenticatingAuthority, 'pz.gov.pl');
    assert.equal(result.evidence.issuer, simulator.entityId);
    assert.ok(simulator.hasSession(result.evidence.sessionIndex));
    await client.logout(result.evidence);
    assert.equal(simulator.hasSession(result.evidence.sessionIndex), false);
  });

  test('the AuthnRequest carries what the node requires, and xmlsec1 verifies its signature', async () => {
    const { client, signing } = await setup();
    const start = client.startLogin('relay');
    const xml = Buffer.from(start.fields.SAMLRequest!, 'base64').toString('utf8');
    for (const needle of [
      'ForceAuthn="true"',
      'ProviderName="Urząd OnLine (test)"',
      'ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact"',
      '<eidas:SPType>public</eidas:SPType>',
      'naturalperson/PersonIdentifier',
      'naturalperson/CurrentGivenName',
      'naturalperson/CurrentFamilyName',
      'naturalperson/DateOfBirth',
      'Comparison="minimum"',
      'http://eidas.europa.eu/LoA/substantial',
      'xmldsig-more#ecdsa-sha256',
      'xml-exc-c14n#',
    ])
      assert.ok(xml.includes(needle), needle);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authn-'));
    fs.writeFileSync(path.join(dir, 'req.xml'), xml);
    fs.writeFileSync(path.join(dir, 'cert.pem'), signing.certificatePem);
    const verify = (file: string) =>
      execFileSync(
        'xmlsec1',
        [
          '--verify',
          '--pubkey-cert-pem',
          path.join(dir, 'cert.pem'),
          '--id-attr:ID',
          'urn:oasis:names:tc:SAML:2.0:protocol:AuthnRequest',
          path.join(dir, file),
        ],
        { stdio: 'pipe' },
      );
    verify('req.xml');
    fs.writeFileSync(path.join(dir, 'bad.xml'), xml.replace('ForceAuthn="true"', 'ForceAuthn="false"'));
    assert.throws(() => verify('bad.xml'));
    fs.rmSync(dir, { recursive: true });
  });

  test('every bad input is refused', async () => {
    const { client, login, clock, sp } = await setup();
    const other = await generateSamlKey('not the node', clock.now());
    const otherJwk = other.publicKey.export({ format: 'jwk' });
    const otherPoint = Buffer.concat([
      Buffer.from([4]),
      Buffer.from(otherJwk.x!, 'base64url'),
      Buffer.from(otherJwk.y!, 'base64url'),
    ]).toString('base64');
    const cases: [string, AssertionOverrides, NationalLoginRefusal, { level?: string }?][] = [
      ['another request', { inResponseTo: 'ID-someone-else' }, 'inResponseTo'],
      ['expired', { notOnOrAfter: new Date(clock.now().getTime() - 10 * 60_000) }, 'expired'],
      ['from the future', { notBefore: new Date(clock.now().getTime() + 10 * 60_000) }, 'notYetValid'],
      // Its own certificate travels in KeyInfo; only the pinned one counts.
      ['signed by another key', { signingKey: other }, 'signature'],
      [
        'tampered',
        {
          tamper: (x) =>
            x.replace(
              /(<xenc:CipherValue>)([A-Za-z0-9+/])/gu,
              (_, t: string, c: string) => t + (c === 'A' ? 'B' : 'A'),
            ),
        },
        'signature',
      ],
      ['wrong audience', { audience: 'https://other.example.invalid' }, 'audience'],
      ['wrong recipient', { recipient: 'https://other.example.invalid/acs' }, 'recipient'],
      ['weak level of assurance', {}, 'levelOfAssurance', { level: 'http://eidas.europa.eu/LoA/low' }],
      ['no level of assurance', { level: null }, 'levelOfAssurance'],
      ['another issuer', { issuer: 'someone.else' }, 'issuer'],
      ['authentication failed', { status: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed' }, 'cancelled'],
      ['unsigned', { unsigned: true }, 'signature'],
      [
        // One byte of the AES-GCM cipher text changed before signing: the signatures hold, the tag does not.
        'tampered cipher text under valid signatures',
        {
          tamperEncrypted: (x) =>
            x.replace(
              /(<xenc:CipherData><xenc:CipherValue>[^<]{40})([A-Za-z0-9+/])([^<]*<\/xenc:CipherValue><\/xenc:CipherData><\/xenc:EncryptedData>)/u,
              (_, a: string, c: string, b: string) => a + (c === 'A' ? 'B' : 'A') + b,
            ),
        },
        'decryption',
      ],
      [
        'a wrapped content key from another agreement',
        {
          tamperEncrypted: (x) => x.replace(/(<dsig11:PublicKey>)[^<]+/u, (_, t: string) => t + otherPoint),
        },
        'decryption',
      ],
      ['no PESEL', { omitAttributes: ['PersonIdentifier'] }, 'identity'],
      ['no date of birth', { omitAttributes: ['DateOfBirth'] }, 'identity'],
      ['no name', { omitAttributes: ['CurrentGivenName'] }, 'identity'],
    ];
    for (const [name, overrides, expected, options] of cases) {
      const { start, artifact } = login(overrides, options);
      assert.equal(
        await refusal(client.completeLogin({ artifact, expectedRequestId: start.requestId })),
        expected,
        name,
      );
    }
    // A login for one request completed with another request's id.
    const first = login();
    const second = client.startLogin('x');
    assert.equal(
      await refusal(client.completeLogin({ artifact: first.artifact, expectedRequestId: second.requestId })),
      'inResponseTo',
    );
    // A replayed artifact.
    const ok = login();
    await client.completeLogin({ artifact: ok.artifact, expectedRequestId: ok.start.requestId });
    assert.equal(
      await refusal(client.completeLogin({ artifact: ok.artifact, expectedRequestId: ok.start.requestId })),
      'replay',
    );
    // A replayed assertion: a new artifact, but an assertion id already used.
    const firstUse = login({ assertionId: '_assertion-used-once' });
    await client.completeLogin({ artifact: firstUse.artifact, expectedRequestId: firstUse.start.requestId });
    const secondUse = login({ assertionId: '_assertion-used-once' });
    assert.equal(
      await refusal(
        client.completeLogin({ artifact: secondUse.artifact, expectedRequestId: secondUse.start.requestId }),
      ),
      'replay',
    );
    // An artifact the node does not know (e.g. already resolved elsewhere): an empty answer.
    const unknown = Buffer.concat([Buffer.from([0, 4, 0, 0]), Buffer.alloc(40, 7)]).toString('base64');
    assert.equal(
      await refusal(client.completeLogin({ artifact: unknown, expectedRequestId: ok.start.requestId })),
      'malformed',
    );
    // Not an artifact at all.
    assert.equal(
      await refusal(client.completeLogin({ artifact: '<x/>', expectedRequestId: ok.start.requestId })),
      'malformed',
    );
    assert.equal(sp.minimumLevel, 'http://eidas.europa.eu/LoA/substantial');
  });

  test('the simulator refuses a request that is not signed by the service provider', async () => {
    const { client, simulator } = await setup();
    const start = client.startLogin('r');
    const xml = Buffer.from(start.fields.SAMLRequest!, 'base64')
      .toString('utf8')
      .replace('ForceAuthn="true"', 'ForceAuthn="false"');
    assert.throws(() => simulator.receiveAuthnRequest(Buffer.from(xml).toString('base64')), /signature/u);
  });
});

describe('login.gov.pl settings', () => {
  const base = { DATA_DIR: os.tmpdir() };

  test('the simulator never runs behind an https PUBLIC_URL unless explicitly allowed', () => {
    assert.throws(
      () =>
        loadConfig({ ...base, PUBLIC_URL: 'https://urzad.example.pl', LOGIN_GOV_PL_METADATA: 'simulator' }),
      (err: unknown) => err instanceof ConfigError && /LOGIN_GOV_PL_SIMULATOR_ALLOW_HTTPS/u.test(err.message),
    );
    // An embedded install behind https with nothing set: no simulator, no national login.
    const quiet = loadConfig({ ...base, PUBLIC_URL: 'https://urzad.example.pl' }).loginGovPl;
    assert.equal(quiet.simulator, false);
    assert.equal(quiet.metadataPath, undefined);
    const allowed = loadConfig({
      ...base,
      PUBLIC_URL: 'https://demo.example.pl',
      LOGIN_GOV_PL_METADATA: 'simulator',
      LOGIN_GOV_PL_SIMULATOR_ALLOW_HTTPS: 'true',
    }).loginGovPl;
    assert.equal(allowed.simulator, true);
    // Embedded over http with nothing set: the simulator; PostgreSQL with nothing set: none.
    assert.equal(loadConfig({ ...base, PUBLIC_URL: 'http://localhost:3000' }).loginGovPl.simulator, true);
    assert.equal(
      loadConfig({ ...base, PUBLIC_URL: 'http://localhost:3000', DATABASE_URL: 'postgres://x@127.0.0.1/x' })
        .loginGovPl.simulator,
      false,
    );
  });

  test('the local trusted-profile register is off unless turned on', () => {
    assert.equal(loadConfig(base).localTrustedProfiles, false);
    assert.equal(loadConfig({ ...base, LOCAL_TRUSTED_PROFILES: 'true' }).localTrustedProfiles, true);
    assert.throws(() => loadConfig({ ...base, LOCAL_TRUSTED_PROFILES: 'yes' }), ConfigError);
  });
});
