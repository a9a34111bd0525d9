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
import { hasBareAmpersand } from '../validation/index';
import { isXmlText } from './canonical-xml';
import { x509, xadesjs } from './crypto-engine';
import {
  ALGORITHM,
  ENTERED_ELEMENT,
  INFO_TYPE,
  KIND_ELEMENT,
  NS,
  OFFICE_ID_TYPE,
  RECEIPT_KINDS,
  type ReceiptFile,
  type ReceiptKind,
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
  office?: { name: string; id: string };
  /** The resident's side: the filer (UPP) or the addressee (sending, UPD). */
  party?: ReceiptParty;
  enteredAt?: string;
  issuedAt?: string;
  deemed?: boolean;
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

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
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
  if (!ISO_TIME.test(value) || Number.isNaN(Date.parse(value))) throw badValue(path, 'ISO 8601 UTC');
  return value;
}

interface ParsedContent {
  kind: ReceiptKind;
  receiptId: string;
  documentId: string;
  office: { name: string; id: string; boxAddress: string };
  party: ReceiptParty;
  enteredAt: string;
  issuedAt: string;
  deemed?: boolean;
  files: ReceiptFile[];
  logIndex?: number;
}

function readParty(el: Element, path: string): ReceiptParty {
  const c = new Cursor(el, path);
  const name = textOf(c.take(NS.pos, 'Nazwa'), `${path}/Nazwa`);
  const idEl = c.take(NS.pos, 'IdentyfikatorPodmiotu');
  c.end();
  return {
    name,
    id: textOf(idEl, `${path}/IdentyfikatorPodmiotu`),
    idType: attribute(idEl, 'TypIdentyfikatora', `${path}/IdentyfikatorPodmiotu`),
  };
}

function readOffice(el: Element, path: string): ParsedContent['office'] {
  const c = new Cursor(el, path);
  const name = textOf(c.take(NS.pos, 'Nazwa'), `${path}/Nazwa`);
  const ids: string[] = [];
  for (const type of [OFFICE_ID_TYPE.office, OFFICE_ID_TYPE.box]) {
    const idPath = `${path}/IdentyfikatorPodmiotu`;
    const idEl = c.take(NS.pos, 'IdentyfikatorPodmiotu');
    if (attribute(idEl, 'TypIdentyfikatora', idPath) !== type)
      throw badValue(`${idPath}/@TypIdentyfikatora`, type);
    ids.push(textOf(idEl, idPath));
  }
  c.end();
  return { name, id: ids[0]!, boxAddress: ids[1]! };
}

function readFile(el: Element, role: ReceiptFile['role'], path: string): ReceiptFile {
  const sha256 = textOf(el, path);
  if (!SHA256_HEX.test(sha256)) throw badValue(path, 'SHA-256, 64 hex digits');
  if (attribute(el, 'Algorytm', path) !== 'SHA-256') throw badValue(`${path}/@Algorytm`, 'SHA-256');
  const size = attribute(el, 'Rozmiar', path);
  if (!/^(0|[1-9]\d{0,15})$/.test(size)) throw badValue(`${path}/@Rozmiar`, 'integer ≥ 0');
  return { role, name: attribute(el, 'NazwaPliku', path), sha256, size: Number(size) };
}

