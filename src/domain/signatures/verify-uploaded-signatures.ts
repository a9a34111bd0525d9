import { createHash, createPublicKey, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { MessageKey, Params } from '../../i18n/index';
import { x509, xadesjs } from '../receipts/crypto-engine';
import '../receipts/verify-receipt'; // registers xmldom with xadesjs
import { readUntrustedXml } from '../xml/read-untrusted';
import { checkUpdateAfterSignature } from './pdf-update';
import { HASH_BY_OID, RSA_PKCS1_XML, verifyRsaPkcs1 } from './raw-rsa';
import {
  noRevocationData,
  revocationInCms,
  revocationStatus,
  type RevocationData,
  type RevocationResult,
} from './revocation';
import {
  chainToAnchor,
  classify,
  organisationOf,
  personOfCertificate,
  type Person,
  type TrustAnchors,
  type TrustCategory,
} from './trust';
import { exclusiveC14n } from '../receipts/exclusive-c14n';
import {
  timestampTokensInCms,
  verifyTimestampToken,
  xadesTimestampInput,
  type TimestampResult,
} from './timestamp';
import {
  decodePdfString,
  trustedSignaturePersonReason,
  trustedSignaturePersonXml,
} from './trusted-signature-data';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));

/**
 * Signatures found on what a sender files: XAdES/XMLDSig in XML, PAdES in PDF, CAdES in .p7s/.p7m.
 *
 * A signature is `valid` only when its cryptography holds AND it is one of the signatures the law
 * accepts (`category`: qualified, trusted, personal, or the platform's own trusted signature);
 * `indeterminate` when the cryptography holds but the signer cannot be confirmed (no trusted
 * chain, a certificate of no accepted kind, or the signed content is not here);
 * `invalid` when anything that was checked fails. It is never shown as valid when it is not,
 * and an invalid signature does not stop a filing: the office decides.
 */
export type SignatureStatus = 'none' | 'valid' | 'invalid' | 'indeterminate';

export interface SignatureFinding {
  file: string;
  kind: 'XAdES' | 'PAdES' | 'CAdES';
  status: Exclude<SignatureStatus, 'none'>;
  signer?: { subject: string; issuer: string; serialNumber: string; notBefore: string; notAfter: string };
  signingTime?: string;
  chainTrusted: boolean;
  /** Which signature the law accepts this is; absent when it is none of them. */
  category?: TrustCategory;
  /** The natural person who signed: from the certificate, or from the trusted-signature data. */
  person?: Person;
  /** Whether the signer's PESEL is the one of the sender's account; absent when either is unknown. */
  peselMatch?: boolean;
  /** For a trusted signature: the organisation whose seal made it (subject O of the seal). */
  sealOrganisation?: string;
  /** Revocation of the signer's certificate at the signing time (CRL/OCSP); absent for the platform's own. */
  revocation?: RevocationResult;
  /** The signature time-stamp (RFC 3161); when valid, its time is the signing time everything is judged at. */
  timestamp?: TimestampResult;
  reasons: { key: MessageKey; params?: Params }[];
}

/** Accepts the older form (a list of trusted CA certificates) as the platform's own anchors. */
export type TrustInput = TrustAnchors | string[];
const anchorsOf = (trust: TrustInput): TrustAnchors =>
  Array.isArray(trust)
    ? { qualified: [], personal: [], platform: trust, trustedSignatureSealOrganisations: [] }
    : trust;

/** Fetches revocation data for a certificate from where it says (only when the installation allows it). */
export type FetchRevocation = (
  certificate: x509.X509Certificate,
  issuer: x509.X509Certificate,
) => Promise<RevocationData>;

export interface VerifyOptions {
  /** The PESEL of the sender's account, when it is known. */
  senderPesel?: string;
  /** Asked only when neither the signature nor the trust store holds data for the signing time. */
  fetchRevocation?: FetchRevocation;
}

interface Context {
  trust: TrustAnchors;
  fetchRevocation?: FetchRevocation;
}

