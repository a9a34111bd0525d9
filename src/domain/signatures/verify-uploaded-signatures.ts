import { createHash, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { MessageKey, Params } from '../../i18n/index';
import { x509, xadesjs } from '../receipts/crypto-engine';
import { checkChain } from '../receipts/verify-receipt';
import { parseXmlSafely } from '../validation/index';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));

/**
 * Signatures found on what a sender files: XAdES/XMLDSig in XML, PAdES in PDF, CAdES in .p7s/.p7m.
 *
 * A signature is `valid` only when its cryptography holds AND its certificate chains to a
 * certification authority this installation trusts; `indeterminate` when the cryptography holds
 * but the signer cannot be confirmed (no trusted chain, or the signed content is not here);
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
  reasons: { key: MessageKey; params?: Params }[];
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
  trustedCaPems: string[],
  now: Date,
): Promise<SignatureReport> {
  const findings: SignatureFinding[] = [];
  for (const file of files) {
    if (!mayCarrySignature(file.formatId, file.bytes)) continue;
    if (file.formatId === 'cades') findings.push(await verifyCades(file, files, trustedCaPems, now));
    else if (file.formatId === 'pdf' || file.formatId === 'pades')
      findings.push(...(await verifyPades(file, trustedCaPems, now)));
    else findings.push(...(await verifyXades(file, trustedCaPems, now)));
  }
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

/** Chain status and the final verdict once the cryptography is known. */
async function conclude(
  finding: Omit<SignatureFinding, 'status' | 'chainTrusted'>,
  cert: x509.X509Certificate | undefined,
  cryptoHolds: boolean,
  trustedCaPems: string[],
  at: Date,
): Promise<SignatureFinding> {
  const reasons = [...finding.reasons];
  let chainTrusted = false;
  if (cert) {
    const chain = await checkChain(cert, trustedCaPems, at);
    chainTrusted = !chain.some(
      (r) => r.key === 'receipt.verify.chainUntrusted' || r.key === 'receipt.verify.issuerNotCa',
    );
    // Key usage suited to a seal is not required of a person's signature.
    reasons.push(...chain.filter((r) => r.key !== 'receipt.verify.notASealCertificate'));
  } else {
    reasons.push({ key: 'signature.noCertificate' });
  }
  if (!cryptoHolds) return { ...finding, reasons, chainTrusted, status: 'invalid' };
  const expired = reasons.some((r) => r.key === 'receipt.verify.certificateNotValidAtSigning');
  if (expired) return { ...finding, reasons, chainTrusted, status: 'invalid' };
  return {
    ...finding,
    reasons,
    chainTrusted,
    status: chainTrusted && reasons.length === 0 ? 'valid' : 'indeterminate',
  };
}

async function verifyXades(
  file: SignedCandidate,
  trustedCaPems: string[],
  now: Date,
): Promise<SignatureFinding[]> {
  let doc: Document;
  try {
    doc = parseXmlSafely(file.bytes.toString('utf8')) as unknown as Document;
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
        cryptoHolds = await signed.Verify();
        if (!cryptoHolds) reasons.push({ key: 'signature.cryptoFailed' });
      } catch {
        reasons.push({ key: 'signature.cryptoFailed' });
      }
    }
    const base = {
      file: file.name,
      kind: 'XAdES' as const,
      ...(cert ? { signer: describe(cert) } : {}),
      ...(signingTime ? { signingTime: signingTime.toISOString() } : {}),
      reasons,
    };
    const finding = await conclude(base, cert, cryptoHolds, trustedCaPems, signingTime ?? now);
    // Content that is not here leaves the signature undecided even when all else holds.
    if (finding.status === 'valid' && reasons.some((r) => r.key === 'signature.detachedContent'))
      finding.status = 'indeterminate';
    findings.push(finding);
  }
  return findings;
}

/** Parses a DER CMS SignedData and checks it over `content` (or its own encapsulated content). */
async function verifyCms(
  file: string,
  kind: 'PAdES' | 'CAdES',
  der: Buffer,
  content: Buffer | undefined,
  trustedCaPems: string[],
  now: Date,
): Promise<SignatureFinding> {
  const reasons: SignatureFinding['reasons'] = [];
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
    if (!cryptoHolds) reasons.push({ key: 'signature.cryptoFailed' });
  }
  const base = {
    file,
    kind,
    ...(cert ? { signer: describe(cert) } : {}),
    ...(signingTime ? { signingTime: signingTime.toISOString() } : {}),
    reasons,
  };
  const finding = await conclude(base, cert, cryptoHolds, trustedCaPems, signingTime ?? now);
  if (finding.status === 'valid' && !data) finding.status = 'indeterminate';
  return finding;
}

/** CAdES: .p7m carries its content; a .p7s signs the file of the same name without `.p7s`, if it came along. */
async function verifyCades(
  file: SignedCandidate,
  all: SignedCandidate[],
  trustedCaPems: string[],
  now: Date,
): Promise<SignatureFinding> {
  const detachedFor = file.name.toLowerCase().endsWith('.p7s') ? file.name.slice(0, -4) : undefined;
  const content = detachedFor ? all.find((f) => f.name === detachedFor)?.bytes : undefined;
  return verifyCms(file.name, 'CAdES', file.bytes, content, trustedCaPems, now);
}

/** PAdES: each signature dictionary's /ByteRange names the signed bytes, /Contents holds the CMS. */
async function verifyPades(
  file: SignedCandidate,
  trustedCaPems: string[],
  now: Date,
): Promise<SignatureFinding[]> {
  const text = file.bytes.toString('latin1');
  const findings: SignatureFinding[] = [];
  const byteRange = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  for (const match of text.matchAll(byteRange)) {
    const [a, b, c, d] = match.slice(1, 5).map(Number) as [number, number, number, number];
    const contents = /\/Contents\s*<([0-9A-Fa-f\s]+)>/.exec(
      text.slice(Math.max(0, (match.index ?? 0) - 20000), (match.index ?? 0) + 20000 + 1_000_000),
    );
    const outOfFile = a !== 0 || a + b > c || c + d !== file.bytes.length;
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
    findings.push(await verifyCms(file.name, 'PAdES', der, signedBytes, trustedCaPems, now));
  }
  return findings;
}

/** SHA-256 of bytes, hex: for the report of a detached content match. */
export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
