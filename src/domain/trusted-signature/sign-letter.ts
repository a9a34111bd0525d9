import type { Document, Element, Node } from '@xmldom/xmldom';
import { assertXmlText, element, textElement } from '../receipts/canonical-xml';
import { exclusiveC14n } from '../receipts/exclusive-c14n';
import { IDS, NS, type SigningKey } from '../receipts/model';
import { envelopedSignature } from '../receipts/xades-signature';
import { readUntrustedXml, UnsafeXmlError } from '../xml/read-untrusted';

/** Namespace of the trusted-signature identity (modelled on ePUAP's EPSignature). */
export const PZ_NS = 'http://crd.gov.pl/xml/schematy/podpis_zaufany/';
/** Namespace of the general letter (wnio:Dokument). */
export const LETTER_NS = 'http://crd.gov.pl/wzor/2013/12/12/1410/';

export interface TrustedIdentity {
  firstNames: string;
  surname: string;
  pesel: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  profileId: string;
  /** Who vouches for the identity, e.g. the installation and the confirmation point. */
  issuer: string;
}

/**
 * The signer's identity as signed properties: xades:SignerRole/ClaimedRoles/ClaimedRole holds any
 * XML, so the identity stays structured, inside what the signature covers, and schema-valid
 * XAdES that xmlsec1 and xadesjs verify.
 */
export function identityProperties(identity: TrustedIdentity, signingTime: Date): string {
  if (!/^\d{11}$/.test(identity.pesel)) throw new Error('PESEL must be 11 digits');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(identity.dateOfBirth)) throw new Error('dateOfBirth must be YYYY-MM-DD');
  const pz = (name: string, value: string) => {
    assertXmlText(value, name);
    return textElement(`pz:${name}`, value);
  };
  const epSignature = element(
    'pz:EPSignature',
    { ns: { pz: PZ_NS } },
    pz('Imiona', identity.firstNames),
    pz('Nazwisko', identity.surname),
    pz('PESEL', identity.pesel),
    pz('DataUrodzenia', identity.dateOfBirth),
    pz('IdentyfikatorProfilu', identity.profileId),
    pz('WystawcaTozsamosci', identity.issuer),
    pz('CzasPodpisu', signingTime.toISOString()),
  );
  return element(
    'xades:SignerRole',
    {},
    element('xades:ClaimedRoles', {}, element('xades:ClaimedRole', {}, epSignature)),
  );
}

function hasId(el: Element, ids: string[]): boolean {
  if (['Id', 'ID', 'id'].some((a) => ids.includes(el.getAttribute(a) ?? ''))) return true;
  for (let n: Node | null = el.firstChild; n; n = n.nextSibling)
    if (n.nodeType === 1 && hasId(n as Element, ids)) return true;
  return false;
}

/**
 * Signs a letter (wnio:Dokument) with a trusted signature: an enveloped XAdES-BES signature made
 * with the platform seal, whose signed properties carry the resident's identity. The letter's
 * text is kept as given; the signature goes in as the last child of its root element.
 */
export function signLetterWithTrustedProfile(
  letterXml: string,
  identity: TrustedIdentity,
  signingTime: Date,
  seal: SigningKey,
): string {
  let doc: Document;
  try {
    doc = readUntrustedXml(letterXml);
  } catch (error) {
    if (!(error instanceof UnsafeXmlError)) throw error;
    throw new Error(
      error.rule === 'xml-dtd'
        ? 'the letter must not contain a DOCTYPE'
        : `the letter is not well-formed XML: ${error.detail}`,
    );
  }
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== LETTER_NS || root.localName !== 'Dokument')
    throw new Error('the letter root must be wnio:Dokument');
  // Outside the root only the XML declaration and whitespace: the canonical form of the
  // document is then that of its root element.
  for (let n: Node | null = doc.firstChild; n; n = n.nextSibling) {
    const whitespace = n.nodeType === 3 && /^[ \t\r\n]*$/.test(n.nodeValue ?? '');
    if (n !== root && !whitespace && !(n.nodeType === 7 && n.nodeName === 'xml'))
      throw new Error('the letter must hold nothing but its root element');
  }
  if (root.getElementsByTagNameNS(NS.ds, 'Signature').length > 0)
    throw new Error('the letter is already signed');
  if (hasId(root, Object.values(IDS))) throw new Error('the letter uses an id reserved for the signature');

  const signature = envelopedSignature(
    {
      canonicalDocument: exclusiveC14n(root),
      signingTime,
      extraSignedSignatureProperties: identityProperties(identity, signingTime),
    },
    seal,
  );
  const end = letterXml.lastIndexOf(`</${root.tagName}`);
  if (end < 0 || !/^<\/[^>]+>[ \t\r\n]*$/.test(letterXml.slice(end)))
    throw new Error('the letter must end with the end tag of its root element');
  return letterXml.slice(0, end) + signature + letterXml.slice(end);
}