export interface SignatureReport {
  status: SignatureStatus;
  findings: SignatureFinding[];
}

export interface SignedCandidate {
  name: string;
  formatId: string;
  bytes: Buffer;
}

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const XADES = 'http://uri.etsi.org/01903/v1.3.2#';

/** Which files may carry a signature, by format and a cheap look at the bytes. */
export function mayCarrySignature(formatId: string, head: Buffer): boolean {
  if (['cades'].includes(formatId)) return true;
  if (['pdf', 'pades'].includes(formatId)) return head.includes('/ByteRange');
  if (['xml', 'xades'].includes(formatId)) return head.includes(DSIG);
  return false;
}

export async function verifyUploadedSignatures(
  files: SignedCandidate[],
  trust: TrustInput,
  now: Date,
  options: VerifyOptions = {},
): Promise<SignatureReport> {
  const ctx: Context = {
    trust: anchorsOf(trust),
    ...(options.fetchRevocation ? { fetchRevocation: options.fetchRevocation } : {}),
  };
  const findings: SignatureFinding[] = [];
  for (const file of files) {
    if (!mayCarrySignature(file.formatId, file.bytes)) continue;
    if (file.formatId === 'cades') findings.push(await verifyCades(file, files, ctx, now));
    else if (file.formatId === 'pdf' || file.formatId === 'pades')
      findings.push(...(await verifyPades(file, ctx, now)));
    else findings.push(...(await verifyXades(file, ctx, now)));
  }
  if (options.senderPesel)
    for (const f of findings) if (f.person?.pesel) f.peselMatch = f.person.pesel === options.senderPesel;
  return { status: overall(findings), findings };
}

function overall(findings: SignatureFinding[]): SignatureStatus {
  if (findings.length === 0) return 'none';
  if (findings.some((f) => f.status === 'invalid')) return 'invalid';
  if (findings.some((f) => f.status === 'indeterminate')) return 'indeterminate';
  return 'valid';
}

function describe(cert: x509.X509Certificate): NonNullable<SignatureFinding['signer']> {
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    serialNumber: cert.serialNumber,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
  };
}

/** Reasons that make a signature invalid rather than undecided. */
const INVALIDATING = new Set<MessageKey>([
  'signature.notValidAtSigning',
  'signature.issuerNotCa',
  'signature.serviceNotGranted',
  'signature.noNonRepudiation',
  'signature.revoked',
  'signature.updateAfterSigning',
]);

/** Reasons the clerk should see that leave a valid signature valid. */
const NOTES = new Set<MessageKey>(['signature.revokedAfterSigning']);

/**
 * Revocation from what the signature carries and the trust store supplies; fetched only when
 * neither speaks for the signing time and the installation allows fetching.
 */
async function checkRevocation(
  cert: x509.X509Certificate,
  issuer: x509.X509Certificate,
  embedded: RevocationData,
  ctx: Context,
  at: Date,
): Promise<RevocationResult> {
  const supplied = ctx.trust.revocation ?? noRevocationData();
  const offline = {
    crls: [...embedded.crls, ...supplied.crls],
    ocspResponses: [...embedded.ocspResponses, ...supplied.ocspResponses],
  };
  const result = await revocationStatus(cert, issuer, offline, at);
  if (result.status !== 'notChecked' || !ctx.fetchRevocation) return result;
  let fetched: RevocationData;
  try {
    fetched = await ctx.fetchRevocation(cert, issuer);
  } catch {
    return result;
  }
  return revocationStatus(cert, issuer, fetched, at);
}

