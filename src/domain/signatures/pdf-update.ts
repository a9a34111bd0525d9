import { inflateSync } from 'node:zlib';

/**
 * What a PDF may carry after the bytes a PAdES signature covers. PAdES-LT (ETSI EN 319 142-1)
 * adds, in an incremental update, a document security store: a `/DSS` dictionary with the
 * certificates, CRLs and OCSP responses needed to validate the signature later, its `/VRI`
 * entries, and a new catalog that points to it. That changes nothing the signer saw. Anything
 * else after the signature — a page, its content, an annotation, another catalog entry — is a
 * change made after signing and is refused, named.
 */
export type UpdateAfterSignature =
  | { ok: true; dss: { certificates: Buffer[]; crls: Buffer[]; ocspResponses: Buffer[] } }
  | { ok: false; change: string };

type Value =
  | { t: 'name'; v: string }
  | { t: 'num'; v: number }
  | { t: 'ref'; n: number; g: number }
  | { t: 'str'; raw: string }
  | { t: 'arr'; v: Value[] }
  | { t: 'dict'; v: Map<string, Value> }
  | { t: 'kw'; v: string };

interface PdfObject {
  n: number;
  g: number;
  value: Value;
  stream?: string;
}

const WS = /[\0\t\n\f\r ]/;
const DELIM = /[()<>[\]{}/%]/;

class Parser {
  constructor(
    private readonly s: string,
    public pos: number,
  ) {}

  skip(): void {
    for (;;) {
      while (this.pos < this.s.length && WS.test(this.s[this.pos]!)) this.pos++;
      if (this.s[this.pos] !== '%') return;
      while (this.pos < this.s.length && this.s[this.pos] !== '\n' && this.s[this.pos] !== '\r') this.pos++;
    }
  }

  atEnd(): boolean {
    this.skip();
    return this.pos >= this.s.length;
  }

  startsWith(word: string): boolean {
    this.skip();
    return this.s.startsWith(word, this.pos);
  }

  private word(): string {
    const start = this.pos;
    while (this.pos < this.s.length && !WS.test(this.s[this.pos]!) && !DELIM.test(this.s[this.pos]!))
      this.pos++;
    return this.s.slice(start, this.pos);
  }

  value(depth = 0): Value {
    if (depth > 64) throw new Error('nested too deeply');
    this.skip();
    const c = this.s[this.pos];
    if (c === undefined) throw new Error('unexpected end');
    if (this.s.startsWith('<<', this.pos)) {
      this.pos += 2;
      const map = new Map<string, Value>();
      for (;;) {
        this.skip();
        if (this.s.startsWith('>>', this.pos)) {
          this.pos += 2;
          return { t: 'dict', v: map };
        }
        const key = this.value(depth + 1);
        if (key.t !== 'name') throw new Error('dictionary key is not a name');
        map.set(key.v, this.value(depth + 1));
      }
    }
    if (c === '<') {
      const end = this.s.indexOf('>', this.pos);
      if (end < 0) throw new Error('unterminated hex string');
      const raw = this.s.slice(this.pos, end + 1);
      this.pos = end + 1;
      return { t: 'str', raw: raw.replace(/\s+/g, '') };
    }
    if (c === '(') {
      const start = this.pos;
      let level = 0;
      for (; this.pos < this.s.length; this.pos++) {
        const ch = this.s[this.pos];
        if (ch === '\\') this.pos++;
        else if (ch === '(') level++;
        else if (ch === ')' && --level === 0) break;
      }
      if (level !== 0) throw new Error('unterminated string');
      this.pos++;
      return { t: 'str', raw: this.s.slice(start, this.pos) };
    }
    if (c === '[') {
      this.pos++;
      const items: Value[] = [];
      for (;;) {
        this.skip();
        if (this.s[this.pos] === ']') {
          this.pos++;
          return { t: 'arr', v: items };
        }
        items.push(this.value(depth + 1));
      }
    }
    if (c === '/') {
      this.pos++;
      return { t: 'name', v: this.word() };
    }
    const word = this.word();
    if (word === '') throw new Error(`unexpected ${c}`);
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) {
      // `n g R` is a reference.
      const reference = /[\0\t\n\f\r ]+(\d+)[\0\t\n\f\r ]+R(?![^\0\t\n\f\r ()<>[\]{}/%])/y;
      reference.lastIndex = this.pos;
      const match = /^\d+$/.test(word) ? reference.exec(this.s) : null;
      if (match) {
        this.pos = reference.lastIndex;
        return { t: 'ref', n: Number(word), g: Number(match[1]) };
      }
      return { t: 'num', v: Number(word) };
    }
    return { t: 'kw', v: word };
  }

  /** `n g obj … endobj`, with its stream when it has one. */
  object(): PdfObject {
    this.skip();
    const head = /(\d+)[\0\t\n\f\r ]+(\d+)[\0\t\n\f\r ]+obj/y;
    head.lastIndex = this.pos;
    const match = head.exec(this.s);
    if (!match) throw new Error('not an object');
    this.pos = head.lastIndex;
    const value = this.value();
    const object: PdfObject = { n: Number(match[1]), g: Number(match[2]), value };
    if (this.startsWith('stream')) {
      this.pos += 'stream'.length;
      if (this.s[this.pos] === '\r') this.pos++;
      if (this.s[this.pos] === '\n') this.pos++;
      const length = value.t === 'dict' ? value.v.get('Length') : undefined;
      const end =
        length?.t === 'num' && this.s.startsWith('endstream', this.skipFrom(this.pos + length.v))
          ? this.pos + length.v
          : this.s.indexOf('endstream', this.pos);
      if (end < 0) throw new Error('unterminated stream');
      object.stream = this.s.slice(this.pos, end);
      this.pos = this.skipFrom(end) + 'endstream'.length;
    }
    if (!this.startsWith('endobj')) throw new Error('object without endobj');
    this.pos += 'endobj'.length;
    return object;
  }

  private skipFrom(pos: number): number {
    const saved = this.pos;
    this.pos = pos;
    this.skip();
    const out = this.pos;
    this.pos = saved;
    return out;
  }
}

