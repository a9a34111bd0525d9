import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { x509 } from '../receipts/crypto-engine';

/**
 * Revocation of a signer's certificate from CRLs and OCSP responses (RFC 5280, RFC 6960) that
 * come with the signature, are supplied with the trust store, or (when the installation allows
 * it) are fetched. Each piece of data counts only when it is signed by the certificate's issuer
 * (or, for OCSP, by a responder the issuer delegated to with id-kp-OCSPSigning).
 */
export interface RevocationData {
  /** DER CRLs. */
  crls: Buffer[];
  /** DER OCSPResponse. */
  ocspResponses: Buffer[];
}

export const noRevocationData = (): RevocationData => ({ crls: [], ocspResponses: [] });

export type RevocationResult =
  | { status: 'good'; source: 'CRL' | 'OCSP'; issuedAt: string }
  | { status: 'revoked'; source: 'CRL' | 'OCSP'; revokedAt: string }
  /** The OCSP responder does not know the certificate. */
  | { status: 'unknown'; source: 'OCSP' }
  /** No data of the issuer that speaks for the signing time. */
  | { status: 'notChecked' };

const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
const OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
const toPkijs = (cert: x509.X509Certificate) => pkijs.Certificate.fromBER(new Uint8Array(cert.rawData));

interface Verdict {
  status: 'good' | 'revoked' | 'unknown';
  source: 'CRL' | 'OCSP';
  /** When the data was issued (CRL thisUpdate, OCSP thisUpdate). */
  issuedAt: Date;
  revokedAt?: Date;
}

async function fromCrl(
  der: Buffer,
  cert: pkijs.Certificate,
  issuer: pkijs.Certificate,
): Promise<Verdict | undefined> {
  let crl: pkijs.CertificateRevocationList;
  try {
    crl = pkijs.CertificateRevocationList.fromBER(new Uint8Array(der));
  } catch {
    return undefined;
  }
  if (!crl.issuer.isEqual(cert.issuer)) return undefined;
  const signed = await crl.verify({ issuerCertificate: issuer }).catch(() => false);
  if (!signed) return undefined;
  const entry = crl.revokedCertificates?.find((r) => r.userCertificate.isEqual(cert.serialNumber));
  return {
    status: entry ? 'revoked' : 'good',
    source: 'CRL',
    issuedAt: crl.thisUpdate.value,
    ...(entry ? { revokedAt: entry.revocationDate.value } : {}),
  };
}

/** The responder may be the issuer itself, or a certificate the issuer gave id-kp-OCSPSigning. */
async function ocspResponderAuthorised(
  basic: pkijs.BasicOCSPResponse,
  issuer: pkijs.Certificate,
): Promise<boolean> {
  const candidates = [issuer, ...(basic.certs ?? [])];
  for (const candidate of candidates) {
    // pkijs keeps this check private; its public verify() also validates chains at the present time.
    const signatureOk = await (
      basic as unknown as { verifyResponseSignature(c: pkijs.Certificate): Promise<boolean> }
    )
      .verifyResponseSignature(candidate)
      .catch(() => false);
    if (!signatureOk) continue;
    if (candidate === issuer) return true;
    const isIssuer = Buffer.from(candidate.toSchema().toBER(false)).equals(
      Buffer.from(issuer.toSchema().toBER(false)),
    );
    if (isIssuer) return true;
    if (!candidate.issuer.isEqual(issuer.subject)) continue;
    if (!(await candidate.verify(issuer).catch(() => false))) continue;
    const eku = new x509.X509Certificate(Buffer.from(candidate.toSchema().toBER(false))).getExtension(
      x509.ExtendedKeyUsageExtension,
    );
    if (eku?.usages.map(String).includes(OCSP_SIGNING)) return true;
  }
  return false;
}

async function fromOcsp(
  der: Buffer,
  cert: pkijs.Certificate,
  issuer: pkijs.Certificate,
): Promise<Verdict | undefined> {
  let basic: pkijs.BasicOCSPResponse;
  try {
    const response = pkijs.OCSPResponse.fromBER(new Uint8Array(der));
    if (response.responseStatus.valueBlock.valueDec !== 0 || !response.responseBytes) return undefined;
    if (response.responseBytes.responseType !== OCSP_BASIC) return undefined;
    basic = pkijs.BasicOCSPResponse.fromBER(
      new Uint8Array(response.responseBytes.response.valueBlock.valueHexView),
    );
  } catch {
    return undefined;
  }
  if (!(await ocspResponderAuthorised(basic, issuer))) return undefined;
  for (const single of basic.tbsResponseData.responses) {
    const id = new pkijs.CertID();
    try {
      const hashAlgorithm = pkijs
        .getCrypto(true)
        .getAlgorithmByOID(single.certID.hashAlgorithm.algorithmId, true);
      await id.createForCertificate(cert, { hashAlgorithm: hashAlgorithm.name, issuerCertificate: issuer });
    } catch {
      continue;
    }
    if (!single.certID.isEqual(id)) continue;
    const tag = single.certStatus.idBlock.tagNumber;
    const issuedAt = single.thisUpdate;
    if (tag === 0) return { status: 'good', source: 'OCSP', issuedAt };
    if (tag === 1) {
      // RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, ... } under an implicit [1].
      const inner = (single.certStatus as asn1js.Constructed).valueBlock.value[0];
      const revokedAt = inner instanceof asn1js.GeneralizedTime ? inner.toDate() : issuedAt;
      return { status: 'revoked', source: 'OCSP', issuedAt, revokedAt };
    }
    return { status: 'unknown', source: 'OCSP', issuedAt };
  }
  return undefined;
}