/** Chain, category and the final verdict once the cryptography is known. */
async function conclude(
  finding: Omit<SignatureFinding, 'status' | 'chainTrusted'>,
  cert: x509.X509Certificate | undefined,
  carried: x509.X509Certificate[],
  cryptoHolds: boolean,
  ctx: Context,
  at: Date,
  trustedPerson: Person | undefined,
  embedded: RevocationData,
): Promise<SignatureFinding> {
  const trust = ctx.trust;
  const reasons = [...finding.reasons];
  let chainTrusted = false;
  let category: TrustCategory | undefined;
  let person: Person | undefined;
  let revocation: RevocationResult | undefined;
  if (cert) {
    let chain;
    try {
      chain = await chainToAnchor(cert, carried, trust, at);
    } catch {
      chain = { reasons: [{ key: 'signature.badCertificate' as MessageKey }] };
    }
    chainTrusted = !!chain.anchor;
    reasons.push(...chain.reasons);
    const classification = classify(cert, chain, trust, at, !!trustedPerson);
    reasons.push(...classification.reasons);
    category = classification.category;
    person = category === 'trusted' ? trustedPerson : personOfCertificate(cert);
    if (category === 'platform' && trustedPerson) person = trustedPerson;
    if (chain.anchor && chain.anchor.kind !== 'platform' && chain.issuer) {
      revocation = await checkRevocation(cert, chain.issuer, embedded, ctx, at);
      if (revocation.status === 'revoked')
        reasons.push({
          key:
            Date.parse(revocation.revokedAt) <= at.getTime()
              ? 'signature.revoked'
              : 'signature.revokedAfterSigning',
          params: { subject: cert.subject, revokedAt: revocation.revokedAt, signingTime: at.toISOString() },
        });
      if (revocation.status === 'unknown')
        reasons.push({ key: 'signature.revocationUnknown', params: { subject: cert.subject } });
      // The CAs between the signer and the anchor: only what is revoked or unknown is reported.
      for (const link of (chain.links ?? []).slice(1)) {
        const status = await checkRevocation(link.certificate, link.issuer, embedded, ctx, at);
        if (status.status === 'revoked')
          reasons.push({
            key:
              Date.parse(status.revokedAt) <= at.getTime()
                ? 'signature.revoked'
                : 'signature.revokedAfterSigning',
            params: {
              subject: link.certificate.subject,
              revokedAt: status.revokedAt,
              signingTime: at.toISOString(),
            },
          });
        if (status.status === 'unknown')
          reasons.push({ key: 'signature.revocationUnknown', params: { subject: link.certificate.subject } });
      }
    }
  } else {
    reasons.push({ key: 'signature.noCertificate' });
  }
  const extra = {
    ...(category ? { category } : {}),
    ...(person && Object.keys(person).length > 0 ? { person } : {}),
    ...(revocation ? { revocation } : {}),
    ...(category === 'trusted' && cert && organisationOf(cert)
      ? { sealOrganisation: organisationOf(cert)! }
      : {}),
  };
  if (!cryptoHolds) return { ...finding, ...extra, reasons, chainTrusted, status: 'invalid' };
  if (reasons.some((r) => INVALIDATING.has(r.key)))
    return { ...finding, ...extra, reasons, chainTrusted, status: 'invalid' };
  return {
    ...finding,
    ...extra,
    reasons,
    chainTrusted,
    status: chainTrusted && category && reasons.every((r) => NOTES.has(r.key)) ? 'valid' : 'indeterminate',
  };
}

const base64Of = (element: Element, ns: string, name: string): Buffer<ArrayBuffer>[] =>
  Array.from(element.getElementsByTagNameNS(ns, name))
    .map((node) => Buffer.from((node.textContent ?? '').replace(/\s+/g, ''), 'base64') as Buffer<ArrayBuffer>)
    .filter((b) => b.length > 0);

/** The certificates a signature carries: KeyInfo and XAdES CertificateValues. */
const certificatesIn = (element: Element): x509.X509Certificate[] =>
  [
    ...base64Of(element, DSIG, 'X509Certificate'),
    ...base64Of(element, XADES, 'EncapsulatedX509Certificate'),
  ].flatMap((der) => {
    try {
      return [new x509.X509Certificate(der)];
    } catch {
      return [];
    }
  });

