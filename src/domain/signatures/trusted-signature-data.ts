import type { Person } from './trust';

/** The trusted-signature data model (podpis zaufany): the current and the older namespace. */
export const PZ_NS = 'http://crd.gov.pl/xml/schematy/podpis_zaufany/';
export const PPZP_NS = 'http://crd.gov.pl/xml/schematy/ppzp/';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

function firstText(root: Element, ns: string, names: string[]): string | undefined {
  for (const name of names) {
    const value = root.getElementsByTagNameNS(ns, name)[0]?.textContent?.trim();
    if (value) return value;
  }
  return undefined;
}

function clean(person: Person): Person | undefined {
  const out = Object.fromEntries(Object.entries(person).filter(([, v]) => v)) as Person;
  return out.familyName || out.pesel ? out : undefined;
}

/** Is `node` covered by one of the signature's references (an element with a referenced Id, or the whole document)? */
function isSigned(node: Element, signature: Element): boolean {
  const uris = Array.from(signature.getElementsByTagNameNS(DSIG, 'Reference')).map(
    (r) => r.getAttribute('URI') ?? '',
  );
  const ids = new Set(uris.filter((u) => u.startsWith('#')).map((u) => u.slice(1)));
  let insideSignature = false;
  for (let n: Node | null = node; n && n.nodeType === 1; n = n.parentNode) {
    const el = n as Element;
    if (el === signature) insideSignature = true;
    for (const attr of ['Id', 'ID', 'id'])
      if (el.getAttribute(attr) && ids.has(el.getAttribute(attr)!)) return true;
  }
  return !insideSignature && uris.includes('');
}

/**
 * The person of a trusted signature: `pz:EPSignature` (NaturalPerson: FirstName,
 * CurrentFamilyName, DateOfBirth, PersonalIdentifier) or the older `ppZP:PodpisZP` (Imie,
 * Nazwisko, PESEL, DataUrodzenia). Only data the signature covers counts: an unsigned copy could
 * name anyone.
 */
export function trustedSignaturePersonXml(doc: Document, signature: Element): Person | undefined {
  for (const ep of Array.from(doc.getElementsByTagNameNS(PZ_NS, 'EPSignature'))) {
    if (!isSigned(ep, signature)) continue;
    const natural = ep.getElementsByTagNameNS(PZ_NS, 'NaturalPerson')[0] ?? ep;
    const person = clean({
      firstName: firstText(natural, PZ_NS, ['FirstName', 'CurrentGivenName', 'Imiona']),
      familyName: firstText(natural, PZ_NS, ['CurrentFamilyName', 'FamilyName', 'Nazwisko']),
      dateOfBirth: firstText(natural, PZ_NS, ['DateOfBirth', 'DataUrodzenia']),
      pesel: firstText(natural, PZ_NS, ['PersonalIdentifier', 'PESEL']),
    });
    if (person) return person;
  }
  for (const zp of Array.from(doc.getElementsByTagNameNS(PPZP_NS, 'PodpisZP'))) {
    if (!isSigned(zp, signature)) continue;
    const person = clean({
      firstName: firstText(zp, PPZP_NS, ['Imie']),
      familyName: firstText(zp, PPZP_NS, ['Nazwisko']),
      dateOfBirth: firstText(zp, PPZP_NS, ['DataUrodzenia']),
      pesel: firstText(zp, PPZP_NS, ['PESEL', 'Pesel']),
    });
    if (person) return person;
  }
  return undefined;
}

/** Decodes a PDF string token: literal `( … )` with escapes, or hex `< … >`; UTF-16BE when it starts with a BOM. */
export function decodePdfString(token: string): string {
  let bytes: Buffer;
  if (token.startsWith('<')) {
    bytes = Buffer.from(token.slice(1, -1).replace(/\s+/g, ''), 'hex');
  } else {
    const body = token.slice(1, -1);
    const out: number[] = [];
    for (let i = 0; i < body.length; i++) {
      const c = body.charCodeAt(i);
      if (c !== 0x5c) {
        out.push(c & 0xff);
        continue;
      }
      const n = body[++i] ?? '';
      const simple: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };
      if (n in simple) out.push(simple[n]!);
      else if (/[0-7]/.test(n)) {
        const oct = /^[0-7]{1,3}/.exec(body.slice(i))![0];
        out.push(parseInt(oct, 8) & 0xff);
        i += oct.length - 1;
      } else if (n === '\r' || n === '\n') {
        if (n === '\r' && body[i + 1] === '\n') i++;
      } else out.push(n.charCodeAt(0) & 0xff);
    }
    bytes = Buffer.from(out);
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const utf8 = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return utf8.includes('\ufffd') ? bytes.toString('latin1') : utf8;
}

/**
 * The person a trusted-signature PDF names in its signature dictionary's /Reason, e.g.
 * "Dokument podpisany podpisem zaufanym przez: JAN KOWALSKI, PESEL: 44051401359".
 */
export function trustedSignaturePersonReason(reason: string): Person | undefined {
  const pesel = /PESEL\W{0,3}(\d{11})\b/i.exec(reason)?.[1];
  const name = /(?:przez|by)\s*:?\s*([^,;()\d]+)/i.exec(reason)?.[1]?.trim();
  const words = name ? name.split(/\s+/) : [];
  return clean({
    ...(words.length > 1 ? { firstName: words.slice(0, -1).join(' ') } : {}),
    ...(words.length > 0 ? { familyName: words[words.length - 1] } : {}),
    ...(pesel ? { pesel } : {}),
  });
}
