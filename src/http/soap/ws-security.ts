import {
  createHash,
  createPrivateKey,
  createPublicKey,
  KeyObject,
  randomUUID,
  sign as cryptoSign,
  timingSafeEqual,
  verify as cryptoVerify,
  X509Certificate,
  type KeyLike,
} from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { ExclusiveCanonicalization, SignedXml } from 'xml-crypto';
import { AppError } from '../../domain/errors';
import { readUntrustedXml } from '../../domain/xml/read-untrusted';
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

interface KnownCertificate {
  validFrom: Date;
  validTo: Date;
  publicKey: KeyObject;
}
/** Certificates seen in requests, so a connector's certificate is not decoded again on every call. */
const certificates = new Map<string, KnownCertificate>();
const CERTIFICATES_KEPT = 1000;

function certificateOf(der: Buffer): KnownCertificate {
  const key = certificateSha256(der);
  const known = certificates.get(key);
  if (known) return known;
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(der);
  } catch {
    throw badSignature('BinarySecurityToken holds no certificate');
  }
  const decoded = {
    validFrom: new Date(certificate.validFrom),
    validTo: new Date(certificate.validTo),
    publicKey: certificate.publicKey,
  };
  if (certificates.size >= CERTIFICATES_KEPT) certificates.clear();
  certificates.set(key, decoded);
  return decoded;
}

/** Any other signature: xml-crypto's own verification. Returns the URIs of the references. */
function verifyWithLibrary(xml: string, signature: Element, publicKey: KeyObject): string[] {
  const sig = withEcdsa(
    new SignedXml({ publicCert: publicKey, getCertFromKeyInfo: () => null, idMode: 'wssecurity' }),
  );
  // WS-Security names what it signs by wsu:Id (some connectors write an unqualified Id): both
  // are the attribute "Id". Looking for ID and id as well would triple the library's searches of
  // the document; an element carrying the Body's id in such an attribute is not what we read.
  sig.idAttributes = ['Id'];
  let valid = false;
  try {
    // The Signature element of the document already parsed, not a serialised and re-parsed copy.
    sig.loadSignature(signature as unknown as globalThis.Node);
    valid = sig.checkSignature(xml);
  } catch (error) {
    throw badSignature((error as Error).message.split('\n')[0] ?? 'invalid');
  }
  if (!valid) throw badSignature('signature value or digest does not match');
  return sig.getReferences().map((r) => r.uri ?? '');
}

const SIGNATURE_METHODS: Record<string, { hash: string; keyType: 'rsa' | 'ec' }> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': { hash: 'sha1', keyType: 'rsa' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { hash: 'sha256', keyType: 'rsa' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { hash: 'sha512', keyType: 'rsa' },
  [ECDSA_SHA256]: { hash: 'sha256', keyType: 'ec' },
};
const DIGEST_METHODS: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
};

const dsChild = (parent: Element, localName: string): Element[] =>
  elementChildren(parent).filter((e) => e.namespaceURI === DS_NS && e.localName === localName);

/** The PrefixList of an exc-c14n InclusiveNamespaces child of `method`, if any. */
function inclusivePrefixes(method: Element): string[] {
  const list = elementChildren(method).find((e) => e.localName === 'InclusiveNamespaces');
  return list ? (list.getAttribute('PrefixList') ?? '').split(/\s+/).filter(Boolean) : [];
}

/**
 * The exclusive canonical form of one element of the request by xml-crypto's canonicaliser, with
 * the namespaces an InclusiveNamespaces PrefixList names taken from the element's ancestors (as
 * the library's own verification does, found here by lookup instead of XPath).
 */
function exclusiveCanonical(element: Element, prefixes: string[]): string {
  const ancestorNamespaces = prefixes.flatMap((prefix) => {
    const parent = element.parentNode as Element | null;
    const own = prefix === (element.prefix ?? '') || element.hasAttribute(`xmlns:${prefix}`);
    const namespaceURI = own || !parent?.lookupNamespaceURI ? null : parent.lookupNamespaceURI(prefix);
    return namespaceURI ? [{ prefix, namespaceURI }] : [];
  });
  return new ExclusiveCanonicalization().process(element as unknown as globalThis.Element, {
    inclusiveNamespacesPrefixList: prefixes,
    ancestorNamespaces,
  });
}

/** Every element of the document by the value of its attributes named Id (any namespace). */
function elementsById(root: Element): Map<string, Element[]> {
  const byId = new Map<string, Element[]>();
  const walk = (element: Element) => {
    for (let i = 0; i < element.attributes.length; i++) {
      const attribute = element.attributes[i]!;
      if (attribute.localName !== 'Id') continue;
      const found = byId.get(attribute.value);
      if (found) found.push(element);
      else byId.set(attribute.value, [element]);
    }
    for (const child of elementChildren(element)) walk(child);
  };
  walk(root);
  return byId;
}