/** XAdES RevocationValues: EncapsulatedCRLValue and EncapsulatedOCSPValue (DER, base64). */
const revocationInXml = (element: Element): RevocationData => ({
  crls: base64Of(element, XADES, 'EncapsulatedCRLValue'),
  ocspResponses: base64Of(element, XADES, 'EncapsulatedOCSPValue'),
});

/**
 * XML-DSig with RSA PKCS#1 v1.5 whose DigestInfo omits the NULL parameters: the references are
 * checked by xadesjs, the signature value by the raw RSA operation.
 */
async function verifyXmlRawRsa(
  doc: Document,
  element: Element,
  cert: x509.X509Certificate,
): Promise<boolean> {
  const method = element.getElementsByTagNameNS(DSIG, 'SignatureMethod')[0]?.getAttribute('Algorithm') ?? '';
  const hash = RSA_PKCS1_XML[method];
  const value = element.getElementsByTagNameNS(DSIG, 'SignatureValue')[0]?.textContent;
  if (!hash || !value) return false;
  // A fresh instance: a failed Verify leaves its transforms in a used state.
  const signed = new xadesjs.SignedXml(doc);
  signed.LoadXml(element as unknown as Element);
  const internal = signed as unknown as {
    ValidateReferences(content: Node): Promise<boolean>;
    TransformSignedInfo(doc: Document): string;
  };
  try {
    if (!(await internal.ValidateReferences(doc.documentElement.cloneNode(true)))) return false;
    const canonical = internal.TransformSignedInfo(doc);
    const digest = createHash(hash).update(canonical, 'utf8').digest();
    const key = createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' });
    return verifyRsaPkcs1(key, hash, digest, Buffer.from(value.replace(/\s+/g, ''), 'base64'));
  } catch {
    return false;
  }
}

async function verifyXades(file: SignedCandidate, ctx: Context, now: Date): Promise<SignatureFinding[]> {
  let doc: Document;
  try {
    doc = readUntrustedXml(file.bytes.toString('utf8')) as unknown as Document;
  } catch {
    return [
      {
        file: file.name,
        kind: 'XAdES',
        status: 'invalid',
        chainTrusted: false,
        reasons: [{ key: 'signature.unreadable' }],
      },
    ];
  }
  const signatures = Array.from(doc.getElementsByTagNameNS(DSIG, 'Signature'));
  const findings: SignatureFinding[] = [];
  for (const element of signatures) {
    const reasons: SignatureFinding['reasons'] = [];
    let cert: x509.X509Certificate | undefined;
    const certText = element
      .getElementsByTagNameNS(DSIG, 'X509Certificate')[0]
      ?.textContent?.replace(/\s+/g, '');
    if (certText) {
      try {
        cert = new x509.X509Certificate(Buffer.from(certText, 'base64'));
      } catch {
        reasons.push({ key: 'signature.badCertificate' });
      }
    }
    const timeText = element.getElementsByTagNameNS(XADES, 'SigningTime')[0]?.textContent?.trim();
    const signingTime = timeText && !Number.isNaN(Date.parse(timeText)) ? new Date(timeText) : undefined;
    const references = Array.from(element.getElementsByTagNameNS(DSIG, 'Reference')).map(
      (r) => r.getAttribute('URI') ?? '',
    );
    let cryptoHolds = false;
    if (references.some((uri) => uri !== '' && !uri.startsWith('#'))) {
      // Detached content cannot be checked here: say so, never guess.
      reasons.push({ key: 'signature.detachedContent' });
      cryptoHolds = true;
    } else {
      try {
        const signed = new xadesjs.SignedXml(doc);
        signed.LoadXml(element as unknown as Element);
        cryptoHolds = await signed.Verify().catch(() => false);
        if (!cryptoHolds && cert) cryptoHolds = await verifyXmlRawRsa(doc, element, cert);
        if (!cryptoHolds) reasons.push({ key: 'signature.cryptoFailed' });
      } catch {
        reasons.push({ key: 'signature.cryptoFailed' });
      }
    }
    const base: Omit<SignatureFinding, 'status' | 'chainTrusted'> = {
      file: file.name,
      kind: 'XAdES' as const,
      ...(cert ? { signer: describe(cert) } : {}),
      ...(signingTime ? { signingTime: signingTime.toISOString() } : {}),
      reasons,
    };
    const stamped = await xadesTimestamps(element, ctx);
    if (stamped) {
      base.timestamp = stamped.result;
      reasons.push(...stamped.reasons);
    }
    const finding = await conclude(
      base,
      cert,
      certificatesIn(element),
      cryptoHolds,
      ctx,
      stamped?.result.status === 'valid' ? new Date(stamped.result.time) : (signingTime ?? now),
      trustedSignaturePersonXml(doc, element),
      revocationInXml(element),
    );
    // Content that is not here leaves the signature undecided even when all else holds.
    if (finding.status === 'valid' && reasons.some((r) => r.key === 'signature.detachedContent'))
      finding.status = 'indeterminate';
    findings.push(finding);
  }
  return findings;
}

