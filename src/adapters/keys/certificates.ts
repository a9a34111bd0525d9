import { createPrivateKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import { x509 } from '../../domain/receipts/crypto-engine';
import { ORGANIZATION_IDENTIFIER_OID } from '../../domain/receipts/model';

/** ECDSA P-256: a signature costs tens of microseconds, so sealing never limits filing. */
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

export interface IssuedKey {
  privateKey: KeyObject;
  /** PKCS#8 PEM of the private key. */
  privateKeyPem: string;
  certificate: x509.X509Certificate;
}

/** A name given as UTF-8 values, never parsed as an RFC 4514 string (office names may hold quotes or commas). */
function distinguishedName(organisation: string, commonName: string, identifier?: string): x509.Name {
  return new x509.Name([
    { C: [{ printableString: 'PL' }] },
    ...(identifier ? [{ [ORGANIZATION_IDENTIFIER_OID]: [{ utf8String: identifier }] }] : []),
    { O: [{ utf8String: organisation }] },
    { CN: [{ utf8String: commonName }] },
  ]);
}

/** A positive serial number of 16 random bytes (RFC 5280 allows up to 20). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

async function exportPrivateKey(key: webcrypto.CryptoKey): Promise<{ pem: string; keyObject: KeyObject }> {
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const keyObject = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return { pem: keyObject.export({ format: 'pem', type: 'pkcs8' }).toString(), keyObject };
}

async function generateKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

/** The installation's own certification authority: it issues the seals it generates. */
export async function createCertificateAuthority(installationName: string, now: Date): Promise<IssuedKey> {
  const keys = await generateKeyPair();
  const name = distinguishedName(installationName, `${installationName} — lokalny urząd certyfikacji`);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name,
    notBefore: now,
    notAfter: new Date(now.getTime() + 10 * YEAR_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const { pem, keyObject } = await exportPrivateKey(keys.privateKey);
  return { privateKey: keyObject, privateKeyPem: pem, certificate };
}

/**
 * A seal certificate (pieczęć elektroniczna) issued by the local CA, valid for 3 years. Its
 * subject names whose seal it is (`sealId`: `officeSealId(...)` or `PLATFORM_SEAL_ID`), so a
 * verifier can tell one office's seal from another's and from the platform's. `null` makes a
 * seal of the earlier profile, without it (how seals generated before were made).
 */
export async function issueSealCertificate(
  ca: { privateKeyPem: string; certificate: x509.X509Certificate },
  organisationName: string,
  sealId: string | null,
  now: Date,
): Promise<IssuedKey> {
  const keys = await generateKeyPair();
  const caKey = await webcrypto.subtle.importKey(
    'pkcs8',
    createPrivateKey(ca.privateKeyPem).export({ format: 'der', type: 'pkcs8' }),
    KEY_ALGORITHM,
    false,
    ['sign'],
  );
  const subject = distinguishedName(
    organisationName,
    `${organisationName} — pieczęć elektroniczna`,
    sealId ?? undefined,
  );
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject,
    issuer: ca.certificate.subjectName,
    notBefore: now,
    notAfter: new Date(now.getTime() + 3 * YEAR_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate),
    ],
  });
  const { pem, keyObject } = await exportPrivateKey(keys.privateKey);
  return { privateKey: keyObject, privateKeyPem: pem, certificate };
}
