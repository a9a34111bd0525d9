import {
  createHash,
  createPrivateKey,
  createPublicKey,
  KeyObject,
  randomUUID,
  sign as cryptoSign,
  verify as cryptoVerify,
  X509Certificate,
  type KeyLike,
} from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { AppError } from '../../domain/errors';
import type { Seal } from '../../ports/seals';
import { DS_NS, elementChildren, esc, SOAP_NS, WSSE_NS, WSU_NS } from './xml';

const X509_TOKEN = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3';
const BASE64_ENCODING =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';

/** How far a request's clock may be from ours, and how old its Timestamp may be. */
export const TIMESTAMP_SKEW_MS = 5 * 60_000;
export const TIMESTAMP_MAX_AGE_MS = 5 * 60_000;
/** How long a request without a Timestamp is remembered against replay. */
export const UNTIMED_REPLAY_WINDOW_MS = 24 * 3600_000;

/** ECDSA over SHA-256 as XML-DSig writes it: r and s concatenated (IEEE P1363), not DER. */
class EcdsaSha256 {
  getSignature(signedInfo: string | Buffer, privateKey: KeyLike): string {
    const key = privateKey instanceof KeyObject ? privateKey : createPrivateKey(privateKey);
    return cryptoSign('sha256', Buffer.from(signedInfo), { key, dsaEncoding: 'ieee-p1363' }).toString(
      'base64',
    );
  }
  verifySignature(material: string, key: KeyLike, signatureValue: string): boolean {
    const publicKey = key instanceof KeyObject ? key : createPublicKey(key);
    return cryptoVerify(
      'sha256',
      Buffer.from(material),
      { key: publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signatureValue, 'base64'),
    );
  }
  getAlgorithmName(): string {
    return ECDSA_SHA256;
  }
}

function withEcdsa(sig: SignedXml): SignedXml {
  (sig.SignatureAlgorithms as Record<string, unknown>)[ECDSA_SHA256] = EcdsaSha256;
  return sig;
}

const refused = (key: 'soap.error.unsigned' | 'soap.error.bodyNotSigned' | 'soap.error.stale') =>
  new AppError({ code: key.slice('soap.error.'.length), status: 401, key });
const badSignature = (detail: string) =>
  new AppError({ code: 'signature', status: 401, key: 'soap.error.signature', params: { detail } });

export interface VerifiedRequest {
  certificateDer: Buffer;
  /** The SignatureValue: what the replay check remembers. */
  signatureValue: string;
  /** How long the replay check must remember it. */
  replayWindowMs: number;
}

const wsuId = (el: Element): string | null => el.getAttributeNS(WSU_NS, 'Id') || null;

/**
 * Verifies the WS-Security header of a request: an X.509 BinarySecurityToken, a signature by
 * its key that references the Body (and the Timestamp, when there is one), and a fresh
 * Timestamp. Who holds the certificate is decided by the caller.
 */
