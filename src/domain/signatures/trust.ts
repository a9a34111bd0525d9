import * as asn1js from 'asn1js';
import type { MessageKey, Params } from '../../i18n/index';
import { x509 } from '../receipts/crypto-engine';
import type { RevocationData } from './revocation';

/**
 * The three kinds of signature KPA art. 63 §3a accepts, and the installation's own trusted
 * signature (made on this platform, chained to its own CA).
 */
export type TrustCategory = 'qualified' | 'trusted' | 'personal' | 'platform';

/** One status of a trust service from a trusted list, from `from` until the next one. */
export interface StatusPeriod {
  status: string;
  from: string;
}

/** A CA/QC service of a trusted list: its certificate and the history of its status. */
export interface QualifiedAnchor {
  certificatePem: string;
  serviceName: string;
  territory: string;
  /** Oldest first. */
  periods: StatusPeriod[];
}

export interface TrustAnchors {
  /** From the trusted lists (ETSI TS 119 612). */
  qualified: QualifiedAnchor[];
  /** pl.ID Root CA and Authorization CAs (the personal signature of the e-dowód). */
  personal: string[];
  /** The installation's own CAs (its receipts and the trusted signature made on the platform). */
  platform: string[];
  /** Organisation names (subject O) of the seals that make the trusted signature (podpis zaufany). */
  trustedSignatureSealOrganisations: string[];
  /** CRLs and OCSP responses supplied with the trust store, besides those the signatures carry. */
  revocation?: RevocationData;
}

export const QC_TYPE_ESIGN = '0.4.0.1862.1.6.1';
export const QC_TYPE_ESEAL = '0.4.0.1862.1.6.2';
const QC_STATEMENTS = '1.3.6.1.5.5.7.1.3';
const QC_COMPLIANCE = '0.4.0.1862.1.1';
const QC_TYPE = '0.4.0.1862.1.6';

/** Statuses under which a CA/QC service issued qualified certificates (granted; before eIDAS, accredited or supervised). */
const QUALIFYING_STATUSES = new Set([
  'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted',
  'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/accredited',
  'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/undersupervision',
]);

export type Reason = { key: MessageKey; params?: Params };

export interface QcInfo {
  compliance: boolean;
  /** QcType values; none given means e-signature (EN 319 412-5 §4.2.3). */
  types: string[];
}

/** Reads the QCStatements extension (EN 319 412-5); undefined when the certificate has none. */
export function readQcStatements(cert: x509.X509Certificate): QcInfo | undefined {
  const ext = cert.extensions.find((e) => e.type === QC_STATEMENTS);
  if (!ext) return undefined;
  const asn = asn1js.fromBER(ext.value);
  if (asn.offset === -1 || !(asn.result instanceof asn1js.Sequence)) return { compliance: false, types: [] };
  const info: QcInfo = { compliance: false, types: [] };
  for (const statement of asn.result.valueBlock.value) {
    if (!(statement instanceof asn1js.Sequence)) continue;
    const [id, value] = statement.valueBlock.value;
    if (!(id instanceof asn1js.ObjectIdentifier)) continue;
    const oid = id.valueBlock.toString();
    if (oid === QC_COMPLIANCE) info.compliance = true;
    if (oid === QC_TYPE && value instanceof asn1js.Sequence) {
      for (const type of value.valueBlock.value)
        if (type instanceof asn1js.ObjectIdentifier) info.types.push(type.valueBlock.toString());
    }
  }
  return info;
}

export function hasNonRepudiation(cert: x509.X509Certificate): boolean {
  const usage = cert.getExtension(x509.KeyUsagesExtension);
  return !!usage && (usage.usages & x509.KeyUsageFlags.nonRepudiation) !== 0;
}

/** The status of a service at `at`, by its history. */
export function statusAt(periods: StatusPeriod[], at: Date): string | undefined {
  let current: string | undefined;
  for (const p of [...periods].sort((a, b) => Date.parse(a.from) - Date.parse(b.from))) {
    if (Date.parse(p.from) <= at.getTime()) current = p.status;
  }
  return current;
}

export const isQualifyingStatus = (status: string | undefined): boolean =>
  !!status && QUALIFYING_STATUSES.has(status);

interface Anchor {
  cert: x509.X509Certificate;
  kind: 'qualified' | 'personal' | 'platform';
  qualified?: QualifiedAnchor;
}

export interface ChainResult {
  anchor?: Anchor;
  /** The certificate that issued the signer's (a carried one or the anchor), for revocation. */
  issuer?: x509.X509Certificate;
  /** Every certificate below the anchor with its issuer, signer first (revocation of the CAs too). */
  links?: { certificate: x509.X509Certificate; issuer: x509.X509Certificate }[];
  reasons: Reason[];
}

function anchorsOf(trust: TrustAnchors): Anchor[] {
  const out: Anchor[] = [];
  const add = (pem: string, kind: Anchor['kind'], qualified?: QualifiedAnchor) => {
    try {
      out.push({ cert: new x509.X509Certificate(pem), kind, ...(qualified ? { qualified } : {}) });
    } catch {
      // A damaged anchor anchors nothing; the loader refuses such lists in the first place.
    }
  };
  for (const q of trust.qualified) add(q.certificatePem, 'qualified', q);
  for (const pem of trust.personal) add(pem, 'personal');
  for (const pem of trust.platform) add(pem, 'platform');
  return out;
}

const signedBy = (cert: x509.X509Certificate, issuer: x509.X509Certificate) =>
  cert.issuerName.toString() === issuer.subjectName.toString() &&
  cert.verify({ publicKey: issuer.publicKey, signatureOnly: true }).catch(() => false);