/**
 * The signature as WS-Security connectors write it — exclusive c14n of SignedInfo, each
 * reference a same-document `#Id` with one exc-c14n transform, RSA or ECDSA — verified on the
 * document already parsed: the elements found by one walk instead of an XPath search per
 * reference, canonicalised by xml-crypto's exclusive canonicaliser, the digests and the
 * signature checked with node:crypto. As in the library, the references are read from the
 * canonical SignedInfo that was verified, and an Id held by two elements is refused (signature
 * wrapping). Returns the URIs of the references, or undefined for any other kind of signature,
 * which xml-crypto verifies in full.
 */
function verifyCommonProfile(
  signature: Element,
  parts: { body: Element },
  publicKey: KeyObject,
): string[] | undefined {
  const [signedInfo, ...moreSignedInfo] = dsChild(signature, 'SignedInfo');
  const [method] = signedInfo ? dsChild(signedInfo, 'CanonicalizationMethod') : [];
  const [signatureMethod] = signedInfo ? dsChild(signedInfo, 'SignatureMethod') : [];
  if (!signedInfo || moreSignedInfo.length || !method || !signatureMethod) return undefined;
  const algorithm = SIGNATURE_METHODS[signatureMethod.getAttribute('Algorithm') ?? ''];
  if (method.getAttribute('Algorithm') !== EXC_C14N || !algorithm) return undefined;
  const canonicalSignedInfo = exclusiveCanonical(signedInfo, inclusivePrefixes(method));

  // What is verified is the canonical SignedInfo: its references are read from that, not from the request.
  const signed = readUntrustedXml(canonicalSignedInfo).documentElement as Element;
  const references: { uri: string; prefixes: string[]; digest: string; value: string }[] = [];
  for (const reference of dsChild(signed, 'Reference')) {
    const uri = reference.getAttribute('URI') ?? '';
    const [transforms] = dsChild(reference, 'Transforms');
    const transformList = transforms ? dsChild(transforms, 'Transform') : [];
    const [transform] = transformList;
    const digest = DIGEST_METHODS[dsChild(reference, 'DigestMethod')[0]?.getAttribute('Algorithm') ?? ''];
    if (!/^#[^']+$/.test(uri) || transformList.length !== 1 || !transform || !digest) return undefined;
    if (transform.getAttribute('Algorithm') !== EXC_C14N) return undefined;
    references.push({
      uri,
      prefixes: inclusivePrefixes(transform),
      digest,
      value: (dsChild(reference, 'DigestValue')[0]?.textContent ?? '').replace(/\s+/g, ''),
    });
  }
  if (references.length === 0) throw badSignature('could not find any Reference elements');

  const signatureValue = Buffer.from(
    (dsChild(signature, 'SignatureValue')[0]?.textContent ?? '').replace(/\s+/g, ''),
    'base64',
  );
  let valid = false;
  try {
    valid =
      publicKey.asymmetricKeyType === algorithm.keyType &&
      cryptoVerify(
        algorithm.hash,
        Buffer.from(canonicalSignedInfo, 'utf8'),
        algorithm.keyType === 'ec' ? { key: publicKey, dsaEncoding: 'ieee-p1363' } : publicKey,
        signatureValue,
      );
  } catch {
    valid = false;
  }
  if (!valid) throw badSignature('signature value or digest does not match');

  const root = (parts.body.ownerDocument?.documentElement ?? parts.body) as Element;
  const byId = elementsById(root);
  for (const reference of references) {
    const found = byId.get(reference.uri.slice(1)) ?? [];
    if (found.length > 1) throw badSignature('two elements carry the same Id');
    if (!found[0]) throw badSignature(`no element with the Id ${reference.uri}`);
    const computed = createHash(reference.digest)
      .update(exclusiveCanonical(found[0], reference.prefixes))
      .digest();
    const given = Buffer.from(reference.value, 'base64');
    if (computed.length !== given.length || !timingSafeEqual(computed, given))
      throw badSignature('signature value or digest does not match');
  }
  return references.map((r) => r.uri);
}

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
  const certificate = certificateOf(der);
  if (now < certificate.validFrom || now > certificate.validTo)
    throw badSignature('certificate is not valid now');

  const signature = signatures[0];
  const referenced = new Set(
    (
      verifyCommonProfile(signature, parts, certificate.publicKey) ??
      verifyWithLibrary(xml, signature, certificate.publicKey)
    ).map((uri) => uri.replace(/^#/, '')),
  );
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

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256_DIGEST = 'http://www.w3.org/2001/04/xmlenc#sha256';
const tokenBase64 = new WeakMap<Buffer, string>();

/**
 * The exclusive canonical form of our own Body, by the maintained library's canonicaliser on
 * the parsed element: no XPath and no whole-envelope parse, only the Body we are about to send.
 */
function canonicalBody(bodyId: string, bodyXml: string): string {
  // Through the one XML reader: a mistake in an answer we build fails here, not at the client.
  const doc = readUntrustedXml(
    `<soapenv:Body xmlns:soapenv="${SOAP_NS}" xmlns:wsu="${WSU_NS}" wsu:Id="${esc(bodyId)}">${bodyXml}</soapenv:Body>`,
    { maxLength: Number.POSITIVE_INFINITY },
  );
  // xml-crypto types its input as the DOM's Element; xmldom's is what it works on at run time.
  return new ExclusiveCanonicalization().process(doc.documentElement as unknown as globalThis.Element, {});
}

const reference = (id: string, canonical: string) =>
  `<ds:Reference URI="#${esc(id)}"><ds:Transforms><ds:Transform Algorithm="${EXC_C14N}"></ds:Transform></ds:Transforms>` +
  `<ds:DigestMethod Algorithm="${SHA256_DIGEST}"></ds:DigestMethod>` +
  `<ds:DigestValue>${createHash('sha256').update(canonical).digest('base64')}</ds:DigestValue></ds:Reference>`;

/**
 * A SOAP 1.1 envelope around `bodyXml`, signed by the seal: a BinarySecurityToken with the
 * seal's certificate, a Timestamp, and one signature (exc-c14n) over the Body and the Timestamp.
 *
 * Only for envelopes we make ourselves: the Timestamp and the SignedInfo have a fixed structure
 * and are written directly in their canonical form (and sent in that form, so what a verifier
 * canonicalises is byte for byte what was signed); the Body is sent as its canonical form.
 * Requests from outside are verified by `verifyRequestSignature` with xml-crypto.
 */
export function signedEnvelope(bodyXml: string, seal: Seal, now: Date, ttlMs = 5 * 60_000): string {
  const suffix = randomUUID();
  const tokenId = `X509-${suffix}`;
  const timestampId = `TS-${suffix}`;
  const bodyId = `Body-${suffix}`;
  const expires = new Date(now.getTime() + ttlMs);
  const timestamp =
    `<wsu:Timestamp xmlns:wsu="${WSU_NS}" wsu:Id="${timestampId}"><wsu:Created>${now.toISOString()}</wsu:Created>` +
    `<wsu:Expires>${expires.toISOString()}</wsu:Expires></wsu:Timestamp>`;
  const body = canonicalBody(bodyId, bodyXml);
  const ec = seal.privateKey.asymmetricKeyType === 'ec';
  const signedInfo =
    `<ds:SignedInfo xmlns:ds="${DS_NS}"><ds:CanonicalizationMethod Algorithm="${EXC_C14N}"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="${ec ? ECDSA_SHA256 : RSA_SHA256}"></ds:SignatureMethod>` +
    `${reference(bodyId, body)}${reference(timestampId, timestamp)}</ds:SignedInfo>`;
  const signatureValue = cryptoSign(
    'sha256',
    Buffer.from(signedInfo, 'utf8'),
    ec ? { key: seal.privateKey, dsaEncoding: 'ieee-p1363' } : seal.privateKey,
  ).toString('base64');
  let token = tokenBase64.get(seal.certificateDer);
  if (token === undefined) {
    token = seal.certificateDer.toString('base64');
    tokenBase64.set(seal.certificateDer, token);
  }
  return (
    `<soapenv:Envelope xmlns:soapenv="${SOAP_NS}" xmlns:wsse="${WSSE_NS}" xmlns:wsu="${WSU_NS}">` +
    `<soapenv:Header><wsse:Security soapenv:mustUnderstand="1">` +
    `<wsse:BinarySecurityToken wsu:Id="${tokenId}" EncodingType="${BASE64_ENCODING}" ValueType="${X509_TOKEN}">${token}</wsse:BinarySecurityToken>` +
    `${timestamp}<ds:Signature xmlns:ds="${DS_NS}">${signedInfo}<ds:SignatureValue>${signatureValue}</ds:SignatureValue>` +
    `<ds:KeyInfo><wsse:SecurityTokenReference><wsse:Reference URI="#${tokenId}" ValueType="${X509_TOKEN}"/></wsse:SecurityTokenReference></ds:KeyInfo>` +
    `</ds:Signature></wsse:Security></soapenv:Header>${body}</soapenv:Envelope>`
  );
}
