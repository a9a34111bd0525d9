import { createHash } from 'node:crypto';
import {
  DOMParser,
  XMLSerializer,
  DOMImplementation,
  type Document,
  type Element,
  type Node,
} from '@xmldom/xmldom';
import type { MessageKey, Params } from '../../i18n/index';
import { readUntrustedXml, UnsafeXmlError } from '../xml/read-untrusted';
import { isXmlText } from './canonical-xml';
import { x509, xadesjs } from './crypto-engine';
import {
  ALGORITHM,
  INFO_TYPE,
  KIND_ELEMENT,
  KIND_NS,
  NS,
  OFFICE_ID_TYPE,
  ORGANIZATION_IDENTIFIER_OID,
  PLATFORM_SEAL_ID,
  SEAL_ID_SCHEME,
  officeSealId,
  RECEIPT_KINDS,
  RESERVED_INFO_TYPES,
  type ReceiptFile,
  type ReceiptKind,
  type ReceiptNote,
  type ReceiptParty,
} from './model';

xadesjs.setNodeDependencies({ DOMParser, XMLSerializer, DOMImplementation });

export interface ReceiptReason {
  key: MessageKey;
  params?: Params;
}

export interface ReceiptReport {
  valid: boolean;
  reasons: ReceiptReason[];
  kind?: ReceiptKind;
  receiptId?: string;
  documentId?: string;
  office?: { name: string; id: string; boxAddress: string };
  /** The resident's side: the filer (UPP) or the addressee (sending, UPD). */
  party?: ReceiptParty;
  /** sending: the letter's title. */
  title?: string;
  /** sending, UPD: the case, when the receipt names one. */
  caseReference?: string;
  /** sending, UPD: who sent the letter on the office's behalf. */
  sentBy?: string;
  /** The instants as ISO 8601 UTC (the receipt writes them in Warsaw time with the offset). */
  enteredAt?: string;
  issuedAt?: string;
  /** UPD: when the letter arrived in the addressee's inbox. */
  arrivedAt?: string;
  deemed?: boolean;
  /** UPD, deemed: the Warsaw day the 14 days ran from (YYYY-MM-DD). */
  termFrom?: string;
  notes: ReceiptNote[];
  signer?: { subject: string; issuer: string; notBefore: string; notAfter: string };
  chainTrusted: boolean;
  files: ReceiptFile[];
  logIndex?: number;
  /** Hex SHA-256 of the exact receipt bytes. */
  entryHash: string;
}

export const MAX_RECEIPT_BYTES = 1024 * 1024;

/** How far a signing time may be ahead of the verifier's clock (clocks drift). */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A departure from the expected structure; becomes one reason and stops the reading. */
class Refusal extends Error {
  constructor(readonly reason: ReceiptReason) {
    super(reason.key);
  }
}

const structure = (path: string, expected: string) =>
  new Refusal({ key: 'receipt.verify.structure', params: { path, expected } });
const badValue = (path: string, rule: string) =>
  new Refusal({ key: 'receipt.verify.value', params: { path, rule } });
const badSignature = (detail: string) =>
  new Refusal({ key: 'receipt.verify.signatureStructure', params: { detail } });

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/**
 * The element children of an element. Anything else that is not whitespace (text, comments,
 * processing instructions, CDATA) is refused: comments are not covered by the signature.
 */
function elements(parent: Element, path: string): Element[] {
  const out: Element[] = [];
  for (let node: Node | null = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE) out.push(node as Element);
    else if (node.nodeType === TEXT_NODE && /^[ \t\r\n]*$/.test(node.nodeValue ?? '')) continue;
    else throw structure(path, 'elements only');
  }
  return out;
}

/** Reads child elements in order, each checked by name. */
class Cursor {
  private index = 0;
  private readonly items: Element[];
  constructor(
    parent: Element,
    readonly path: string,
  ) {
    this.items = elements(parent, path);
  }
  peek(ns: string, name: string): boolean {
    const next = this.items[this.index];
    return !!next && next.namespaceURI === ns && next.localName === name;
  }
  take(ns: string, name: string, label = name): Element {
    if (!this.peek(ns, name))
      throw structure(`${this.path}/${this.items[this.index]?.nodeName ?? '(end)'}`, label);
    return this.items[this.index++]!;
  }
  end(): void {
    const extra = this.items[this.index];
    if (extra) throw structure(`${this.path}/${extra.nodeName}`, '(end)');
  }
}