function readContent(root: Element): ParsedContent {
  const path = '/Dokument';
  const top = elements(root, path)[0];
  const kind = RECEIPT_KINDS.find((k) => top?.namespaceURI === NS.pos && top.localName === KIND_ELEMENT[k]);
  if (!top || !kind) throw structure(`${path}/${top?.nodeName ?? '(end)'}`, 'UPP | DowodWyslania | UPD');
  const base = `${path}/${KIND_ELEMENT[kind]}`;
  const c = new Cursor(top, base);
  const receiptId = textOf(
    c.take(NS.pos, 'IdentyfikatorPoswiadczenia'),
    `${base}/IdentyfikatorPoswiadczenia`,
  );
  let office: ParsedContent['office'];
  let party: ReceiptParty;
  if (kind === 'UPP') {
    office = readOffice(c.take(NS.pos, 'Adresat'), `${base}/Adresat`);
    party = readParty(c.take(NS.pos, 'Nadawca'), `${base}/Nadawca`);
  } else {
    party = readParty(c.take(NS.pos, 'Adresat'), `${base}/Adresat`);
    office = readOffice(c.take(NS.pos, 'Nadawca'), `${base}/Nadawca`);
    readParty(c.take(NS.pos, 'Wysylajacy'), `${base}/Wysylajacy`);
  }
  const enteredName = ENTERED_ELEMENT[kind];
  const enteredAt = isoTime(c.take(NS.pos, enteredName), `${base}/${enteredName}`);
  let deemed: boolean | undefined;
  if (kind === 'UPD') {
    const value = textOf(c.take(NS.pos, 'DoreczenieZastepcze'), `${base}/DoreczenieZastepcze`);
    if (value !== 'true' && value !== 'false') throw badValue(`${base}/DoreczenieZastepcze`, 'true | false');
    deemed = value === 'true';
  }
  const issuedAt = isoTime(
    c.take(NS.pos, 'DataWytworzeniaPoswiadczenia'),
    `${base}/DataWytworzeniaPoswiadczenia`,
  );
  const documentId = textOf(c.take(NS.pos, 'IdentyfikatorDokumentu'), `${base}/IdentyfikatorDokumentu`);

  const files: ReceiptFile[] = [];
  let logIndex: number | undefined;
  let senderAuthentication: string | undefined;
  const infoPath = `${base}/InformacjaUzupelniajaca`;
  while (c.peek(NS.pos, 'InformacjaUzupelniajaca')) {
    const el = c.take(NS.pos, 'InformacjaUzupelniajaca');
    const type = attribute(el, 'TypInformacjiUzupelniajacej', infoPath);
    const position = files.length === 0 ? 'first' : logIndex === undefined ? 'middle' : 'after-log';
    // The sender's authentication, when present, comes last.
    if (senderAuthentication !== undefined)
      throw badValue(`${infoPath}/@TypInformacjiUzupelniajacej`, 'nothing after it');
    if (type === INFO_TYPE.main && position === 'first') files.push(readFile(el, 'main', infoPath));
    else if (type === INFO_TYPE.attachment && position === 'middle')
      files.push(readFile(el, 'attachment', infoPath));
    else if (type === INFO_TYPE.logIndex && position === 'middle') {
      const value = textOf(el, infoPath);
      if (!/^(0|[1-9]\d{0,15})$/.test(value)) throw badValue(infoPath, 'integer ≥ 0');
      logIndex = Number(value);
    } else if (
      type === INFO_TYPE.senderAuthentication &&
      kind === 'UPP' &&
      files.length > 0 &&
      senderAuthentication === undefined
    ) {
      senderAuthentication = textOf(el, infoPath);
    } else
      throw badValue(
        `${infoPath}/@TypInformacjiUzupelniajacej`,
        `${INFO_TYPE.main}, ${INFO_TYPE.attachment}*, ${INFO_TYPE.logIndex}?`,
      );
  }
  if (files.length === 0) throw structure(infoPath, INFO_TYPE.main);
  c.end();
  return {
    kind,
    receiptId,
    documentId,
    office,
    party,
    enteredAt,
    issuedAt,
    ...(deemed !== undefined ? { deemed } : {}),
    files,
    ...(logIndex !== undefined ? { logIndex } : {}),
    ...(senderAuthentication !== undefined ? { senderAuthentication } : {}),
  };
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

function parse(text: string): Document {
  const problems: string[] = [];
  let doc: Document;
  try {
    doc = new DOMParser({
      // Warnings too: xmldom only warns about some mistakes, such as an unquoted attribute
      // value, and reads on; no conforming XML reader would accept the file.
      onError: (_level, message) => {
        problems.push(message.split('\n')[0] ?? message);
      },
    }).parseFromString(text, 'text/xml');
  } catch (error) {
    // xmldom throws on fatal errors after reporting them.
    throw new Refusal({
      key: 'receipt.verify.malformed',
      params: { detail: problems[0] ?? String((error as Error).message).split('\n')[0] ?? '' },
    });
  }
  if (problems.length > 0 || !doc.documentElement)
    throw new Refusal({
      key: 'receipt.verify.malformed',
      params: { detail: problems[0] ?? 'no root element' },
    });
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
  checkNames(doc.documentElement);
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
 * Verifies a receipt offline: its structure, its XAdES signature (xadesjs), the certificate chain
 * to a trusted CA at signing time, and that the signing time is the time the receipt was made.
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
    if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new Refusal({ key: 'receipt.verify.doctype' });
    checkDeclaration(text);
    // xmldom takes a NUL or another control character for white space; XML and xmlsec1 do not.
    if (!isXmlText(text))
      throw new Refusal({
        key: 'receipt.verify.malformed',
        params: { detail: 'a character XML does not allow' },
      });
    // Nor does it always complain about an "&" that starts no reference (in an unsigned attribute it would pass).
    if (hasBareAmpersand(text))
      throw new Refusal({ key: 'receipt.verify.malformed', params: { detail: '"&" outside a reference' } });
    const doc = parse(text);
    const root = doc.documentElement!;
    if (root.namespaceURI !== NS.pos || root.localName !== 'Dokument') throw structure('/', 'pos:Dokument');
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
    report.kind = content.kind;
    report.receiptId = content.receiptId;
    report.documentId = content.documentId;
    report.office = { name: content.office.name, id: content.office.id };
    report.party = content.party;
    report.enteredAt = content.enteredAt;
    report.issuedAt = content.issuedAt;
    if (content.deemed !== undefined) report.deemed = content.deemed;
    report.files = content.files;
    if (content.logIndex !== undefined) report.logIndex = content.logIndex;

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
