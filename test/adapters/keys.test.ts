import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { createConfiguredSeals } from '../../src/adapters/keys/configured-seals';
import { signReceipt } from '../../src/domain/receipts/index';
import { receiptInput, temporarySeals, xmlsecVerifies, OFFICE } from '../helpers/receipts';

const opensslText = (pem: string) =>
  execFileSync('openssl', ['x509', '-noout', '-text', '-nameopt', 'utf8'], { input: pem, encoding: 'utf8' });

describe('generated seals', () => {
  const keys = temporarySeals();
  after(() => keys.cleanup());

  test('a local CA and an office seal with the required profile, in 0600 files', async () => {
    const seal = await keys.seals.forOffice(OFFICE.id, OFFICE.name);
    for (const file of ['ca.pem', 'ca.cert.pem', 'platform.pem', `offices/${OFFICE.id}.pem`]) {
      if (file === 'platform.pem') await keys.seals.platform();
      assert.equal(fs.statSync(path.join(keys.dir, file)).mode & 0o777, 0o600, file);
    }
    assert.doesNotMatch(fs.readFileSync(path.join(keys.dir, 'ca.cert.pem'), 'utf8'), /PRIVATE KEY/);

    const ca = opensslText(seal.caPem);
    assert.match(ca, /ASN1 OID: prime256v1/);
    assert.match(ca, /CA:TRUE/);
    assert.match(ca, /Certificate Sign, CRL Sign/);
    const caCert = new X509Certificate(seal.caPem);
    const caYears = (Date.parse(caCert.validTo) - Date.parse(caCert.validFrom)) / (365.25 * 86400_000);
    assert.ok(Math.abs(caYears - 10) < 0.01, `CA valid ${caYears} years`);

    const text = opensslText(seal.certificatePem);
    assert.match(text, /ASN1 OID: prime256v1/);
    assert.match(text, /ecdsa-with-SHA256/);
    assert.match(
      text,
      /Subject: C=PL, organizationIdentifier=urzad-online:office:umczestochowa, O=Urząd Miasta Częstochowy, CN=Urząd Miasta Częstochowy — pieczęć elektroniczna/,
    );
    assert.match(text, /Digital Signature, Non Repudiation/);
    assert.match(text, /CA:FALSE/);
    const cert = new X509Certificate(seal.certificatePem);
    const years = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / (365.25 * 86400_000);
    assert.ok(Math.abs(years - 3) < 0.01, `seal valid ${years} years`);
    assert.ok(cert.checkIssued(caCert) && cert.verify(caCert.publicKey));
    assert.equal(seal.chainPem, seal.certificatePem + seal.caPem);
    assert.deepEqual(seal.certificateDer, cert.raw);
    assert.equal(seal.privateKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  });

  test('kept across restarts: a second instance reads the same keys', async () => {
    const first = await keys.seals.forOffice(OFFICE.id, OFFICE.name);
    const { createGeneratedSeals } = await import('../../src/adapters/keys/generated-seals');
    const again = createGeneratedSeals({
      dir: keys.dir,
      installationName: 'Urząd OnLine',
      clock: { now: () => new Date() },
    });
    const second = await again.forOffice(OFFICE.id, OFFICE.name);
    assert.equal(second.chainPem, first.chainPem);
    assert.deepEqual(await again.trustedCaPems(), [first.caPem]);
  });

  test('refuses an office id that is not a plain name', async () => {
    await assert.rejects(keys.seals.forOffice('../etc', 'x'), /invalid office id/);
  });

  test('race-safe: processes starting at once end with one CA and one seal', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-keys-race-'));
    try {
      const script = `
        import { createGeneratedSeals } from ${JSON.stringify(path.resolve('src/adapters/keys/generated-seals.ts'))};
        const seals = createGeneratedSeals({ dir: process.argv[1], installationName: 'Urząd OnLine', clock: { now: () => new Date() } });
        const seal = await seals.forOffice('umczestochowa', 'Urząd Miasta Częstochowy');
        process.stdout.write(seal.chainPem);`;
      const runs = Array.from(
        { length: 4 },
        () =>
          new Promise<string>((resolve, reject) => {
            const child = spawn(
              process.execPath,
              ['--import', 'tsx', '--input-type=module', '-e', script, dir],
              { stdio: ['ignore', 'pipe', 'pipe'] },
            );
            let out = '';
            let err = '';
            child.stdout.on('data', (d: Buffer) => (out += d.toString()));
            child.stderr.on('data', (d: Buffer) => (err += d.toString()));
            child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(err))));
          }),
      );
      const chains = await Promise.all(runs);
      assert.equal(new Set(chains).size, 1, 'every process sees the same seal and CA');
      assert.deepEqual(fs.readdirSync(dir).sort(), ['ca.cert.pem', 'ca.pem', 'offices']);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'offices')), ['umczestochowa.pem']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('seals given by path (SEALS_DIR)', () => {
  const keys = temporarySeals();
  const sealsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-seals-'));
  after(() => {
    keys.cleanup();
    fs.rmSync(sealsDir, { recursive: true, force: true });
  });

  test('PEM key and chain, and PKCS#12, sign receipts that xmlsec1 verifies', async () => {
    // An "external" seal: made by another CA, handed over as files.
    const external = await keys.seals.forOffice(OFFICE.id, OFFICE.name);
    const keyPem = external.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    fs.writeFileSync(path.join(sealsDir, `${OFFICE.id}.key.pem`), keyPem, { mode: 0o600 });
    fs.writeFileSync(path.join(sealsDir, `${OFFICE.id}.chain.pem`), external.chainPem);
    const platform = await keys.seals.platform();
    const p12 = path.join(sealsDir, 'platform.p12');
    const platformKey = path.join(sealsDir, 'tmp-key.pem');
    const platformChain = path.join(sealsDir, 'tmp-chain.pem');
    fs.writeFileSync(platformKey, platform.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), {
      mode: 0o600,
    });
    fs.writeFileSync(platformChain, platform.chainPem);
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      platformKey,
      '-in',
      platformChain,
      '-out',
      p12,
      '-passout',
      'pass:tajne hasło',
    ]);
    fs.rmSync(platformKey);
    fs.rmSync(platformChain);

    const seals = createConfiguredSeals({ dir: sealsDir, p12Password: 'tajne hasło' });
    const office = await seals.forOffice(OFFICE.id, OFFICE.name);
    assert.equal(office.chainPem, external.chainPem);
    const fromP12 = await seals.platform();
    assert.equal(fromP12.chainPem, platform.chainPem, 'seal certificate first, then issuers');
    for (const seal of [office, fromP12]) {
      const xml = signReceipt(receiptInput('UPP'), seal);
      assert.ok(xmlsecVerifies(xml, seal.caPem).ok);
    }
    assert.deepEqual(await seals.trustedCaPems(), [external.caPem]);
    await assert.rejects(seals.forOffice('nieznany', 'x'), /No seal "nieznany"/);
    await assert.rejects(createConfiguredSeals({ dir: sealsDir, p12Password: 'złe hasło' }).platform());
  });

  test('a chain that does not belong to the key is refused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-seals-bad-'));
    try {
      const a = await keys.seals.forOffice('urzad-a', 'Urząd A');
      const b = await keys.seals.forOffice('urzad-b', 'Urząd B');
      fs.writeFileSync(
        path.join(dir, 'urzad-a.key.pem'),
        a.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      );
      fs.writeFileSync(path.join(dir, 'urzad-a.chain.pem'), b.chainPem);
      await assert.rejects(
        createConfiguredSeals({ dir }).forOffice('urzad-a', 'Urząd A'),
        /does not match the private key/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an RSA seal from another CA (SEALS_DIR)', () => {
  test('signs RSA-SHA256 receipts that xmlsec1 and verifyReceipt accept', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-seals-rsa-'));
    const run = (args: string[]) =>
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      fs.writeFileSync(
        path.join(dir, 'ca.ext'),
        'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n',
      );
      fs.writeFileSync(
        path.join(dir, 'seal.ext'),
        'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n',
      );
      run([
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'ca.key',
        '-out',
        'ca.crt',
        '-days',
        '30',
        '-subj',
        '/C=PL/O=Kwalifikowany Dostawca/CN=Testowe CA',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ]);
      run([
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'umczestochowa.key.pem',
        '-out',
        'seal.csr',
        '-subj',
        '/C=PL/O=Urząd Miasta Częstochowy/CN=Urząd Miasta Częstochowy',
        '-utf8',
      ]);
      run([
        'x509',
        '-req',
        '-in',
        'seal.csr',
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        'seal.crt',
        '-days',
        '30',
        '-extfile',
        'seal.ext',
      ]);
      fs.writeFileSync(
        path.join(dir, 'umczestochowa.chain.pem'),
        fs.readFileSync(path.join(dir, 'seal.crt'), 'utf8') +
          fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8'),
      );
      const seal = await createConfiguredSeals({ dir }).forOffice(OFFICE.id, OFFICE.name);
      assert.equal(seal.privateKey.asymmetricKeyType, 'rsa');
      // Signed after the certificate was made (the shared fixture's time is a minute earlier).
      const now = new Date();
      const xml = signReceipt(receiptInput('UPP', { enteredAt: now, issuedAt: now }), seal);
      assert.match(xml, /xmldsig-more#rsa-sha256/);
      assert.ok(xmlsecVerifies(xml, seal.caPem).ok);
      const { verifyReceipt } = await import('../../src/domain/receipts/index');
      const report = await verifyReceipt(Buffer.from(xml), {
        trustedCaPems: [fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8')],
      });
      assert.deepEqual(report.reasons, []);
      assert.equal(report.valid, true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
