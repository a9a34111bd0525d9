import type { MessageKey, Params } from '../../i18n/index';
import { x509, xadesjs } from '../receipts/crypto-engine';
import '../receipts/verify-receipt'; // registers xmldom with xadesjs
import { readUntrustedXml } from '../xml/read-untrusted';
import type { QualifiedAnchor, StatusPeriod } from './trust';

/** ETSI TS 119 612 trusted lists: the EU list of trusted lists (LOTL) and the national lists. */
export const TSL_NS = 'http://uri.etsi.org/02231/v2#';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const CA_QC = 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC';
const LOTL_TYPE = 'http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists';

export interface TslPointer {
  territory: string;
  location: string;
  /** Certificates that may sign the list pointed to (PEM). */
  signersPem: string[];
}

export interface TrustedList {
  territory: string;
  sequenceNumber: number;
  issued: string;
  nextUpdate?: string;
  isLotl: boolean;
  /** CA/QC services with their status history. */
  services: QualifiedAnchor[];
  pointers: TslPointer[];
  /** The certificate that signed the list (PEM). */
  signerPem: string;
}

/** Why a list was refused; a message key with its parameters. */
export class TrustedListError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: Params = {},
  ) {
    super(key);
    this.name = 'TrustedListError';
  }
}

const children = (el: Element, name: string): Element[] =>
  Array.from(el.childNodes).filter(
    (n): n is Element =>
      n.nodeType === 1 && (n as Element).namespaceURI === TSL_NS && (n as Element).localName === name,
  );
const child = (el: Element | undefined, ...path: string[]): Element | undefined => {
  let current = el;
  for (const name of path) current = current ? children(current, name)[0] : undefined;
  return current;
};
const text = (el: Element | undefined, ...path: string[]): string | undefined =>
  child(el, ...path)?.textContent?.trim() || undefined;