/** A value written out the same way whatever its spacing: to compare two versions of a dictionary. */
function show(value: Value): string {
  switch (value.t) {
    case 'name':
      return `/${value.v}`;
    case 'num':
      return String(value.v);
    case 'ref':
      return `${value.n} ${value.g} R`;
    case 'str':
      return value.raw;
    case 'kw':
      return value.v;
    case 'arr':
      return `[${value.v.map(show).join(' ')}]`;
    case 'dict':
      return `<<${[...value.v.entries()].map(([k, v]) => `/${k} ${show(v)}`).join(' ')}>>`;
  }
}

const nameOf = (value: Value | undefined) => (value?.t === 'name' ? value.v : undefined);
const entry = (object: PdfObject | undefined, key: string) =>
  object?.value.t === 'dict' ? object.value.v.get(key) : undefined;
const refs = (value: Value | undefined): { n: number; g: number }[] =>
  value?.t === 'arr' ? value.v.flatMap((v) => (v.t === 'ref' ? [{ n: v.n, g: v.g }] : [])) : [];
const lastRoot = (text: string) => {
  const all = [...text.matchAll(/\/Root[\0\t\n\f\r ]*(\d+)[\0\t\n\f\r ]+(\d+)[\0\t\n\f\r ]+R/g)];
  const last = all[all.length - 1];
  return last ? { n: Number(last[1]), g: Number(last[2]) } : undefined;
};

function describeObject(object: PdfObject): string {
  const type = nameOf(entry(object, 'Type'));
  const subtype = nameOf(entry(object, 'Subtype'));
  const what = [type && `/Type /${type}`, subtype && `/Subtype /${subtype}`].filter(Boolean).join(' ');
  return `${object.n} ${object.g} obj${what ? ` (${what})` : object.stream !== undefined ? ' (stream)' : ''}`;
}

