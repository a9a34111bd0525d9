import type { Document, Element } from '@xmldom/xmldom';
import { readUntrustedXml, UnsafeXmlError } from '../../domain/xml/read-untrusted';

/** Namespaces of the national node's messages; elements are always found by namespace, never by prefix. */
export const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  dsig11: 'http://www.w3.org/2009/xmldsig11#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
  xenc11: 'http://www.w3.org/2009/xmlenc11#',
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  eidas: 'http://eidas.europa.eu/saml-extensions',
  naturalperson: 'http://eidas.europa.eu/attributes/naturalperson',
} as const;

export class XmlShapeError extends Error {}

/** Parses a message through the one reader of untrusted XML; a refusal is a shape error. */
export function parseXml(xml: string): Document {
  try {
    return readUntrustedXml(xml);
  } catch (error) {
    if (error instanceof UnsafeXmlError) throw new XmlShapeError(error.message);
    throw error;
  }
}

export function childElements(parent: Element, ns: string, local: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1) {
      const el = n as Element;
      if (el.namespaceURI === ns && el.localName === local) out.push(el);
    }
  }
  return out;
}

/** Exactly one child with this name, or a shape error naming it. */
export function onlyChild(parent: Element, ns: string, local: string): Element {
  const found = childElements(parent, ns, local);
  if (found.length !== 1)
    throw new XmlShapeError(`expected one ${local} in ${parent.localName}, found ${found.length}`);
  return found[0]!;
}

export function optionalChild(parent: Element, ns: string, local: string): Element | undefined {
  const found = childElements(parent, ns, local);
  if (found.length > 1) throw new XmlShapeError(`more than one ${local} in ${parent.localName}`);
  return found[0];
}

export function requiredAttr(el: Element, name: string): string {
  const v = el.getAttribute(name);
  if (v === null || v === '') throw new XmlShapeError(`${el.localName} has no ${name}`);
  return v;
}

export function text(el: Element): string {
  return (el.textContent ?? '').trim();
}

export function escapeXml(s: string): string {
  return s.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/"/gu, '&quot;');
}
