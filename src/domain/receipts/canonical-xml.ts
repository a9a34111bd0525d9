/**
 * Writing XML that is already in canonical form (Exclusive XML Canonicalization 1.0 without
 * comments): no XML declaration inside elements, attributes sorted, namespace declarations
 * before attributes, empty elements as start and end tag, and the c14n escaping rules. What
 * these functions return is, byte for byte, what a verifier's canonicalizer produces.
 */

/** Characters XML 1.0 cannot carry at all; such input is refused, never silently dropped. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Plain BMP text without control characters: the common case, checked without the slower unicode regex. */
const PLAIN_BMP = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD]*$/;

/** Whether every character may occur in an XML 1.0 document (the Char production). */
export function isXmlText(value: string): boolean {
  return PLAIN_BMP.test(value) || !NOT_XML_CHAR.test(value);
}

export function assertXmlText(value: string, what: string): void {
  if (!isXmlText(value)) throw new Error(`${what} contains a character that XML cannot carry`);
}

/** c14n text escaping: &, <, > and carriage return. */
export function escapeText(value: string): string {
  if (!/[&<>\r]/.test(value)) return value;
  return value.replace(/[&<>\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#xD;',
  );
}

/** c14n attribute escaping: &, <, ", tab, line feed and carriage return. */
export function escapeAttribute(value: string): string {
  if (!/[&<"\t\n\r]/.test(value)) return value;
  return value.replace(/[&<"\t\n\r]/g, (c) =>
    c === '&'
      ? '&amp;'
      : c === '<'
        ? '&lt;'
        : c === '"'
          ? '&quot;'
          : c === '\t'
            ? '&#x9;'
            : c === '\n'
              ? '&#xA;'
              : '&#xD;',
  );
}

export type Attributes = Record<string, string | number | undefined>;

/**
 * One element. `namespaces` are declarations (prefix → URI) rendered before the attributes,
 * sorted by prefix; attributes are unprefixed and sorted by name, as c14n orders them.
 * `content` is already-canonical XML (child elements) or, with `text`, character data.
 */
export function element(
  name: string,
  options: { ns?: Record<string, string>; attrs?: Attributes; text?: string },
  ...children: string[]
): string {
  let start = `<${name}`;
  if (options.ns)
    for (const prefix of Object.keys(options.ns).sort())
      start += ` xmlns:${prefix}="${escapeAttribute(options.ns[prefix]!)}"`;
  if (options.attrs) {
    const attrs = options.attrs;
    for (const key of Object.keys(attrs).sort()) {
      const value = attrs[key];
      if (value !== undefined) start += ` ${key}="${escapeAttribute(String(value))}"`;
    }
  }
  const body = options.text !== undefined ? escapeText(options.text) : children.join('');
  return `${start}>${body}</${name}>`;
}

/** An element holding only text, without attributes: the common case, kept cheap. */
export function textElement(name: string, text: string): string {
  return `<${name}>${escapeText(text)}</${name}>`;
}
