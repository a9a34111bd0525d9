import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { x509 } from '../receipts/crypto-engine';
import { HASH_BY_OID } from './raw-rsa';
import { chainToAnchor, type Reason, type TrustAnchors } from './trust';

/** id-aa-signatureTimeStampToken (RFC 3161 appendix A; CAdES and PAdES). */
export const SIGNATURE_TIMESTAMP_OID = '1.2.840.113549.1.9.16.2.14';
const TST_INFO_OID = '1.2.840.113549.1.9.16.1.4';
const TIME_STAMPING_EKU = '1.3.6.1.5.5.7.3.8';

/**
 * A signature time-stamp as the clerk sees it: `valid` when the token covers this signature
 * value, its signature holds and its TSA chains to a trusted anchor at the time it states; then
 * that time, not the one the signer claims, is the signing time.
 */
export type TimestampResult =
  | { status: 'valid'; time: string; authority: string }
  | { status: 'invalid'; time?: string; authority?: string };

export interface TimestampCheck {
  result: TimestampResult;
  reasons: Reason[];
}

const invalid = (key: Reason['key'], params?: Reason['params'], known: Partial<TimestampResult> = {}) => ({
  result: { ...known, status: 'invalid' as const },
  reasons: [{ key, ...(params ? { params } : {}) }],
});

/**
 * Verifies an RFC 3161 time-stamp token over `covered` (the bytes whose digest its message
 * imprint must be: the CMS signature value, or the canonical XAdES ds:SignatureValue).
 */
export async function verifyTimestampToken(
  token: Buffer,
  covered: Buffer,
  trust: TrustAnchors,
): Promise<TimestampCheck> {
  let signed: pkijs.SignedData;
  let info: pkijs.TSTInfo;
  try {
    const asn = asn1js.fromBER(new Uint8Array(token));
    if (asn.offset === -1) throw new Error('not DER');
    const content = new pkijs.ContentInfo({ schema: asn.result });
    if (content.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error('not SignedData');
    signed = new pkijs.SignedData({ schema: content.content });
    const eContent = signed.encapContentInfo.eContent;
    if (signed.encapContentInfo.eContentType !== TST_INFO_OID || !eContent) throw new Error('not TSTInfo');
    info = pkijs.TSTInfo.fromBER(eContent.getValue());
  } catch {
    return invalid('signature.timestampUnreadable');
  }
  const time = info.genTime;
  const known = { time: time.toISOString() };
  const hash = HASH_BY_OID[info.messageImprint.hashAlgorithm.algorithmId];
  const imprint = Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView);
  if (!hash || !imprint.equals(createHash(hash).update(covered).digest()))
    return invalid('signature.timestampOtherBytes', undefined, known);

  const certificates = (signed.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
  );
  const sid = signed.signerInfos[0]?.sid;
  const tsaCert =
    sid instanceof pkijs.IssuerAndSerialNumber
      ? certificates.find((c) => c.serialNumber.isEqual(sid.serialNumber) && c.issuer.isEqual(sid.issuer))
      : undefined;
  if (!tsaCert) return invalid('signature.timestampUntrusted', { authority: '?' }, known);
  const tsa = new x509.X509Certificate(Buffer.from(tsaCert.toSchema().toBER(false)));
  const withAuthority = { ...known, authority: tsa.subject };

  let holds = false;
  try {
    const result = await signed.verify({
      signer: 0,
      data: new Uint8Array(covered).buffer as ArrayBuffer,
      checkChain: false,
      extendedMode: true,
    });
    holds = result.signatureVerified === true;
  } catch {
    holds = false;
  }
  if (!holds) return invalid('signature.timestampCryptoFailed', { authority: tsa.subject }, withAuthority);

  // RFC 3161 §2.3: the TSA's certificate is for time-stamping only, and says so.
  const usage = tsa.getExtension(x509.ExtendedKeyUsageExtension);
  if (!usage?.usages.includes(TIME_STAMPING_EKU))
    return invalid('signature.timestampNotTsa', { authority: tsa.subject }, withAuthority);

  const carried = certificates.map((c) => new x509.X509Certificate(Buffer.from(c.toSchema().toBER(false))));
  const chain = await chainToAnchor(tsa, carried, trust, time).catch(() => undefined);
  if (!chain?.anchor || chain.reasons.length > 0)
    return invalid('signature.timestampUntrusted', { authority: tsa.subject }, withAuthority);
  return { result: { status: 'valid', time: time.toISOString(), authority: tsa.subject }, reasons: [] };
}