/** XAdES SignatureTimeStamp: tokens over the canonical ds:SignatureValue of this signature. */
async function xadesTimestamps(
  element: Element,
  ctx: Context,
): Promise<Awaited<ReturnType<typeof verifyTimestampToken>> | undefined> {
  const stamps = Array.from(element.getElementsByTagNameNS(XADES, 'SignatureTimeStamp'));
  if (stamps.length === 0) return undefined;
  const value = Array.from(element.getElementsByTagNameNS(DSIG, 'SignatureValue')).find(
    (v) => v.parentNode === element,
  );
  const checks = [];
  for (const stamp of stamps) {
    const token = base64Of(stamp, XADES, 'EncapsulatedTimeStamp')[0];
    const algorithm =
      stamp.getElementsByTagNameNS(DSIG, 'CanonicalizationMethod')[0]?.getAttribute('Algorithm') ?? undefined;
    const covered = value
      ? xadesTimestampInput(value, algorithm, (e) => exclusiveC14n(e as never))
      : undefined;
    checks.push(
      token && covered
        ? await verifyTimestampToken(token, covered, ctx.trust)
        : {
            result: { status: 'invalid' as const },
            reasons: [{ key: 'signature.timestampUnreadable' as MessageKey }],
          },
    );
  }
  return pickTimestamp(checks);
}