export function verifyRequestSignature(
  xml: string,
  parts: { header: Element | null; body: Element },
  now: Date,
): VerifiedRequest {
  const security = parts.header
    ? elementChildren(parts.header).find((e) => e.namespaceURI === WSSE_NS && e.localName === 'Security')
    : undefined;
  if (!security) throw refused('soap.error.unsigned');
  const children = elementChildren(security);
  const signatures = children.filter((e) => e.namespaceURI === DS_NS && e.localName === 'Signature');
  const tokens = children.filter((e) => e.namespaceURI === WSSE_NS && e.localName === 'BinarySecurityToken');
  if (signatures.length !== 1 || tokens.length !== 1 || !signatures[0] || !tokens[0])
    throw refused('soap.error.unsigned');
  const token = tokens[0];
  if (token.getAttribute('ValueType') !== X509_TOKEN)
    throw badSignature('BinarySecurityToken is not an X.509 v3 certificate');
  const der = Buffer.from((token.textContent ?? '').replace(/\s+/g, ''), 'base64');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(der);
  } catch {
    throw badSignature('BinarySecurityToken holds no certificate');
  }
  const validFrom = new Date(certificate.validFrom);
  const validTo = new Date(certificate.validTo);
  if (now < validFrom || now > validTo) throw badSignature('certificate is not valid now');

  const signature = signatures[0];
  const sig = withEcdsa(
    new SignedXml({
      publicCert: certificate.toString(),
      getCertFromKeyInfo: () => null,
      idMode: 'wssecurity',
    }),
  );
  let valid = false;
  try {
    sig.loadSignature(signature.toString());
    valid = sig.checkSignature(xml);
  } catch (error) {
    throw badSignature((error as Error).message.split('\n')[0] ?? 'invalid');
  }
  if (!valid) throw badSignature('signature value or digest does not match');
  const referenced = new Set(sig.getReferences().map((r) => (r.uri ?? '').replace(/^#/, '')));
  const bodyId = wsuId(parts.body) ?? parts.body.getAttribute('Id');
  if (!bodyId || !referenced.has(bodyId)) throw refused('soap.error.bodyNotSigned');

  const timestamp = children.find((e) => e.namespaceURI === WSU_NS && e.localName === 'Timestamp');
  let replayWindowMs = UNTIMED_REPLAY_WINDOW_MS;
  if (timestamp) {
    const id = wsuId(timestamp);
    if (!id || !referenced.has(id)) throw refused('soap.error.stale');
    const field = (name: string) =>
      elementChildren(timestamp).find((e) => e.namespaceURI === WSU_NS && e.localName === name)?.textContent;
    const created = Date.parse(field('Created') ?? '');
    const expiresText = field('Expires');
    const expires = expiresText ? Date.parse(expiresText) : created + TIMESTAMP_MAX_AGE_MS;
    const t = now.getTime();
    if (!Number.isFinite(created) || !Number.isFinite(expires)) throw refused('soap.error.stale');
    if (
      created > t + TIMESTAMP_SKEW_MS ||
      t - created > TIMESTAMP_MAX_AGE_MS + TIMESTAMP_SKEW_MS ||
      expires + TIMESTAMP_SKEW_MS < t
    )
      throw refused('soap.error.stale');
    replayWindowMs = TIMESTAMP_MAX_AGE_MS + 2 * TIMESTAMP_SKEW_MS;
  }
  const signatureValue =
    elementChildren(signature)
      .find((e) => e.localName === 'SignatureValue')
      ?.textContent?.replace(/\s+/g, '') ?? '';
  return { certificateDer: der, signatureValue, replayWindowMs };
}

/** SHA-256 of the certificate DER: how a system is found. */
export const certificateSha256 = (der: Buffer): string => createHash('sha256').update(der).digest('hex');

/**
 * A SOAP 1.1 envelope around `bodyXml`, signed by the seal: a BinarySecurityToken with the
 * seal's certificate, a Timestamp, and one signature (exc-c14n) over the Body and the Timestamp.
 */
export function signedEnvelope(bodyXml: string, seal: Seal, now: Date, ttlMs = 5 * 60_000): string {
  const suffix = randomUUID();
  const tokenId = `X509-${suffix}`;
  const expires = new Date(now.getTime() + ttlMs);
  const envelope =
    `<soapenv:Envelope xmlns:soapenv="${SOAP_NS}" xmlns:wsse="${WSSE_NS}" xmlns:wsu="${WSU_NS}">` +
    `<soapenv:Header><wsse:Security soapenv:mustUnderstand="1">` +
    `<wsse:BinarySecurityToken wsu:Id="${tokenId}" EncodingType="${BASE64_ENCODING}" ValueType="${X509_TOKEN}">${seal.certificateDer.toString('base64')}</wsse:BinarySecurityToken>` +
    `<wsu:Timestamp wsu:Id="TS-${suffix}"><wsu:Created>${now.toISOString()}</wsu:Created><wsu:Expires>${expires.toISOString()}</wsu:Expires></wsu:Timestamp>` +
    `</wsse:Security></soapenv:Header>` +
    `<soapenv:Body wsu:Id="Body-${suffix}">${bodyXml}</soapenv:Body></soapenv:Envelope>`;
  const ec = seal.privateKey.asymmetricKeyType === 'ec';
  const sig = withEcdsa(
    new SignedXml({
      privateKey: seal.privateKey as unknown as KeyLike,
      idMode: 'wssecurity',
      canonicalizationAlgorithm: EXC_C14N,
      signatureAlgorithm: ec ? ECDSA_SHA256 : 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      getKeyInfoContent: () =>
        `<wsse:SecurityTokenReference><wsse:Reference URI="#${esc(tokenId)}" ValueType="${X509_TOKEN}"/></wsse:SecurityTokenReference>`,
    }),
  );
  for (const name of ['Body', 'Timestamp']) {
    sig.addReference({
      xpath: `//*[local-name(.)='${name}']`,
      transforms: [EXC_C14N],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    });
  }
  sig.computeSignature(envelope, {
    prefix: 'ds',
    location: { reference: "//*[local-name(.)='Security']", action: 'append' },
  });
  return sig.getSignedXml();
}