function decode(object: PdfObject): Buffer | undefined {
  if (object.stream === undefined) return undefined;
  const bytes = Buffer.from(object.stream, 'latin1');
  const filter = entry(object, 'Filter');
  const filters = filter?.t === 'arr' ? filter.v.map(nameOf) : filter ? [nameOf(filter)] : [];
  try {
    if (filters.length === 0) return bytes;
    if (filters.length === 1 && filters[0] === 'FlateDecode') return inflateSync(bytes);
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Checks what follows `signedEnd` (the end of a signature's /ByteRange) in `pdf`: nothing, or
 * incremental updates that add only a document security store.
 */
export function checkUpdateAfterSignature(pdf: Buffer, signedEnd: number): UpdateAfterSignature {
  const text = pdf.toString('latin1');
  const signedText = text.slice(0, signedEnd);
  const parser = new Parser(text, signedEnd);
  const added = new Map<number, PdfObject>();
  try {
    while (!parser.atEnd()) {
      if (parser.startsWith('xref')) {
        const trailer = text.indexOf('trailer', parser.pos);
        if (trailer < 0) return { ok: false, change: 'xref' };
        parser.pos = trailer + 'trailer'.length;
        if (parser.value().t !== 'dict') return { ok: false, change: 'trailer' };
      } else if (parser.startsWith('startxref')) {
        parser.pos += 'startxref'.length;
        if (parser.value().t !== 'num') return { ok: false, change: 'startxref' };
      } else {
        const object = parser.object();
        added.set(object.n, object);
      }
    }
  } catch (error) {
    return { ok: false, change: `bytes at ${parser.pos} (${(error as Error).message})` };
  }
  const dss = { certificates: [] as Buffer[], crls: [] as Buffer[], ocspResponses: [] as Buffer[] };
  // Line ends after the last %%EOF change nothing; anything else must be a store.
  if (added.size === 0)
    return /^[\0\t\n\f\r ]*$/.test(text.slice(signedEnd))
      ? { ok: true, dss }
      : { ok: false, change: 'bytes that add no document security store' };

  const oldRoot = lastRoot(signedText);
  const newRoot = lastRoot(text.slice(signedEnd)) ?? oldRoot;
  if (!oldRoot || !newRoot || newRoot.n !== oldRoot.n) return { ok: false, change: 'a new document catalog' };
  const catalog = added.get(newRoot.n);
  if (!catalog) return { ok: false, change: describeObject([...added.values()][0]!) };
  const oldDefinition = [
    ...signedText.matchAll(
      new RegExp(`(?<![0-9])${oldRoot.n}[\\0\\t\\n\\f\\r ]+${oldRoot.g}[\\0\\t\\n\\f\\r ]+obj`, 'g'),
    ),
  ].pop();
  if (oldDefinition?.index === undefined) return { ok: false, change: describeObject(catalog) };
  let oldCatalog: PdfObject;
  try {
    oldCatalog = new Parser(text, oldDefinition.index).object();
  } catch {
    return { ok: false, change: describeObject(catalog) };
  }
  if (catalog.value.t !== 'dict' || oldCatalog.value.t !== 'dict')
    return { ok: false, change: describeObject(catalog) };
  // The new catalog is the old one with /DSS (and the extension level that announces it).
  const unchanged = (dict: Map<string, Value>) =>
    show({ t: 'dict', v: new Map([...dict].filter(([k]) => k !== 'DSS' && k !== 'Extensions')) });
  if (unchanged(catalog.value.v) !== unchanged(oldCatalog.value.v))
    return { ok: false, change: `${describeObject(catalog)}: entries other than /DSS` };

  // Objects the signed revision defines may not be redefined as part of the store.
  const existing = new Set(
    // Matched from the start of a run of digits only: linear over the hex of /Contents.
    [...signedText.matchAll(/(?<![0-9])(\d+)[\0\t\n\f\r ]+\d+[\0\t\n\f\r ]+obj\b/g)].map((m) => Number(m[1])),
  );
  const allowed = new Set<number>([catalog.n]);
  const take = (n: number, into?: Buffer[]) => {
    const object = added.get(n);
    if (!object || existing.has(n)) return undefined;
    allowed.add(n);
    const bytes = decode(object);
    if (into && bytes) into.push(bytes);
    return object;
  };
  const dssRef = entry(catalog, 'DSS');
  const store = dssRef?.t === 'ref' ? take(dssRef.n) : undefined;
  if (store?.value.t === 'dict') {
    for (const r of refs(store.value.v.get('Certs'))) take(r.n, dss.certificates);
    for (const r of refs(store.value.v.get('CRLs'))) take(r.n, dss.crls);
    for (const r of refs(store.value.v.get('OCSPs'))) take(r.n, dss.ocspResponses);
    let vri = store.value.v.get('VRI');
    if (vri?.t === 'ref') vri = take(vri.n)?.value;
    if (vri?.t === 'dict')
      for (let item of vri.v.values()) {
        if (item.t === 'ref') item = take(item.n)?.value ?? item;
        if (item.t !== 'dict') continue;
        for (const r of refs(item.v.get('Cert'))) take(r.n, dss.certificates);
        for (const r of refs(item.v.get('CRL'))) take(r.n, dss.crls);
        for (const r of refs(item.v.get('OCSP'))) take(r.n, dss.ocspResponses);
        const ts = item.v.get('TS');
        if (ts?.t === 'ref') take(ts.n);
      }
  }
  for (const object of added.values()) {
    if (allowed.has(object.n)) continue;
    // A cross-reference stream only indexes the update; compressed objects could hide anything.
    if (nameOf(entry(object, 'Type')) === 'XRef' && !existing.has(object.n)) continue;
    return { ok: false, change: describeObject(object) };
  }
  return { ok: true, dss };
}