/** The signature time-stamp tokens a CMS signer carries (DER), first the first. */
export function timestampTokensInCms(signerInfo: pkijs.SignerInfo | undefined): Buffer[] {
  const attributes = signerInfo?.unsignedAttrs?.attributes ?? [];
  return attributes
    .filter((a) => a.type === SIGNATURE_TIMESTAMP_OID)
    .flatMap((a) => a.values.map((v: asn1js.AsnType) => Buffer.from(v.toBER(false))));
}

const XMLNS = 'http://www.w3.org/2000/xmlns/';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const C14N_EXCLUSIVE = 'http://www.w3.org/2001/10/xml-exc-c14n#';

const escapeText = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
const escapeAttr = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');

/**
 * Canonical XML 1.0 (inclusive) of an element that holds only text, as ds:SignatureValue does:
 * the namespaces in scope and the xml:* attributes inherited from its ancestors are written on
 * it, as for a document subset whose apex it is.
 */
function inclusiveC14nOfTextElement(element: Element): string {
  const namespaces = new Map<string, string>();
  const xmlAttributes = new Map<string, string>();
  for (let node: Node | null = element; node && node.nodeType === 1; node = node.parentNode) {
    for (const attribute of Array.from((node as Element).attributes)) {
      if (attribute.namespaceURI === XMLNS) {
        const prefix = attribute.prefix === 'xmlns' ? attribute.localName : '';
        if (!namespaces.has(prefix)) namespaces.set(prefix, attribute.value);
      } else if (attribute.namespaceURI === XML_NS && node !== element && !xmlAttributes.has(attribute.name))
        xmlAttributes.set(attribute.name, attribute.value);
    }
  }
  const ns = [...namespaces]
    .filter(([prefix, uri]) => !(prefix === '' && uri === ''))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([prefix, uri]) => ` ${prefix ? `xmlns:${prefix}` : 'xmlns'}="${escapeAttr(uri)}"`);
  const own = Array.from(element.attributes).filter((a) => a.namespaceURI !== XMLNS);
  const attributes = [
    ...own.map((a) => ({ ns: a.namespaceURI ?? '', local: a.localName, name: a.name, value: a.value })),
    ...[...xmlAttributes]
      .filter(([name]) => !own.some((a) => a.name === name))
      .map(([name, value]) => ({ ns: XML_NS, local: name.slice(4), name, value })),
  ]
    .sort((a, b) => (a.ns === b.ns ? (a.local < b.local ? -1 : 1) : a.ns < b.ns ? -1 : 1))
    .map((a) => ` ${a.name}="${escapeAttr(a.value)}"`);
  return `<${element.tagName}${ns.join('')}${attributes.join('')}>${escapeText(element.textContent ?? '')}</${element.tagName}>`;
}

/**
 * The bytes a XAdES SignatureTimeStamp covers: the ds:SignatureValue element, canonicalized as
 * the time-stamp says (its ds:CanonicalizationMethod; inclusive Canonical XML 1.0 by default,
 * EN 319 132-1 §5.3).
 */
export function xadesTimestampInput(
  signatureValue: Element,
  algorithm: string | undefined,
  exclusive: (element: Element) => string,
): Buffer | undefined {
  if (Array.from(signatureValue.childNodes).some((n) => n.nodeType === 1)) return undefined;
  if (algorithm === C14N_EXCLUSIVE) return Buffer.from(exclusive(signatureValue), 'utf8');
  if (algorithm === undefined || algorithm === 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315')
    return Buffer.from(inclusiveC14nOfTextElement(signatureValue), 'utf8');
  return undefined;
}
