import { DOMParser, type Document } from '@xmldom/xmldom';

export type XmlRule = 'xml-malformed' | 'xml-dtd' | 'xml-too-deep' | 'xml-too-large';

/** Why an XML document was refused; `line` when the position is known. */
export class UnsafeXmlError extends Error {
  constructor(
    readonly rule: XmlRule,
    readonly line?: number,
    /** What was wrong, in the parser's words (English, for logs and technical detail). */
    readonly detail: string = rule,
  ) {
    super(detail === rule ? rule : `${rule}: ${detail}`);
    this.name = 'UnsafeXmlError';
  }
}

export interface XmlLimits {
  /** Element nesting (default 256). */
  maxDepth?: number;
  /** Length of the text in UTF-16 code units (default 20 M). */
  maxLength?: number;
}

const lineAt = (text: string, index: number): number => {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
};

/** An "&" that starts no character or entity reference: not well-formed, yet xmldom lets some pass silently ("& ", "&#;"). */
const BARE_AMPERSAND = /&(?!#[0-9]+;|#x[0-9A-Fa-f]+;|[A-Za-z_:][A-Za-z0-9._:-]*;)/;

export function hasBareAmpersand(text: string): boolean {
  return text.includes('&') && BARE_AMPERSAND.test(text);
}

/**
 * One linear pass over the markup before any parser sees it: refuses every markup declaration
 * (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`, `<!ATTLIST`, `<!NOTATION`), the only way XML 1.0 can
 * declare entities or point at external resources, and nesting deeper than the limit. Comments,
 * CDATA sections and processing instructions are skipped, so "<!DOCTYPE" inside them is harmless.
 * A billion-laughs or XXE document stops at its DOCTYPE, in microseconds.
 */
export function scanXml(text: string, maxDepth: number): void {
  let depth = 0;
  let i = text.indexOf('<');
  // Character data runs from the end of the previous markup to the next '<'.
  let textStart = 0;
  const checkReferences = (from: number, to: number) => {
    if (hasBareAmpersand(text.slice(from, to)))
      throw new UnsafeXmlError('xml-malformed', lineAt(text, from), '"&" outside a reference');
  };
  while (i !== -1) {
    checkReferences(textStart, i);
    const next = text.charCodeAt(i + 1);
    let end: number;
    if (next === 0x3f /* ? */) {
      end = text.indexOf('?>', i + 2);
      if (end === -1) throw new UnsafeXmlError('xml-malformed', lineAt(text, i), 'unterminated markup');
      end += 1;
    } else if (text.startsWith('<!--', i)) {
      end = text.indexOf('-->', i + 4);
      if (end === -1) throw new UnsafeXmlError('xml-malformed', lineAt(text, i), 'unterminated markup');
      end += 2;
    } else if (text.startsWith('<![CDATA[', i)) {
      end = text.indexOf(']]>', i + 9);
      if (end === -1) throw new UnsafeXmlError('xml-malformed', lineAt(text, i), 'unterminated markup');
      end += 2;
    } else if (next === 0x21 /* ! */) {
      throw new UnsafeXmlError('xml-dtd', lineAt(text, i), 'a DOCTYPE or other markup declaration');
    } else if (next === 0x2f /* / */) {
      end = text.indexOf('>', i + 2);
      if (end === -1) throw new UnsafeXmlError('xml-malformed', lineAt(text, i), 'unterminated markup');
      depth -= 1;
    } else {
      // A start tag: find its '>' outside quoted attribute values.
      let quote = 0;
      end = -1;
      for (let j = i + 1; j < text.length; j += 1) {
        const c = text.charCodeAt(j);
        if (quote !== 0) {
          if (c === quote) quote = 0;
        } else if (c === 0x22 || c === 0x27) quote = c;
        else if (c === 0x3e /* > */) {
          end = j;
          break;
        } else if (c === 0x3c /* < */) break;
      }
      if (end === -1) throw new UnsafeXmlError('xml-malformed', lineAt(text, i), 'unterminated markup');
      checkReferences(i, end);
      // An empty element (<x/>) is a level of nesting too, though nothing closes it.
      if (depth + 1 > maxDepth) throw new UnsafeXmlError('xml-too-deep', lineAt(text, i));
      if (text.charCodeAt(end - 1) !== 0x2f /* / */) depth += 1;
    }
    textStart = end + 1;
    i = text.indexOf('<', end + 1);
  }
  checkReferences(textStart, text.length);
}

/**
 * The one way to read XML that came from outside (filings, receipts, trusted lists, SOAP and SAML
 * messages): no DTD, no entity expansion and no external references, within depth and size
 * bounds; throws UnsafeXmlError otherwise. Any parser complaint, even a warning, is a refusal:
 * xmldom only warns about some mistakes (an unquoted attribute value) and reads on, where a
 * conforming XML reader, such as xmlsec1's, refuses the document.
 */
export function readUntrustedXml(text: string, limits: XmlLimits = {}): Document {
  if (text.length > (limits.maxLength ?? 20 * 1024 * 1024)) throw new UnsafeXmlError('xml-too-large');
  scanXml(text, limits.maxDepth ?? 256);
  let complaint: string | undefined;
  let document: Document;
  try {
    document = new DOMParser({
      onError: (_level: string, message: string) => {
        complaint ??= message;
        throw new Error(message);
      },
    }).parseFromString(text, 'application/xml');
  } catch (error) {
    const message = complaint ?? (error as Error).message;
    const line = /line:(\d+)/.exec(message)?.[1];
    throw new UnsafeXmlError(
      'xml-malformed',
      line ? Number(line) : undefined,
      message.split('\n')[0] || 'not well-formed',
    );
  }
  if (!document.documentElement) throw new UnsafeXmlError('xml-malformed', undefined, 'no root element');
  return document;
}

/**
 * Bytes of an XML document to text: UTF-8 unless a BOM or the XML declaration says otherwise
 * (Polish systems still send windows-1250 and ISO-8859-2). Returns undefined when the bytes are
 * not valid in that encoding or the encoding is unknown.
 */
export function decodeXml(bytes: Buffer): string | undefined {
  let encoding = 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
  else {
    const declaration = /^(?:\uFEFF)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(
      bytes.subarray(0, 200).toString('latin1'),
    );
    if (declaration?.[1]) encoding = declaration[1].toLowerCase();
  }
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