/**
 * The status of `cert` at `signingTime`: revoked when any valid data of its issuer says so (with
 * the earliest revocation time); good when data issued at or after the signing time does not
 * list it (a CRL or response older than the signature cannot speak for it); unknown when the
 * responder does not know it; otherwise not checked.
 */
export async function revocationStatus(
  certificate: x509.X509Certificate,
  issuerCertificate: x509.X509Certificate,
  data: RevocationData,
  signingTime: Date,
): Promise<RevocationResult> {
  const cert = toPkijs(certificate);
  const issuer = toPkijs(issuerCertificate);
  const verdicts: Verdict[] = [];
  for (const der of data.crls) {
    const v = await fromCrl(der, cert, issuer);
    if (v) verdicts.push(v);
  }
  for (const der of data.ocspResponses) {
    const v = await fromOcsp(der, cert, issuer);
    if (v) verdicts.push(v);
  }
  const revoked = verdicts
    .filter((v) => v.status === 'revoked')
    .sort((a, b) => a.revokedAt!.getTime() - b.revokedAt!.getTime())[0];
  if (revoked)
    return { status: 'revoked', source: revoked.source, revokedAt: revoked.revokedAt!.toISOString() };
  const good = verdicts.find((v) => v.status === 'good' && v.issuedAt.getTime() >= signingTime.getTime());
  if (good) return { status: 'good', source: good.source, issuedAt: good.issuedAt.toISOString() };
  if (verdicts.some((v) => v.status === 'unknown')) return { status: 'unknown', source: 'OCSP' };
  return { status: 'notChecked' };
}

/** Where a certificate says its revocation can be asked: OCSP (AIA) and CRL distribution points, http only. */
export function revocationLocations(certificate: x509.X509Certificate): { ocsp: string[]; crl: string[] } {
  const ocsp: string[] = [];
  const crl: string[] = [];
  const aia = certificate.getExtension(x509.AuthorityInfoAccessExtension);
  for (const name of aia?.ocsp ?? [])
    if (name.type === 'url' && /^http:\/\//i.test(name.value)) ocsp.push(name.value);
  const dps = certificate.getExtension(x509.CRLDistributionPointsExtension);
  for (const dp of dps?.distributionPoints ?? [])
    for (const name of dp.distributionPoint?.fullName ?? [])
      if (name.uniformResourceIdentifier && /^http:\/\//i.test(name.uniformResourceIdentifier))
        crl.push(name.uniformResourceIdentifier);
  return { ocsp, crl };
}

/** A DER OCSP request for `certificate` (SHA-1 CertID, as responders commonly expect). */
export async function ocspRequest(
  certificate: x509.X509Certificate,
  issuerCertificate: x509.X509Certificate,
): Promise<Buffer> {
  const request = new pkijs.OCSPRequest();
  await request.createForCertificate(toPkijs(certificate), {
    hashAlgorithm: 'SHA-1',
    issuerCertificate: toPkijs(issuerCertificate),
  });
  return Buffer.from(request.toSchema(true).toBER(false));
}

/** CRLs and OCSP responses embedded in a CMS SignedData: its `crls` and the Adobe revocationInfoArchival attribute. */
export function revocationInCms(signed: pkijs.SignedData): RevocationData {
  const data = noRevocationData();
  for (const item of signed.crls ?? []) {
    if (item instanceof pkijs.CertificateRevocationList)
      data.crls.push(Buffer.from(item.toSchema().toBER(false)));
    else if (
      item instanceof pkijs.OtherRevocationInfoFormat &&
      item.otherRevInfoFormat === '1.3.6.1.5.5.7.16.2'
    )
      data.ocspResponses.push(Buffer.from((item.otherRevInfo as asn1js.BaseBlock).toBER(false)));
  }
  const archival = signed.signerInfos[0]?.signedAttrs?.attributes.find(
    (a) => a.type === '1.2.840.113583.1.1.8',
  )?.values[0];
  if (archival instanceof asn1js.Sequence)
    for (const tagged of archival.valueBlock.value) {
      const list = (tagged as asn1js.Constructed).valueBlock?.value?.[0];
      if (!(list instanceof asn1js.Sequence)) continue;
      const target =
        tagged.idBlock.tagNumber === 0
          ? data.crls
          : tagged.idBlock.tagNumber === 1
            ? data.ocspResponses
            : undefined;
      for (const entry of list.valueBlock.value) target?.push(Buffer.from(entry.toBER(false)));
    }
  return data;
}
