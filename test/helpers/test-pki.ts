import {
  constants,
  createHash,
  createPrivateKey,
  privateEncrypt,
  randomBytes,
  webcrypto,
  type KeyObject,
} from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { x509 } from '../../src/domain/receipts/crypto-engine';
import { digestInfos } from '../../src/domain/signatures/raw-rsa';

/**
 * A test PKI for the signatures people attach: CAs, qualified certificates (QCStatements),
 * trusted-signature seals, pl.ID-like personal certificates, and signers that can produce the
 * RSA DigestInfo without NULL parameters that real trusted-signature files carry.
 */
export interface TestKey {
  privateKey: KeyObject;
  signingKey: webcrypto.CryptoKey;
  certificate: x509.X509Certificate;
  pem: string;
  der: Buffer;
  rsa: boolean;
}

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};
const YEAR = 365 * 24 * 3600 * 1000;

const serial = () => {
  const b = randomBytes(12);
  b[0] = b[0]! & 0x7f;
  return b.toString('hex');
};

async function keyPair(rsa: boolean): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(rsa ? RSA : EC, true, [
    'sign',
    'verify',
  ]) as Promise<webcrypto.CryptoKeyPair>;
}

async function finish(
  keys: webcrypto.CryptoKeyPair,
  certificate: x509.X509Certificate,
  rsa: boolean,
): Promise<TestKey> {
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return {
    privateKey: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }),
    signingKey: keys.privateKey,
    certificate,
    pem: certificate.toString('pem'),
    der: Buffer.from(certificate.rawData),
    rsa,
  };
}

/** QCStatements (EN 319 412-5): QcCompliance and QcType. */
export function qcStatements(compliance: boolean, types: string[]): x509.Extension {
  const statements: asn1js.Sequence[] = [];
  if (compliance)
    statements.push(
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '0.4.0.1862.1.1' })] }),
    );
  if (types.length > 0)
    statements.push(
      new asn1js.Sequence({
        value: [
          new asn1js.ObjectIdentifier({ value: '0.4.0.1862.1.6' }),
          new asn1js.Sequence({ value: types.map((t) => new asn1js.ObjectIdentifier({ value: t })) }),
        ],
      }),
    );
  return new x509.Extension(
    '1.3.6.1.5.5.7.1.3',
    false,
    new asn1js.Sequence({ value: statements }).toBER(false),
  );
}

export interface IssueOptions {
  subject: string;
  ca?: boolean;
  rsa?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  nonRepudiation?: boolean;
  qc?: { compliance: boolean; types: string[] };
  /** More extensions, e.g. where to ask for revocation (AIA, CRL distribution points). */
  extensions?: x509.Extension[];
}

/** A certificate issued by `issuer`, or self-signed when it is absent. */
export async function issue(issuer: TestKey | undefined, options: IssueOptions): Promise<TestKey> {
  const rsa = options.rsa ?? false;
  const keys = await keyPair(rsa);
  const notBefore = options.notBefore ?? new Date(Date.now() - YEAR);
  const notAfter = options.notAfter ?? new Date(Date.now() + YEAR);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(!!options.ca, undefined, true),
    new x509.KeyUsagesExtension(
      options.ca
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
        : options.nonRepudiation === false
          ? x509.KeyUsageFlags.digitalSignature
          : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
      true,
    ),
  ];
  if (options.qc) extensions.push(qcStatements(options.qc.compliance, options.qc.types));
  extensions.push(...(options.extensions ?? []));
  const signingAlgorithm = issuer?.rsa
    ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
    : { name: 'ECDSA', hash: 'SHA-256' };
  const certificate = issuer
    ? await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: options.subject,
        issuer: issuer.certificate.subject,
        notBefore,
        notAfter,
        signingAlgorithm,
        publicKey: keys.publicKey,
        signingKey: issuer.signingKey,
        extensions,
      })
    : await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: serial(),
        name: options.subject,
        notBefore,
        notAfter,
        signingAlgorithm: rsa
          ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
          : { name: 'ECDSA', hash: 'SHA-256' },
        keys,
        extensions,
      });
  return finish(keys, certificate, rsa);
}

