import type { Document, Element } from '@xmldom/xmldom';
import { AppError } from '../../domain/errors';
import { readUntrustedXml, UnsafeXmlError } from '../../domain/xml/read-untrusted';

export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
export const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const OBJ_NS = 'http://wsdl.epuap.gov.pl/obiekty/';
export const EXT_NS = 'http://wsdl.epuap.gov.pl/obiekty/ext/';

const malformed = (detail: string) =>
  new AppError({ code: 'malformed', status: 400, key: 'soap.error.malformed', params: { detail } });

/** Parses an untrusted SOAP request through the one reader of untrusted XML. */
export function parseSoapEnvelope(text: string): {
  doc: Document;
  envelope: Element;
  header: Element | null;
  body: Element;
} {
  let doc: Document;
  try {
    doc = readUntrustedXml(text);
  } catch (error) {
    if (!(error instanceof UnsafeXmlError)) throw error;
    if (error.rule === 'xml-dtd') throw new AppError({ code: 'dtd', status: 400, key: 'soap.error.dtd' });
    throw malformed(error.detail);
  }
  const envelope = doc.documentElement;
  if (!envelope || envelope.namespaceURI !== SOAP_NS || envelope.localName !== 'Envelope')
    throw malformed('no soap:Envelope (SOAP 1.1)');
  const children = elementChildren(envelope);
  const header = children.find((e) => e.namespaceURI === SOAP_NS && e.localName === 'Header') ?? null;
  const bodies = children.filter((e) => e.namespaceURI === SOAP_NS && e.localName === 'Body');
  if (bodies.length !== 1 || !bodies[0]) throw malformed('exactly one soap:Body is required');
  return { doc, envelope, header, body: bodies[0] };
}

export function elementChildren(parent: Element): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1) out.push(node as Element);
  }
  return out;
}

/** The text of an unqualified child element (ePUAP's request fields), or undefined. */
export function childText(parent: Element, localName: string): string | undefined {
  const child = elementChildren(parent).find((e) => e.localName === localName);
  return child ? (child.textContent ?? '') : undefined;
}

/** Escapes text for XML content and attribute values. */
export function esc(text: string): string {
  return text.replace(
    /[&<>"\r]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#xD;' })[c] as string,
  );
}