/** Text content of an element that must hold text only, and some. */
function textOf(el: Element, path: string): string {
  let value = '';
  for (let node: Node | null = el.firstChild; node; node = node.nextSibling) {
    if (node.nodeType !== TEXT_NODE) throw structure(path, 'text');
    value += node.nodeValue ?? '';
  }
  if (value.trim() === '') throw badValue(path, 'not empty');
  return value;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Base64 content without the XML white space it may be wrapped with. Strict: decoders skip
 * characters they do not know (a no-break space, say), so a value other readers refuse would
 * otherwise pass here.
 */
function base64Of(el: Element, path: string): string {
  const value = textOf(el, path).replace(/[ \t\r\n]+/g, '');
  if (!BASE64.test(value)) throw badValue(path, 'base64');
  return value;
}

function attribute(el: Element, name: string, path: string): string {
  if (!el.hasAttribute(name)) throw structure(`${path}/@${name}`, 'attribute');
  return el.getAttribute(name) ?? '';
}

function isoTime(el: Element, path: string): string {
  const value = textOf(el, path);
  if (!ISO_TIME.test(value) || Number.isNaN(Date.parse(value)))
    throw badValue(path, 'xs:dateTime with Z or an offset');
  return new Date(value).toISOString();
}

type ParsedContent = Omit<ReceiptReport, 'valid' | 'reasons' | 'chainTrusted' | 'entryHash' | 'signer'> &
  Required<
    Pick<ReceiptReport, 'kind' | 'receiptId' | 'documentId' | 'office' | 'party' | 'enteredAt' | 'issuedAt'>
  >;

function readParty(el: Element, path: string, ns: string, idName: string, idType: string): ReceiptParty {
  const c = new Cursor(el, path);
  const name = textOf(c.take(ns, 'Nazwa'), `${path}/Nazwa`);
  const idEl = c.take(ns, idName);
  c.end();
  return {
    name,
    id: textOf(idEl, `${path}/${idName}`),
    idType: attribute(idEl, idType, `${path}/${idName}`),
  };
}

const readPos = (el: Element, path: string) =>
  readParty(el, path, NS.pos, 'IdentyfikatorPodmiotu', 'TypIdentyfikatora');

function readBox(el: Element, path: string): { name: string; boxAddress: string } {
  const office = readPos(el, path);
  if (office.idType !== OFFICE_ID_TYPE.box)
    throw badValue(`${path}/IdentyfikatorPodmiotu/@TypIdentyfikatora`, OFFICE_ID_TYPE.box);
  return { name: office.name, boxAddress: office.id };
}

function readFile(el: Element, role: ReceiptFile['role'], path: string): ReceiptFile {
  const sha256 = textOf(el, path);
  if (!SHA256_HEX.test(sha256)) throw badValue(path, 'SHA-256, 64 hex digits');
  if (attribute(el, 'Algorytm', path) !== 'SHA-256') throw badValue(`${path}/@Algorytm`, 'SHA-256');
  const size = attribute(el, 'Rozmiar', path);
  if (!/^(0|[1-9]\d{0,15})$/.test(size)) throw badValue(`${path}/@Rozmiar`, 'integer ≥ 0');
  return { role, name: attribute(el, 'NazwaPliku', path), sha256, size: Number(size) };
}

function readLogIndex(value: string, path: string): number {
  if (!/^(0|[1-9]\d{0,15})$/.test(value)) throw badValue(path, 'integer ≥ 0');
  return Number(value);
}

/**
 * The trailing typed entries: files (main first, then attachments), further notes, then the log
 * position last. `typeOf` reads an entry's type; `logIndexIsEntry` is false where the log
 * position is an element of its own.
 */
function readEntries(
  c: Cursor,
  ns: string,
  name: string,
  typeAttribute: string,
  path: string,
  logIndexIsEntry: boolean,
): { files: ReceiptFile[]; notes: ReceiptNote[]; logIndex?: number } {
  const files: ReceiptFile[] = [];
  const notes: ReceiptNote[] = [];
  let logIndex: number | undefined;
  const rule = `${INFO_TYPE.main}, ${INFO_TYPE.attachment}*, (other)*, ${INFO_TYPE.logIndex}?`;
  while (c.peek(ns, name)) {
    const el = c.take(ns, name);
    const type = attribute(el, typeAttribute, path);
    if (logIndex !== undefined) throw badValue(`${path}/@${typeAttribute}`, rule);
    if (files.length === 0) {
      if (type !== INFO_TYPE.main) throw badValue(`${path}/@${typeAttribute}`, rule);
      files.push(readFile(el, 'main', path));
    } else if (type === INFO_TYPE.attachment && notes.length === 0) {
      files.push(readFile(el, 'attachment', path));
    } else if (type === INFO_TYPE.logIndex && logIndexIsEntry) {
      logIndex = readLogIndex(textOf(el, path), path);
    } else if (!RESERVED_INFO_TYPES.includes(type) && !el.hasAttribute('NazwaPliku')) {
      notes.push({ type, value: textOf(el, path) });
    } else throw badValue(`${path}/@${typeAttribute}`, rule);
  }
  if (files.length === 0) throw structure(`${path}`, INFO_TYPE.main);
  return { files, notes, ...(logIndex !== undefined ? { logIndex } : {}) };
}

/** A UPO-family header entry: `InformacjaUzupelniajaca` of exactly this type. */
function takeInfo(c: Cursor, type: string, path: string): string {
  const el = c.take(
    NS.pos,
    'InformacjaUzupelniajaca',
    `InformacjaUzupelniajaca[@TypInformacjiUzupelniajacej=${type}]`,
  );
  if (attribute(el, 'TypInformacjiUzupelniajacej', path) !== type)
    throw badValue(`${path}/@TypInformacjiUzupelniajacej`, type);
  return textOf(el, path);
}

function readUpo(kind: 'UPP' | 'UPD', top: Element, base: string): ParsedContent {
  const c = new Cursor(top, base);
  const t = (name: string) => textOf(c.take(NS.pos, name), `${base}/${name}`);
  const at = (name: string) => isoTime(c.take(NS.pos, name), `${base}/${name}`);
  const receiptId = t('IdentyfikatorPoswiadczenia');
  const infoPath = `${base}/InformacjaUzupelniajaca`;
  if (kind === 'UPP') {
    const box = readBox(c.take(NS.pos, 'Adresat'), `${base}/Adresat`);
    const party = readPos(c.take(NS.pos, 'Nadawca'), `${base}/Nadawca`);
    const enteredAt = at('DataDoreczenia');
    const issuedAt = at('DataWytworzeniaPoswiadczenia');
    const documentId = t('IdentyfikatorDokumentu');
    const officeId = takeInfo(c, INFO_TYPE.officeId, infoPath);
    const entries = readEntries(
      c,
      NS.pos,
      'InformacjaUzupelniajaca',
      'TypInformacjiUzupelniajacej',
      infoPath,
      true,
    );
    c.end();
    return {
      kind,
      receiptId,
      documentId,
      office: { name: box.name, id: officeId, boxAddress: box.boxAddress },
      party,
      enteredAt,
      issuedAt,
      ...entries,
    };
  }
  const box = readBox(
    c.take(NS.pos, 'PodmiotWystawiajacyPoswiadczenie'),
    `${base}/PodmiotWystawiajacyPoswiadczenie`,
  );
  const party = readPos(c.take(NS.pos, 'Adresat'), `${base}/Adresat`);
  const enteredAt = at('DataOdbioru');
  const issuedAt = at('DataUtworzeniaPoswiadczenia');
  const caseReference = c.peek(NS.pos, 'IdentyfikatorSprawy') ? t('IdentyfikatorSprawy') : undefined;
  const documentId = t('IdentyfikatorDokumentu');
  const officeId = takeInfo(c, INFO_TYPE.officeId, infoPath);
  const sentBy = takeInfo(c, INFO_TYPE.sentBy, infoPath);
  const arrivedText = takeInfo(c, INFO_TYPE.arrivedAt, infoPath);
  if (!ISO_TIME.test(arrivedText) || Number.isNaN(Date.parse(arrivedText)))
    throw badValue(infoPath, 'xs:dateTime with Z or an offset');
  const deemedText = takeInfo(c, INFO_TYPE.deemed, infoPath);
  if (deemedText !== 'true' && deemedText !== 'false') throw badValue(infoPath, 'true | false');
  const deemed = deemedText === 'true';
  let termFrom: string | undefined;
  if (deemed) {
    termFrom = takeInfo(c, INFO_TYPE.termFrom, infoPath);
    if (!ISO_DAY.test(termFrom)) throw badValue(infoPath, 'YYYY-MM-DD');
  }
  const entries = readEntries(
    c,
    NS.pos,
    'InformacjaUzupelniajaca',
    'TypInformacjiUzupelniajacej',
    infoPath,
    true,
  );
  c.end();
  return {
    kind,
    receiptId,
    documentId,
    office: { name: box.name, id: officeId, boxAddress: box.boxAddress },
    party,
    ...(caseReference !== undefined ? { caseReference } : {}),
    sentBy,
    enteredAt,
    issuedAt,
    arrivedAt: new Date(arrivedText).toISOString(),
    deemed,
    ...(termFrom !== undefined ? { termFrom } : {}),
    ...entries,
  };
}

function readSending(top: Element, base: string): ParsedContent {
  const c = new Cursor(top, base);
  const t = (name: string) => textOf(c.take(NS.dw, name), `${base}/${name}`);
  const receiptId = t('IdentyfikatorDowodu');
  const title = t('Tytul');
  const caseReference = c.peek(NS.dw, 'ZnakSprawy') ? t('ZnakSprawy') : undefined;
  const senderPath = `${base}/Nadawca`;
  const s = new Cursor(c.take(NS.dw, 'Nadawca'), senderPath);
  const st = (name: string) => textOf(s.take(NS.dw, name), `${senderPath}/${name}`);
  const office = { name: st('Nazwa'), id: st('IdentyfikatorUrzedu'), boxAddress: st('AdresSkrytki') };
  const sender = readParty(
    s.take(NS.dw, 'Wysylajacy'),
    `${senderPath}/Wysylajacy`,
    NS.dw,
    'Identyfikator',
    'Typ',
  );
  s.end();
  const party = readParty(c.take(NS.dw, 'Adresat'), `${base}/Adresat`, NS.dw, 'Identyfikator', 'Typ');
  const enteredAt = isoTime(c.take(NS.dw, 'DataWyslania'), `${base}/DataWyslania`);
  const issuedAt = isoTime(c.take(NS.dw, 'DataWytworzeniaDowodu'), `${base}/DataWytworzeniaDowodu`);
  const documentId = t('IdentyfikatorDokumentu');
  const files = readEntries(c, NS.dw, 'Plik', 'Rola', `${base}/Plik`, false);
  const notes: ReceiptNote[] = [];
  while (c.peek(NS.dw, 'InformacjaUzupelniajaca')) {
    const path = `${base}/InformacjaUzupelniajaca`;
    const el = c.take(NS.dw, 'InformacjaUzupelniajaca');
    const type = attribute(el, 'Typ', path);
    if (RESERVED_INFO_TYPES.includes(type)) throw badValue(`${path}/@Typ`, '(not reserved)');
    notes.push({ type, value: textOf(el, path) });
  }
  const logIndex = c.peek(NS.dw, 'PozycjaWRejestrze')
    ? readLogIndex(t('PozycjaWRejestrze'), `${base}/PozycjaWRejestrze`)
    : undefined;
  c.end();
  return {
    kind: 'sending',
    receiptId,
    documentId,
    office,
    party,
    title,
    ...(caseReference !== undefined ? { caseReference } : {}),
    sentBy: sender.name,
    enteredAt,
    issuedAt,
    files: files.files,
    notes,
    ...(logIndex !== undefined ? { logIndex } : {}),
  };
}

function readContent(root: Element): ParsedContent {
  const path = '/Dokument';
  const top = elements(root, path)[0];
  const kind = RECEIPT_KINDS.find(
    (k) =>
      top?.namespaceURI === KIND_NS[k] &&
      root.namespaceURI === KIND_NS[k] &&
      top.localName === KIND_ELEMENT[k],
  );
  if (!top || !kind) throw structure(`${path}/${top?.nodeName ?? '(end)'}`, 'UPP | DowodWyslania | UPD');
  const base = `${path}/${KIND_ELEMENT[kind]}`;
  return kind === 'sending' ? readSending(top, base) : readUpo(kind, top, base);
}

interface ParsedSignature {
  element: Element;
  certificateBase64: string;
  certificateDigest: string;
  signingTime: string;
}

function expectAlgorithm(el: Element, expected: string[], path: string): void {
  const value = el.getAttribute('Algorithm') ?? '';
  if (!expected.includes(value)) throw badSignature(`${path}: ${value || '(none)'}`);
}

/** Elements of the whole document carrying an id attribute with this value (xmldsig looks up Id, ID and id). */
function countIds(root: Element, id: string): number {
  let count = 0;
  const visit = (el: Element) => {
    if (['Id', 'ID', 'id'].some((a) => el.getAttribute(a) === id)) count++;
    for (let n: Node | null = el.firstChild; n; n = n.nextSibling)
      if (n.nodeType === ELEMENT_NODE) visit(n as Element);
  };
  visit(root);
  return count;
}

/**
 * The signature must be exactly ours: one reference to the whole document (enveloped, exclusive
 * c14n) and one to the signed properties, so a valid signature over some other part of the
 * file can never pass for a valid receipt.
 */
function readSignature(root: Element, signature: Element): ParsedSignature {
  const sigId = attribute(signature, 'Id', 'ds:Signature');
  const c = new Cursor(signature, '/Dokument/Signature');
  const signedInfo = c.take(NS.ds, 'SignedInfo');
  const signatureValue = c.take(NS.ds, 'SignatureValue');
  const keyInfo = c.take(NS.ds, 'KeyInfo');
  const object = c.take(NS.ds, 'Object');
  c.end();
  base64Of(signatureValue, 'SignatureValue');

  const si = new Cursor(signedInfo, 'SignedInfo');
  expectAlgorithm(si.take(NS.ds, 'CanonicalizationMethod'), [ALGORITHM.excC14n], 'CanonicalizationMethod');
  expectAlgorithm(
    si.take(NS.ds, 'SignatureMethod'),
    [ALGORITHM.ecdsaSha256, ALGORITHM.rsaSha256],
    'SignatureMethod',
  );
  const documentRef = si.take(NS.ds, 'Reference');
  const propertiesRef = si.take(NS.ds, 'Reference');
  si.end();

  const readReference = (ref: Element, transforms: string[], label: string) => {
    const r = new Cursor(ref, label);
    const t = new Cursor(r.take(NS.ds, 'Transforms'), `${label}/Transforms`);
    for (const algorithm of transforms)
      expectAlgorithm(t.take(NS.ds, 'Transform'), [algorithm], `${label}/Transform`);
    t.end();
    expectAlgorithm(r.take(NS.ds, 'DigestMethod'), [ALGORITHM.sha256], `${label}/DigestMethod`);
    base64Of(r.take(NS.ds, 'DigestValue'), `${label}/DigestValue`);
    r.end();
  };
  if (documentRef.getAttribute('URI') !== '' || !documentRef.hasAttribute('URI'))
    throw badSignature('Reference[1]/@URI must be ""');
  readReference(documentRef, [ALGORITHM.enveloped, ALGORITHM.excC14n], 'Reference[1]');
  if (propertiesRef.getAttribute('Type') !== ALGORITHM.signedPropertiesType)
    throw badSignature('Reference[2]/@Type');
  readReference(propertiesRef, [ALGORITHM.excC14n], 'Reference[2]');

  const k = new Cursor(keyInfo, 'KeyInfo');
  const x509Data = new Cursor(k.take(NS.ds, 'X509Data'), 'KeyInfo/X509Data');
  k.end();
  const certificateBase64 = base64Of(x509Data.take(NS.ds, 'X509Certificate'), 'X509Certificate');
  x509Data.end();

  const o = new Cursor(object, 'Object');
  const qualifying = o.take(NS.xades, 'QualifyingProperties');
  o.end();
  if (qualifying.getAttribute('Target') !== `#${sigId}`) throw badSignature('QualifyingProperties/@Target');
  const q = new Cursor(qualifying, 'QualifyingProperties');
  const signedProperties = q.take(NS.xades, 'SignedProperties');
  q.end();
  const propertiesId = attribute(signedProperties, 'Id', 'SignedProperties');
  if (propertiesRef.getAttribute('URI') !== `#${propertiesId}`)
    throw badSignature('Reference[2]/@URI must point to SignedProperties');

  const sp = new Cursor(signedProperties, 'SignedProperties');
  const ssp = new Cursor(sp.take(NS.xades, 'SignedSignatureProperties'), 'SignedSignatureProperties');
  const signingTime = isoTime(ssp.take(NS.xades, 'SigningTime'), 'SigningTime');
  const scv2 = new Cursor(ssp.take(NS.xades, 'SigningCertificateV2'), 'SigningCertificateV2');
  const cert = new Cursor(scv2.take(NS.xades, 'Cert'), 'SigningCertificateV2/Cert');
  scv2.end();
  const certDigest = new Cursor(cert.take(NS.xades, 'CertDigest'), 'CertDigest');
  cert.end();
  ssp.end();
  expectAlgorithm(certDigest.take(NS.ds, 'DigestMethod'), [ALGORITHM.sha256], 'CertDigest/DigestMethod');
  const certificateDigest = base64Of(certDigest.take(NS.ds, 'DigestValue'), 'CertDigest/DigestValue');
  certDigest.end();
  const sdop = new Cursor(sp.take(NS.xades, 'SignedDataObjectProperties'), 'SignedDataObjectProperties');
  const format = sdop.take(NS.xades, 'DataObjectFormat');
  sdop.end();
  sp.end();
  const documentRefId = documentRef.getAttribute('Id');
  if (!documentRefId || format.getAttribute('ObjectReference') !== `#${documentRefId}`)
    throw badSignature('DataObjectFormat/@ObjectReference');
  const f = new Cursor(format, 'DataObjectFormat');
  textOf(f.take(NS.xades, 'MimeType'), 'MimeType');
  f.end();
  // Last, once the whole tree is known to be exactly ours (and so shallow): no second element
  // may carry the id the reference points to.
  if (countIds(root, propertiesId) !== 1) throw badSignature(`the id "${propertiesId}" must occur once`);

  return { element: signature, certificateBase64, certificateDigest, signingTime };
}

/** `<?xml` followed by white space or `?>`: an XML declaration (not a PI such as `<?xml-stylesheet`). */
const DECLARATION_START = /^<\?xml[ \t\r\n?]/;
const SPACE = '[ \\t\\r\\n]';
/** XMLDecl of XML 1.0 (§2.8), version 1.0 only; the encoding name is captured. */
const XML_DECLARATION = new RegExp(
  `^<\\?xml${SPACE}+version${SPACE}*=${SPACE}*(?:"1\\.0"|'1\\.0')` +
    `(?:${SPACE}+encoding${SPACE}*=${SPACE}*(?:"([A-Za-z][A-Za-z0-9._-]*)"|'([A-Za-z][A-Za-z0-9._-]*)'))?` +
    `(?:${SPACE}+standalone${SPACE}*=${SPACE}*(?:"(?:yes|no)"|'(?:yes|no)'))?${SPACE}*\\?>`,
);

/**
 * The XML declaration, if any, must be exactly what XML 1.0 allows and name UTF-8: the bytes are
 * read as UTF-8, so a declaration of another encoding (or version) would make other XML readers,
 * xmlsec1 among them, see other text than this verifier does.
 */
function checkDeclaration(text: string): void {
  if (!DECLARATION_START.test(text)) return;
  const match = XML_DECLARATION.exec(text);
  if (!match) throw new Refusal({ key: 'receipt.verify.malformed', params: { detail: 'XML declaration' } });
  const encoding = match[1] ?? match[2];
  if (encoding !== undefined && encoding.toLowerCase() !== 'utf-8')
    throw new Refusal({ key: 'receipt.verify.notUtf8' });
}

const NAME_START =
  ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
/** The Name production of XML 1.0 (5th edition), which xmldom does not enforce. */
const XML_NAME = new RegExp(
  // eslint-disable-next-line no-misleading-character-class -- a range of combining marks, as the production lists it
  `^[${NAME_START}][${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040]*$`,
  'u',
);

/** Every element and attribute name a Name (xmldom accepts, for one, a prefix starting with U+F0000). */
function checkNames(root: Element): void {
  const stack: Element[] = [root];
  while (stack.length > 0) {
    const el = stack.pop()!;
    if (!XML_NAME.test(el.nodeName))
      throw new Refusal({ key: 'receipt.verify.malformed', params: { detail: 'an element name' } });
    for (let i = 0; i < el.attributes.length; i++) {
      if (!XML_NAME.test(el.attributes.item(i)!.name))
        throw new Refusal({ key: 'receipt.verify.malformed', params: { detail: 'an attribute name' } });
    }
    for (let n: Node | null = el.firstChild; n; n = n.nextSibling)
      if (n.nodeType === ELEMENT_NODE) stack.push(n as Element);
  }
}

/** XML 1.0's Char production: what a document may contain, literally or as a reference. */
const isXmlChar = (cp: number) =>
  cp === 0x9 ||
  cp === 0xa ||
  cp === 0xd ||
  (cp >= 0x20 && cp <= 0xd7ff) ||
  (cp >= 0xe000 && cp <= 0xfffd) ||
  (cp >= 0x10000 && cp <= 0x10ffff);

/**
 * xmldom turns "&#x1B;" into an escape character although XML forbids it even as a reference;
 * such a receipt is not XML, and its text could drive a terminal.
 */
function refuseForbiddenCharacters(text: string): void {
  for (const m of text.matchAll(/&#(?:x([0-9a-fA-F]{1,8})|([0-9]{1,10}));/g)) {
    const cp = m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
    if (!isXmlChar(cp))
      throw new Refusal({
        key: 'receipt.verify.malformed',
        params: { detail: `a reference to a character XML does not allow (${m[0]})` },
      });
  }
  for (const ch of text) {
    if (!isXmlChar(ch.codePointAt(0)!))
      throw new Refusal({
        key: 'receipt.verify.malformed',
        params: {
          detail: `a character XML does not allow (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`,
        },
      });
  }
}

function parse(text: string): Document {
  refuseForbiddenCharacters(text);
  let doc: Document;
  try {
    doc = readUntrustedXml(text);
  } catch (error) {
    if (!(error instanceof UnsafeXmlError)) throw error;
    if (error.rule === 'xml-dtd') throw new Refusal({ key: 'receipt.verify.doctype' });
    throw new Refusal({ key: 'receipt.verify.malformed', params: { detail: error.detail } });
  }
  for (let node: Node | null = doc.firstChild; node; node = node.nextSibling) {
    const whitespace = node.nodeType === TEXT_NODE && /^[ \t\r\n]*$/.test(node.nodeValue ?? '');
    // The declaration only where checkDeclaration saw it: first, at the very start of the text.
    const declaration =
      node.nodeType === 7 &&
      node.nodeName === 'xml' &&
      node === doc.firstChild &&
      DECLARATION_START.test(text);
    if (node.nodeType !== ELEMENT_NODE && !whitespace && !declaration)
      throw structure('/', 'one element and no comments');
  }
  checkNames(doc.documentElement!);
  return doc;
}

async function checkSignatureValue(doc: Document, signature: Element): Promise<ReceiptReason | undefined> {
  try {
    const signed = new xadesjs.SignedXml(doc as unknown as globalThis.Document);
    signed.LoadXml(signature as unknown as globalThis.Element);
    if (await signed.Verify()) return undefined;
    return { key: 'receipt.verify.signatureInvalid' };
  } catch (error) {
    // xml-core's XmlError is not an Error instance: read its message as a field.
    const message = String((error as { message?: unknown } | undefined)?.message ?? error);
    if (message.includes("Invalid digest for uri ''")) return { key: 'receipt.verify.documentChanged' };
    if (message.includes('Invalid digest for uri')) return { key: 'receipt.verify.signedPropertiesChanged' };
    return { key: 'receipt.verify.signatureInvalid' };
  }
}

const sameName = (a: x509.Name, b: x509.Name) =>
  Buffer.from(a.toArrayBuffer()).equals(Buffer.from(b.toArrayBuffer()));

/**
 * The chain from the signer up to one of the trusted certificates: each link's signature, each
 * certificate valid at the signing time, issuers marked as CAs, the signer's key usage.
 */
export async function checkChain(
  signer: x509.X509Certificate,
  trustedCaPems: string[],
  signingTime: Date,
): Promise<ReceiptReason[]> {
  const trusted = trustedCaPems.map((pem) => new x509.X509Certificate(pem));
  // Extensions are decoded on first use: a damaged one is an unreadable certificate, not an
  // exception, and no chain can be built from it.
  try {
    void signer.extensions;
  } catch {
    return [
      { key: 'receipt.verify.certificateUnreadable' },
      { key: 'receipt.verify.chainUntrusted', params: { subject: signer.subject } },
    ];
  }
  const reasons: ReceiptReason[] = [];
  const validAt = (cert: x509.X509Certificate) => {
    if (cert.notBefore.getTime() > signingTime.getTime() || cert.notAfter.getTime() < signingTime.getTime()) {
      reasons.push({
        key: 'receipt.verify.certificateNotValidAtSigning',
        params: {
          subject: cert.subject,
          signingTime: signingTime.toISOString(),
          notBefore: cert.notBefore.toISOString(),
          notAfter: cert.notAfter.toISOString(),
        },
      });
    }
  };
  const usage = signer.getExtension(x509.KeyUsagesExtension);
  const sealUsage = x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation;
  if (!usage || (usage.usages & sealUsage) === 0)
    reasons.push({ key: 'receipt.verify.notASealCertificate', params: { subject: signer.subject } });
  validAt(signer);

  let current = signer;
  for (let depth = 0; depth < 8; depth++) {
    const issuers = trusted.filter((c) => sameName(c.subjectName, current.issuerName));
    let issuer: x509.X509Certificate | undefined;
    for (const candidate of issuers) {
      // A damaged signature or algorithm identifier makes verify throw: that is "not signed by it".
      if (await current.verify({ publicKey: candidate.publicKey, signatureOnly: true }).catch(() => false)) {
        issuer = candidate;
        break;
      }
    }
    if (!issuer)
      return [...reasons, { key: 'receipt.verify.chainUntrusted', params: { subject: signer.subject } }];
    const constraints = issuer.getExtension(x509.BasicConstraintsExtension);
    const issuerUsage = issuer.getExtension(x509.KeyUsagesExtension);
    if (!constraints?.ca || (issuerUsage && (issuerUsage.usages & x509.KeyUsageFlags.keyCertSign) === 0)) {
      return [...reasons, { key: 'receipt.verify.issuerNotCa', params: { subject: issuer.subject } }];
    }
    validAt(issuer);
    // A trusted certificate that is self-signed ends the chain; an intermediate goes on up.
    if (sameName(issuer.subjectName, issuer.issuerName) || issuer.equal(current)) return reasons;
    current = issuer;
  }
  return [...reasons, { key: 'receipt.verify.chainUntrusted', params: { subject: signer.subject } }];
}

/**
 * The seal must be the seal of the office the receipt names (docs/security.md, row 4):
 * - a certificate that names a seal in this product's scheme (organizationIdentifier
 *   `urzad-online:…`) must name that office's id, and the platform seal never seals a receipt;
 * - a certificate without it (a seal generated before the scheme, or one from an outside CA
 *   that writes its own identifier) is bound by name: its subject O is the office's name and
 *   is not its issuer's O — the installation's CA and the platform seal share one name.
 */
export function checkSealBinding(
  certificate: x509.X509Certificate,
  office: { name: string; id: string },
): ReceiptReason | undefined {
  const identifiers = certificate.subjectName
    .getField(ORGANIZATION_IDENTIFIER_OID)
    .filter((value) => value.startsWith(SEAL_ID_SCHEME));
  if (identifiers.includes(PLATFORM_SEAL_ID)) return { key: 'receipt.verify.platformSeal' };
  if (identifiers.length > 0) {
    if (identifiers.length === 1 && identifiers[0] === officeSealId(office.id)) return undefined;
    return {
      key: 'receipt.verify.sealOfAnotherOffice',
      params: { seal: identifiers.join(', '), officeId: office.id },
    };
  }
  const organisations = certificate.subjectName.getField('O');
  const issuerOrganisations = certificate.issuerName.getField('O');
  if (organisations.length === 1 && organisations[0] === office.name) {
    // The earlier platform seal: named like the installation's CA that issued it.
    if (issuerOrganisations.includes(office.name)) return { key: 'receipt.verify.platformSeal' };
    return undefined;
  }
  return {
    key: 'receipt.verify.sealNotOfOffice',
    params: { organisation: organisations.join(', '), office: office.name },
  };
}

/**
 * Verifies a receipt offline: its structure, its XAdES signature (xadesjs), that the seal is
 * the named office's (`checkSealBinding`), the certificate chain to a trusted CA at signing time, and that the signing time is the time the receipt was made.
 * Valid only when every check passes; each failure is a reason (message key).
 */
export async function verifyReceipt(
  xml: Buffer,
  options: { trustedCaPems: string[]; now?: Date },
): Promise<ReceiptReport> {
  const report: ReceiptReport = {
    valid: false,
    reasons: [],
    chainTrusted: false,
    files: [],
    notes: [],
    entryHash: createHash('sha256').update(xml).digest('hex'),
  };
  const now = options.now ?? new Date();
  try {
    if (xml.length > MAX_RECEIPT_BYTES)
      throw new Refusal({ key: 'receipt.verify.tooLarge', params: { max: MAX_RECEIPT_BYTES } });
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(xml);
    } catch {
      throw new Refusal({ key: 'receipt.verify.notUtf8' });
    }
    checkDeclaration(text);
    // xmldom takes a NUL or another control character for white space; XML and xmlsec1 do not.
    if (!isXmlText(text))
      throw new Refusal({
        key: 'receipt.verify.malformed',
        params: { detail: 'a character XML does not allow' },
      });
    const doc = parse(text);
    const root = doc.documentElement!;
    if ((root.namespaceURI !== NS.pos && root.namespaceURI !== NS.dw) || root.localName !== 'Dokument')
      throw structure('/', 'pos:Dokument | dw:Dokument');
    const top = elements(root, '/Dokument');
    const signatureElement = top[1];
    if (
      top.length !== 2 ||
      !signatureElement ||
      signatureElement.namespaceURI !== NS.ds ||
      signatureElement.localName !== 'Signature'
    ) {
      throw structure('/Dokument', 'UPP | DowodWyslania | UPD, ds:Signature');
    }

    const content = readContent(root);
    Object.assign(report, content);

    const signature = readSignature(root, signatureElement);
    let certificate: x509.X509Certificate;
    try {
      certificate = new x509.X509Certificate(Buffer.from(signature.certificateBase64, 'base64'));
    } catch {
      throw new Refusal({ key: 'receipt.verify.certificateUnreadable' });
    }
    report.signer = {
      subject: certificate.subject,
      issuer: certificate.issuer,
      notBefore: certificate.notBefore.toISOString(),
      notAfter: certificate.notAfter.toISOString(),
    };

    const signatureReason = await checkSignatureValue(doc, signature.element);
    if (signatureReason) report.reasons.push(signatureReason);
    const bindingReason = checkSealBinding(certificate, content.office);
    if (bindingReason) report.reasons.push(bindingReason);
    const certificateDigest = createHash('sha256').update(Buffer.from(certificate.rawData)).digest('base64');
    if (certificateDigest !== signature.certificateDigest)
      report.reasons.push({ key: 'receipt.verify.signingCertificateMismatch' });

    const signingTime = new Date(signature.signingTime);
    if (signingTime.getTime() !== Date.parse(content.issuedAt)) {
      report.reasons.push({
        key: 'receipt.verify.signingTimeMismatch',
        params: { signingTime: signature.signingTime, issuedAt: content.issuedAt },
      });
    }
    if (signingTime.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      report.reasons.push({
        key: 'receipt.verify.signingTimeInFuture',
        params: { signingTime: signature.signingTime },
      });
    }
    const chainReasons = await checkChain(certificate, options.trustedCaPems, signingTime);
    report.chainTrusted = !chainReasons.some(
      (r) => r.key === 'receipt.verify.chainUntrusted' || r.key === 'receipt.verify.issuerNotCa',
    );
    report.reasons.push(...chainReasons);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    report.reasons.push(error.reason);
  }
  report.valid = report.reasons.length === 0 && report.chainTrusted;
  return report;
}
