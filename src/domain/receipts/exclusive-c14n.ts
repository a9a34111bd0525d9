import type { Element, Node } from '@xmldom/xmldom';
import { escapeAttribute, escapeText } from './canonical-xml';

const XMLNS = 'http://www.w3.org/2000/xmlns/';

/**
 * Exclusive XML Canonicalization 1.0 without comments, of an element taken as the apex (no
 * output ancestors), for documents parsed without a DTD. Used where the XML comes from
 * elsewhere (a letter to be signed); receipts are written canonical and need none of this.
 */
export function exclusiveC14n(apex: Element): string {
  const out: string[] = [];
  writeElement(apex, new Map(), out);
  return out.join('');
}

function writeElement(el: Element, rendered: Map<string, string>, out: string[]): void {
  // Namespaces this element visibly uses: its own prefix (or the default) and its attributes' prefixes.
  const used = new Map<string, string>();
  used.set(el.prefix ?? '', el.namespaceURI ?? '');
  const attributes: { ns: string; local: string; name: string; value: string }[] = [];
  for (let i = 0; i < el.attributes.length; i++) {
    const attr = el.attributes.item(i)!;
    if (attr.namespaceURI === XMLNS || attr.name === 'xmlns' || attr.name.startsWith('xmlns:')) continue;
    if (attr.prefix && attr.prefix !== 'xml') used.set(attr.prefix, attr.namespaceURI ?? '');
    attributes.push({
      ns: attr.namespaceURI ?? '',
      local: attr.localName ?? attr.name,
      name: attr.name,
      value: attr.value,
    });
  }
  const next = new Map(rendered);
  const declarations: [string, string][] = [];
  for (const [prefix, uri] of used) {
    const before = rendered.get(prefix);
    // An empty default namespace is written only to undo a non-empty one written above.
    if (prefix === '' && uri === '' && (before === undefined || before === '')) continue;
    if (before === uri) continue;
    declarations.push([prefix, uri]);
    next.set(prefix, uri);
  }
  declarations.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  attributes.sort((a, b) =>
    a.ns !== b.ns ? (a.ns < b.ns ? -1 : 1) : a.local < b.local ? -1 : a.local > b.local ? 1 : 0,
  );

  let start = `<${el.tagName}`;
  for (const [prefix, uri] of declarations)
    start +=
      prefix === '' ? ` xmlns="${escapeAttribute(uri)}"` : ` xmlns:${prefix}="${escapeAttribute(uri)}"`;
  for (const a of attributes) start += ` ${a.name}="${escapeAttribute(a.value)}"`;
  out.push(`${start}>`);
  for (let child: Node | null = el.firstChild; child; child = child.nextSibling) {
    switch (child.nodeType) {
      case 1:
        writeElement(child as Element, next, out);
        break;
      case 3: // text
      case 4: // CDATA: its characters, escaped like text
        out.push(escapeText(child.nodeValue ?? ''));
        break;
      case 7: {
        const data = child.nodeValue ?? '';
        out.push(`<?${child.nodeName}${data ? ` ${data}` : ''}?>`);
        break;
      }
      default: // comments are not part of the canonical form
        break;
    }
  }
  out.push(`</${el.tagName}>`);
}