/** Parses a DER CMS SignedData and checks it over `content` (or its own encapsulated content). */
async function verifyCms(
  file: string,
  kind: 'PAdES' | 'CAdES',
  der: Buffer,
  content: Buffer | undefined,
  ctx: Context,
  now: Date,
  trustedPerson?: Person,
  /** What a PDF adds: reasons found in its structure, and its document security store. */
  pdf?: { reasons: SignatureFinding['reasons']; certificates: Buffer[]; revocation: RevocationData },
): Promise<SignatureFinding> {
  const reasons: SignatureFinding['reasons'] = [...(pdf?.reasons ?? [])];
  let signed: pkijs.SignedData;
  try {
    const asn = asn1js.fromBER(new Uint8Array(der));
    if (asn.offset === -1) throw new Error('not DER');
    const info = new pkijs.ContentInfo({ schema: asn.result });
    if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error('not SignedData');
    signed = new pkijs.SignedData({ schema: info.content });
  } catch {
    return { file, kind, status: 'invalid', chainTrusted: false, reasons: [{ key: 'signature.unreadable' }] };
  }
  const signerInfo = signed.signerInfos[0];
  const certificates = (signed.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
  );
  let signerCert: pkijs.Certificate | undefined;
  if (signerInfo?.sid instanceof pkijs.IssuerAndSerialNumber) {
    const sid = signerInfo.sid;
    signerCert = certificates.find(
      (c) => c.serialNumber.isEqual(sid.serialNumber) && c.issuer.isEqual(sid.issuer),
    );
  }
  signerCert ??= certificates[0];
  const cert = signerCert
    ? new x509.X509Certificate(Buffer.from(signerCert.toSchema().toBER(false)))
    : undefined;
  const timeAttr = signerInfo?.signedAttrs?.attributes.find((a) => a.type === '1.2.840.113549.1.9.5');
  const timeValue = timeAttr?.values[0] as { toDate?: () => Date } | undefined;
  const signingTime = timeValue?.toDate?.();

  const data =
    content ??
    (signed.encapContentInfo.eContent ? Buffer.from(signed.encapContentInfo.eContent.getValue()) : undefined);
  let cryptoHolds = false;
  if (!data) {
    reasons.push({ key: 'signature.detachedContent' });
    cryptoHolds = true;
  } else {
    try {
      const result = await signed.verify({
        signer: 0,
        data: new Uint8Array(data).buffer as ArrayBuffer,
        checkChain: false,
        extendedMode: true,
      });
      cryptoHolds = result.signatureVerified === true;
    } catch {
      cryptoHolds = false;
    }
    if (!cryptoHolds && signerInfo && cert) cryptoHolds = cmsRawRsa(signerInfo, cert, data);
    if (!cryptoHolds) reasons.push({ key: 'signature.cryptoFailed' });
  }
  const base: Omit<SignatureFinding, 'status' | 'chainTrusted'> = {
    file,
    kind,
    ...(cert ? { signer: describe(cert) } : {}),
    ...(signingTime ? { signingTime: signingTime.toISOString() } : {}),
    reasons,
  };
  const carried = [
    ...certificates.map((c) => new x509.X509Certificate(Buffer.from(c.toSchema().toBER(false)))),
    ...(pdf?.certificates ?? []).flatMap((der) => {
      try {
        return [new x509.X509Certificate(der as Buffer<ArrayBuffer>)];
      } catch {
        return [];
      }
    }),
  ];
  const stamped = signerInfo
    ? await timestamped(
        timestampTokensInCms(signerInfo),
        Buffer.from(signerInfo.signature.valueBlock.valueHexView),
        ctx,
      )
    : undefined;
  if (stamped) {
    base.timestamp = stamped.result;
    reasons.push(...stamped.reasons);
  }
  const finding = await conclude(
    base,
    cert,
    carried,
    cryptoHolds,
    ctx,
    stamped?.result.status === 'valid' ? new Date(stamped.result.time) : (signingTime ?? now),
    trustedPerson,
    mergeRevocation(revocationInCms(signed), pdf?.revocation),
  );
  if (finding.status === 'valid' && !data) finding.status = 'indeterminate';
  return finding;
}

const mergeRevocation = (a: RevocationData, b: RevocationData | undefined): RevocationData =>
  b ? { crls: [...a.crls, ...b.crls], ocspResponses: [...a.ocspResponses, ...b.ocspResponses] } : a;

/**
 * The signature time-stamps over one signature value: the earliest valid one decides the signing
 * time; when none is valid, the first is reported with why.
 */
async function timestamped(
  tokens: Buffer[],
  covered: Buffer,
  ctx: Context,
): Promise<Awaited<ReturnType<typeof verifyTimestampToken>> | undefined> {
  if (tokens.length === 0) return undefined;
  const checks = [];
  for (const token of tokens) checks.push(await verifyTimestampToken(token, covered, ctx.trust));
  return pickTimestamp(checks);
}

function pickTimestamp(
  checks: Awaited<ReturnType<typeof verifyTimestampToken>>[],
): Awaited<ReturnType<typeof verifyTimestampToken>> | undefined {
  const valid = checks
    .filter((c) => c.result.status === 'valid')
    .sort((a, b) => Date.parse(a.result.time!) - Date.parse(b.result.time!));
  return valid[0] ?? checks[0];
}

/**
 * CMS with RSA PKCS#1 v1.5 whose DigestInfo omits the NULL parameters: the messageDigest
 * attribute against the content, the signature over the signed attributes by raw RSA.
 */