/** RSA PKCS#1 v1.5 over a SHA-256 digest with the DigestInfo lacking its NULL parameters. */
export function signWithoutNull(key: TestKey, digest: Buffer): Buffer {
  const info = digestInfos('sha256', digest)[1]!;
  return privateEncrypt({ key: key.privateKey, padding: constants.RSA_PKCS1_PADDING }, info);
}

/**
 * A CMS SignedData over `content` (encapsulated or detached) with signing time and message
 * digest, carrying `chain`; `withoutNull` re-signs the attributes with the DigestInfo variant.
 */
export async function cmsSign(
  key: TestKey,
  content: Buffer,
  options: {
    detached: boolean;
    chain?: TestKey[];
    signingTime?: Date;
    withoutNull?: boolean;
    /** Revocation data to carry (DER CRLs and OCSP responses), outside what is signed. */
    crls?: Buffer[];
    ocspResponses?: Buffer[];
  },
): Promise<Buffer> {
  const cert = pkijs.Certificate.fromBER(new Uint8Array(key.der));
  const digest = createHash('sha256').update(content).digest();
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: '1.2.840.113549.1.7.1',
      ...(options.detached
        ? {}
        : { eContent: new asn1js.OctetString({ valueHex: new Uint8Array(content).buffer }) }),
    }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({
              type: '1.2.840.113549.1.9.3',
              values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })],
            }),
            new pkijs.Attribute({
              type: '1.2.840.113549.1.9.5',
              values: [new asn1js.UTCTime({ valueDate: options.signingTime ?? new Date() })],
            }),
            new pkijs.Attribute({
              type: '1.2.840.113549.1.9.4',
              values: [new asn1js.OctetString({ valueHex: new Uint8Array(digest).buffer })],
            }),
          ],
        }),
      }),
    ],
    certificates: [
      cert,
      ...(options.chain ?? []).map((c) => pkijs.Certificate.fromBER(new Uint8Array(c.der))),
    ],
    ...(options.crls?.length || options.ocspResponses?.length
      ? {
          crls: [
            ...(options.crls ?? []).map((der) =>
              pkijs.CertificateRevocationList.fromBER(new Uint8Array(der)),
            ),
            ...(options.ocspResponses ?? []).map(
              (der) =>
                new pkijs.OtherRevocationInfoFormat({
                  otherRevInfoFormat: '1.3.6.1.5.5.7.16.2',
                  otherRevInfo: asn1js.fromBER(new Uint8Array(der)).result,
                }),
            ),
          ],
        }
      : {}),
  });
  await signedData.sign(
    key.signingKey as unknown as CryptoKey,
    0,
    'SHA-256',
    options.detached ? new Uint8Array(content).buffer : undefined,
  );
  if (options.withoutNull) {
    const info = signedData.signerInfos[0]!;
    const attrs = Buffer.from(info.signedAttrs!.toSchema().toBER(false));
    attrs[0] = 0x31;
    const value = signWithoutNull(key, createHash('sha256').update(attrs).digest());
    info.signature = new asn1js.OctetString({ valueHex: new Uint8Array(value).buffer });
  }
  const info = new pkijs.ContentInfo({
    contentType: pkijs.ContentInfo.SIGNED_DATA,
    content: signedData.toSchema(true),
  });
  return Buffer.from(info.toSchema().toBER(false));
}

const execFileAsync = promisify(execFile);

/**
 * A self-signed certificate and its key made by OpenSSL's own command line (an implementation
 * none of ours), as an integration system's connector would bring one: ECDSA P-256 unless told.
 */
export async function opensslSelfSigned(
  subject: string,
  options: { days?: number; algorithm?: 'ec' | 'rsa' } = {},
): Promise<{ keyPem: string; certificatePem: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openssl-cert-'));
  try {
    await execFileAsync('openssl', [
      'req',
      '-x509',
      '-newkey',
      ...(options.algorithm === 'rsa' ? ['rsa:2048'] : ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256']),
      '-nodes',
      '-keyout',
      path.join(dir, 'k.pem'),
      '-out',
      path.join(dir, 'c.pem'),
      '-days',
      String(options.days ?? 30),
      '-subj',
      subject,
    ]);
    return {
      keyPem: fs.readFileSync(path.join(dir, 'k.pem'), 'utf8'),
      certificatePem: fs.readFileSync(path.join(dir, 'c.pem'), 'utf8'),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