/**
 * Builds the chain from the signer through the certificates the signature carries to an anchor,
 * every certificate valid at the signing time and every issuer a CA. The first anchor reached
 * decides the category; an anchor of a trusted list may be an issuing CA, not a root.
 */
export async function chainToAnchor(
  signer: x509.X509Certificate,
  carried: x509.X509Certificate[],
  trust: TrustAnchors,
  at: Date,
): Promise<ChainResult> {
  const anchors = anchorsOf(trust);
  const reasons: Reason[] = [];
  const validAt = (cert: x509.X509Certificate) => {
    if (cert.notBefore.getTime() > at.getTime() || cert.notAfter.getTime() < at.getTime())
      reasons.push({
        key: 'signature.notValidAtSigning',
        params: { subject: cert.subject, signingTime: at.toISOString() },
      });
  };
  validAt(signer);
  let current = signer;
  let issuer: x509.X509Certificate | undefined;
  const links: NonNullable<ChainResult['links']> = [];
  for (let depth = 0; depth < 8; depth++) {
    for (const anchor of anchors) {
      if (anchor.cert.equal(current) || (await signedBy(current, anchor.cert))) {
        if (!anchor.cert.equal(current)) {
          validAt(anchor.cert);
          links.push({ certificate: current, issuer: anchor.cert });
        }
        issuer ??= anchor.cert.equal(current) ? undefined : anchor.cert;
        return { anchor, ...(issuer ? { issuer } : {}), links, reasons };
      }
    }
    let next: x509.X509Certificate | undefined;
    for (const candidate of carried) {
      if (candidate.equal(current)) continue;
      if (await signedBy(current, candidate)) {
        next = candidate;
        break;
      }
    }
    if (!next) break;
    const constraints = next.getExtension(x509.BasicConstraintsExtension);
    if (!constraints?.ca) {
      reasons.push({ key: 'signature.issuerNotCa', params: { subject: next.subject } });
      return { reasons };
    }
    validAt(next);
    issuer ??= next;
    links.push({ certificate: current, issuer: next });
    current = next;
  }
  reasons.push({ key: 'signature.chainUntrusted', params: { subject: signer.subject } });
  return { reasons };
}

/** A natural person named by a signature: from the certificate or from the trusted-signature data. */
export interface Person {
  firstName?: string;
  familyName?: string;
  dateOfBirth?: string;
  pesel?: string;
}

const attr = (cert: x509.X509Certificate, oid: string): string | undefined =>
  cert.subjectName.getField(oid)[0];

/** Given name, surname and the PESEL of a `PNOPL-` serialNumber (EN 319 412-1 §5.1.3) in a certificate. */
export function personOfCertificate(cert: x509.X509Certificate): Person {
  const serial = attr(cert, '2.5.4.5');
  const pesel = serial && /^PNOPL-(\d{11})$/.exec(serial)?.[1];
  const firstName = attr(cert, '2.5.4.42');
  const familyName = attr(cert, '2.5.4.4');
  return {
    ...(firstName ? { firstName } : {}),
    ...(familyName ? { familyName } : {}),
    ...(pesel ? { pesel } : {}),
  };
}

export const organisationOf = (cert: x509.X509Certificate): string | undefined => attr(cert, '2.5.4.10');

export interface Classification {
  category?: TrustCategory;
  reasons: Reason[];
}

/**
 * What the chain and the certificate make of a signature: qualified (trusted list, service
 * granted at the signing time, QcCompliance, QcType e-signature, nonRepudiation), trusted (a
 * qualified seal of the trusted-signature issuer, with the person in the signed data), personal
 * (pl.ID, nonRepudiation) or the platform's own; otherwise no category and the reasons why.
 */
export function classify(
  signer: x509.X509Certificate,
  chain: ChainResult,
  trust: TrustAnchors,
  at: Date,
  hasTrustedSignatureData: boolean,
): Classification {
  const reasons: Reason[] = [];
  const anchor = chain.anchor;
  if (!anchor) return { reasons };
  if (anchor.kind === 'platform') return { category: 'platform', reasons };
  if (anchor.kind === 'personal') {
    if (!hasNonRepudiation(signer))
      return { reasons: [{ key: 'signature.noNonRepudiation', params: { subject: signer.subject } }] };
    return { category: 'personal', reasons };
  }
  const q = anchor.qualified!;
  const status = statusAt(q.periods, at);
  if (!isQualifyingStatus(status))
    reasons.push({
      key: 'signature.serviceNotGranted',
      params: { service: q.serviceName, signingTime: at.toISOString(), status: status ?? '—' },
    });
  const qc = readQcStatements(signer);
  if (!qc?.compliance)
    reasons.push({ key: 'signature.notQualifiedCertificate', params: { subject: signer.subject } });
  const types = qc?.types.length ? qc.types : [QC_TYPE_ESIGN];
  if (!hasNonRepudiation(signer))
    reasons.push({ key: 'signature.noNonRepudiation', params: { subject: signer.subject } });
  if (reasons.length > 0) return { reasons };
  if (types.includes(QC_TYPE_ESIGN)) return { category: 'qualified', reasons };
  const organisation = organisationOf(signer);
  if (
    types.includes(QC_TYPE_ESEAL) &&
    organisation !== undefined &&
    trust.trustedSignatureSealOrganisations.includes(organisation)
  ) {
    if (hasTrustedSignatureData) return { category: 'trusted', reasons };
    return { reasons: [{ key: 'signature.trustedWithoutPerson' }] };
  }
  // A qualified seal of any other organisation is not a person's signature.
  return { reasons: [{ key: 'signature.sealNotPerson', params: { subject: signer.subject } }] };
}