function cmsRawRsa(signerInfo: pkijs.SignerInfo, cert: x509.X509Certificate, data: Buffer): boolean {
  const hash = HASH_BY_OID[signerInfo.digestAlgorithm.algorithmId];
  const attrs = signerInfo.signedAttrs;
  if (!hash || !attrs) return false;
  const digestAttr = attrs.attributes.find((a) => a.type === '1.2.840.113549.1.9.4')?.values[0];
  if (!(digestAttr instanceof asn1js.OctetString)) return false;
  if (!Buffer.from(digestAttr.valueBlock.valueHexView).equals(createHash(hash).update(data).digest()))
    return false;
  try {
    const key = createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' });
    const signedAttrs = Buffer.from(attrs.encodedValue);
    return verifyRsaPkcs1(
      key,
      hash,
      createHash(hash).update(signedAttrs).digest(),
      Buffer.from(signerInfo.signature.valueBlock.valueHexView),
    );
  } catch {
    return false;
  }
}

/** CAdES: .p7m carries its content; a .p7s signs the file of the same name without `.p7s`, if it came along. */
async function verifyCades(
  file: SignedCandidate,
  all: SignedCandidate[],
  ctx: Context,
  now: Date,
): Promise<SignatureFinding> {
  const detachedFor = file.name.toLowerCase().endsWith('.p7s') ? file.name.slice(0, -4) : undefined;
  const content = detachedFor ? all.find((f) => f.name === detachedFor)?.bytes : undefined;
  return verifyCms(file.name, 'CAdES', file.bytes, content, ctx, now);
}

/** PAdES: each signature dictionary's /ByteRange names the signed bytes, /Contents holds the CMS. */
async function verifyPades(file: SignedCandidate, ctx: Context, now: Date): Promise<SignatureFinding[]> {
  const text = file.bytes.toString('latin1');
  const findings: SignatureFinding[] = [];
  const byteRange = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  for (const match of text.matchAll(byteRange)) {
    const [a, b, c, d] = match.slice(1, 5).map(Number) as [number, number, number, number];
    const contents = /\/Contents\s*<([0-9A-Fa-f\s]+)>/.exec(
      text.slice(Math.max(0, (match.index ?? 0) - 20000), (match.index ?? 0) + 20000 + 1_000_000),
    );
    const outOfFile = a !== 0 || a + b > c || c + d > file.bytes.length;
    if (!contents?.[1] || outOfFile) {
      findings.push({
        file: file.name,
        kind: 'PAdES',
        status: 'invalid',
        chainTrusted: false,
        reasons: [{ key: outOfFile ? 'signature.byteRange' : 'signature.unreadable' }],
      });
      continue;
    }
    const der = Buffer.from(contents[1].replace(/\s+/g, ''), 'hex');
    const signedBytes = Buffer.concat([file.bytes.subarray(a, a + b), file.bytes.subarray(c, c + d)]);
    // The signature dictionary (all but /Contents) lies within the signed bytes, its /Reason too.
    const dictionary = text.slice(Math.max(0, (match.index ?? 0) - 4000), (match.index ?? 0) + 4000);
    const reason = /\/Reason\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)/.exec(dictionary)?.[1];
    const person = reason ? trustedSignaturePersonReason(decodePdfString(reason)) : undefined;
    // After the signed bytes only a document security store (PAdES-LT) may follow.
    const update = checkUpdateAfterSignature(file.bytes, c + d);
    const pdf = update.ok
      ? {
          reasons: [],
          certificates: update.dss.certificates,
          revocation: { crls: update.dss.crls, ocspResponses: update.dss.ocspResponses },
        }
      : {
          reasons: [{ key: 'signature.updateAfterSigning' as MessageKey, params: { change: update.change } }],
          certificates: [],
          revocation: noRevocationData(),
        };
    findings.push(await verifyCms(file.name, 'PAdES', der, signedBytes, ctx, now, person, pdf));
  }
  return findings;
}

/** SHA-256 of bytes, hex: for the report of a detached content match. */
export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