const pem = (base64: string): string =>
  `-----BEGIN CERTIFICATE-----\n${base64
    .replace(/\s+/g, '')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;

function certificatesOf(identities: Element | undefined): string[] {
  if (!identities) return [];
  return Array.from(identities.getElementsByTagNameNS(TSL_NS, 'X509Certificate'))
    .map((n) => n.textContent?.replace(/\s+/g, '') ?? '')
    .filter((b) => b.length > 0)
    .map(pem);
}

const sameCertificate = (a: string, b: string): boolean => {
  try {
    return new x509.X509Certificate(a).equal(new x509.X509Certificate(b));
  } catch {
    return false;
  }
};

/**
 * Reads a trusted list and checks its enveloped signature: the whole list signed, by one of the
 * certificates announced for it (`announcedSigners`: for the LOTL the configured ones, for a
 * national list those the LOTL points with). Anything else is refused with the reason.
 */
export async function readTrustedList(bytes: Buffer, announcedSigners: string[]): Promise<TrustedList> {
  let doc: Document;
  try {
    doc = readUntrustedXml(bytes.toString('utf8').replace(/^\uFEFF/, '')) as unknown as Document;
  } catch {
    throw new TrustedListError('trustList.unreadable');
  }
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== TSL_NS || root.localName !== 'TrustServiceStatusList')
    throw new TrustedListError('trustList.notAList');
  const scheme = child(root, 'SchemeInformation');
  const territory = text(scheme, 'SchemeTerritory') ?? '';
  const sequenceNumber = Number(text(scheme, 'TSLSequenceNumber'));
  const issued = text(scheme, 'ListIssueDateTime') ?? '';
  if (!/^[A-Z]{2}$/.test(territory) || !Number.isInteger(sequenceNumber) || Number.isNaN(Date.parse(issued)))
    throw new TrustedListError('trustList.notAList');

  const signatures = Array.from(root.childNodes).filter(
    (n): n is Element =>
      n.nodeType === 1 && (n as Element).namespaceURI === DSIG && (n as Element).localName === 'Signature',
  );
  if (signatures.length !== 1)
    throw new TrustedListError('trustList.signatureCount', { count: signatures.length });
  const signature = signatures[0]!;
  const rootId = root.getAttribute('Id');
  const references = Array.from(signature.getElementsByTagNameNS(DSIG, 'Reference')).map((r) =>
    r.getAttribute('URI'),
  );
  if (!references.some((uri) => uri === '' || (rootId && uri === `#${rootId}`)))
    throw new TrustedListError('trustList.notWholeList');
  const signerBase64 = signature
    .getElementsByTagNameNS(DSIG, 'X509Certificate')[0]
    ?.textContent?.replace(/\s+/g, '');
  if (!signerBase64) throw new TrustedListError('trustList.noSigner');
  const signerPem = pem(signerBase64);
  if (!announcedSigners.some((a) => sameCertificate(a, signerPem)))
    throw new TrustedListError('trustList.signerNotAnnounced', { territory });
  // Judged at the list's issue time, not now: lists are kept for years after their signer's
  // certificate expires (a signature is judged by the list of its own time).
  let signerCert: x509.X509Certificate;
  try {
    signerCert = new x509.X509Certificate(signerPem);
  } catch {
    throw new TrustedListError('trustList.noSigner');
  }
  const issuedAt = Date.parse(issued);
  if (signerCert.notBefore.getTime() > issuedAt || signerCert.notAfter.getTime() < issuedAt)
    throw new TrustedListError('trustList.signerNotValidAtIssue', { territory, issued });
  let holds = false;
  try {
    const signed = new xadesjs.SignedXml(doc);
    signed.LoadXml(signature as unknown as Element);
    holds = await signed.Verify();
  } catch {
    holds = false;
  }
  if (!holds) throw new TrustedListError('trustList.badSignature', { territory });

  const services: QualifiedAnchor[] = [];
  for (const service of Array.from(root.getElementsByTagNameNS(TSL_NS, 'TSPService'))) {
    const info = child(service, 'ServiceInformation');
    if (!info) continue;
    const periods: StatusPeriod[] = [];
    const type = text(info, 'ServiceTypeIdentifier');
    const status = text(info, 'ServiceStatus');
    const from = text(info, 'StatusStartingTime');
    if (type === CA_QC && status && from) periods.push({ status, from });
    for (const instance of children(child(service, 'ServiceHistory') ?? info, 'ServiceHistoryInstance')) {
      const s = text(instance, 'ServiceStatus');
      const f = text(instance, 'StatusStartingTime');
      if (text(instance, 'ServiceTypeIdentifier') === CA_QC && s && f) periods.push({ status: s, from: f });
    }
    if (periods.length === 0) continue;
    periods.sort((a, b) => Date.parse(a.from) - Date.parse(b.from));
    const serviceName = text(child(info, 'ServiceName'), 'Name') ?? '';
    for (const certificatePem of certificatesOf(child(info, 'ServiceDigitalIdentity')))
      services.push({ certificatePem, serviceName, territory, periods });
  }

  const pointers: TslPointer[] = [];
  for (const pointer of children(child(scheme, 'PointersToOtherTSL') ?? scheme!, 'OtherTSLPointer')) {
    const pointed = pointer.getElementsByTagNameNS(TSL_NS, 'SchemeTerritory')[0]?.textContent?.trim();
    if (!pointed) continue;
    pointers.push({
      territory: pointed,
      location: text(pointer, 'TSLLocation') ?? '',
      signersPem: certificatesOf(child(pointer, 'ServiceDigitalIdentities')),
    });
  }
  const nextUpdate = text(scheme, 'NextUpdate', 'dateTime');
  return {
    territory,
    sequenceNumber,
    issued,
    ...(nextUpdate ? { nextUpdate } : {}),
    isLotl: text(scheme, 'TSLType') === LOTL_TYPE,
    services,
    pointers,
    signerPem,
  };
}

/** Territory, kind and sequence number of a list, read before its signature can be checked (the signers depend on them). */
export function readListHeader(bytes: Buffer): {
  territory: string;
  isLotl: boolean;
  sequenceNumber: number;
} {
  let doc: Document;
  try {
    doc = readUntrustedXml(bytes.toString('utf8').replace(/^\uFEFF/, '')) as unknown as Document;
  } catch {
    throw new TrustedListError('trustList.unreadable');
  }
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== TSL_NS || root.localName !== 'TrustServiceStatusList')
    throw new TrustedListError('trustList.notAList');
  const scheme = child(root, 'SchemeInformation');
  const territory = text(scheme, 'SchemeTerritory') ?? '';
  const sequenceNumber = Number(text(scheme, 'TSLSequenceNumber'));
  if (!/^[A-Z]{2}$/.test(territory) || !Number.isInteger(sequenceNumber))
    throw new TrustedListError('trustList.notAList');
  return { territory, isLotl: text(scheme, 'TSLType') === LOTL_TYPE, sequenceNumber };
}
