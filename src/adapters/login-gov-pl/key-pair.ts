import { createPrivateKey, createPublicKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { x509 } from '../../domain/receipts/crypto-engine';

/** A P-256 key with its self-signed certificate, as SAML metadata publishes it. */
export interface SamlKey {
  privateKey: KeyObject;
  privateKeyPem: string;
  certificatePem: string;
  /** Base64 DER, as it goes into ds:X509Certificate. */
  certificateBase64: string;
  publicKey: KeyObject;
}

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

export async function generateSamlKey(commonName: string, now: Date): Promise<SamlKey> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: new x509.Name([{ C: [{ printableString: 'PL' }] }, { CN: [{ utf8String: commonName }] }]),
    notBefore: now,
    notAfter: new Date(now.getTime() + 5 * YEAR_MS),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    keys,
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKeyPem = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();
  return samlKeyFromPem(privateKeyPem, certificate.toString('pem'));
}

export function samlKeyFromPem(privateKeyPem: string, certificatePem: string): SamlKey {
  const privateKey = createPrivateKey(privateKeyPem);
  const cert = new x509.X509Certificate(certificatePem);
  const publicKey = createPublicKey(cert.toString('pem'));
  const mine = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  if (!mine.equals(publicKey.export({ format: 'der', type: 'spki' })))
    throw new Error('the certificate does not belong to the private key');
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') throw new Error('the key must be on P-256');
  return {
    privateKey,
    privateKeyPem,
    certificatePem: cert.toString('pem'),
    certificateBase64: Buffer.from(cert.rawData).toString('base64'),
    publicKey,
  };
}

/** Loads `<dir>/<name>.key.pem` and `<dir>/<name>.crt.pem`, generating them on first use. */
export async function loadOrGenerateSamlKey(
  dir: string,
  name: string,
  commonName: string,
  now: Date,
): Promise<SamlKey> {
  const keyPath = path.join(dir, `${name}.key.pem`);
  const certPath = path.join(dir, `${name}.crt.pem`);
  try {
    return samlKeyFromPem(await fs.readFile(keyPath, 'utf8'), await fs.readFile(certPath, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = await generateSamlKey(commonName, now);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.writeFile(keyPath, key.privateKeyPem, { mode: 0o600, flag: 'wx' });
  await fs.writeFile(certPath, key.certificatePem, { flag: 'wx' });
  return key;
}

/** Base64 DER of a PEM certificate. */
export function certificateBase64(pem: string): string {
  return Buffer.from(new x509.X509Certificate(pem).rawData).toString('base64');
}
