import { isUtf8 } from 'node:buffer';
import type { Element, Node } from '@xmldom/xmldom';
import type { MessageKey, Params } from '../../i18n/index';
import type { Detector, Format } from '../formats';
import { formatsForExtension } from '../policy';
import { inspectGzip, inspectTar, inspectZip } from './archives';
import { containerKind, containerMatches, readZipContainer } from './containers';
import { readAll, type Content } from './content';
import { extensionOf } from './file-name';
import { HEAD_TESTS, identify, type Found } from './magic';
import { reject, sizeParams, type Session } from './session';
import { Rejection } from './types';
import { decodeXml, readUntrustedXml, UnsafeXmlError } from '../xml/read-untrusted';

const TEXT_DETECTORS = new Set<Detector>(['utf8-text', 'csv', 'html', 'css']);
const XML_DETECTORS = new Set<Detector>(['xml', 'svg']);
const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

const mismatch = (content: Content, extension: string, found: Found) =>
  reject(
    'content-mismatch',
    `validation.found.${found}` satisfies MessageKey,
    content.display,
    { extension },
    415,
  );

/**
 * Checks one file or archive entry against the policy: extension, content, and the deep rules
 * of its format (text, XML, archives, office containers). Returns the format it was accepted as;
 * throws a Rejection otherwise. `depth` is the number of archives around the content.
 */
export async function checkContent(content: Content, depth: number, session: Session): Promise<Format> {
  const { policy } = session;
  const extension = extensionOf(content.name);
  const candidates = formatsForExtension(policy, extension);
  if (candidates.length === 0) {
    if (!extension) throw reject('extension-not-allowed', 'validation.noExtension', content.display, {}, 415);
    throw reject(
      'extension-not-allowed',
      'validation.extensionNotAllowed',
      content.display,
      { extension },
      415,
    );
  }
  if (content.head.length === 0) throw reject('empty-file', 'validation.emptyFile', content.display);

  const uninspectable = candidates.filter((format) => format.archive && !format.archive.inspectable);
  if (uninspectable.length === candidates.length && !policy.acceptUninspectableArchives) {
    throw reject(
      'archive-not-inspectable',
      'validation.archiveNotInspectable',
      content.display,
      { extension },
      415,
    );
  }

  const matching = candidates.filter((format) => HEAD_TESTS[format.detect](content.head));
  const first = matching[0];
  if (!first) {
    const found = identify(content.head);
    if (
      candidates.every((format) => TEXT_DETECTORS.has(format.detect)) &&
      (found === 'binary' || found === 'text')
    ) {
      throw reject('not-utf8', 'validation.notUtf8', content.display);
    }
    if (candidates.every((format) => XML_DETECTORS.has(format.detect)) && found === 'text') {
      throw reject('xml-malformed', 'validation.xmlMalformed', content.display);
    }
    throw mismatch(content, extension, found);
  }
  // Formats sharing an extension share a detector (pdf/PAdES, xml/XAdES); the deep check runs once.
  const sameDetector = matching.filter((format) => format.detect === first.detect);
  return deepCheck(first.detect, sameDetector, content, extension, depth, session);
}

async function deepCheck(
  detector: Detector,
  formats: Format[],
  content: Content,
  extension: string,
  depth: number,
  session: Session,
): Promise<Format> {
  const [first] = formats as [Format, ...Format[]];
  const recurse = async (child: Content, childDepth: number) => {
    await checkContent(child, childDepth, session);
  };
  switch (detector) {
    case 'utf8-text':
    case 'csv':
    case 'css':
    case 'html':
      await checkUtf8(content);
      if (detector === 'html')
        session.findings.push({ key: 'validation.finding.html', params: { file: content.display } });
      return first;
    case 'xml':
    case 'svg': {
      const document = await readXml(content, session);
      const root = document.documentElement as Element;
      if (detector === 'svg') {
        if (root.localName !== 'svg') throw mismatch(content, extension, 'xml');
        if (hasActiveContent(root)) {
          if (session.limits.rejectActiveSvg)
            throw reject('svg-script', 'validation.svgActive', content.display);
          session.findings.push({ key: 'validation.finding.svgActive', params: { file: content.display } });
        }
        return first;
      }
      // XAdES, XMLsig, XMLenc and TSL share ".xml" with plain XML; a signature makes the difference.
      const signed = document.getElementsByTagNameNS(XMLDSIG_NS, 'Signature').length > 0;
      return (
        (signed && formats.find((format) => format.id === 'xades')) ||
        formats.find((format) => format.id !== 'xades') ||
        first
      );
    }
    case 'zip':
      await inspectZip(content, depth, session, recurse);
      return first;
    case 'tar':
      await inspectTar(content, depth, session, recurse);
      return first;
    case 'gzip':
      await inspectGzip(content, depth, session, recurse);
      return first;
    case '7z':
    case 'rar':
      session.findings.push({
        key: 'validation.finding.notInspected',
        params: { file: content.display, extension },
      });
      return first;
    case 'odf':
    case 'ooxml':
    case 'xps':
    case 'asic': {
      const container = await readZipContainer(content, session).catch((error: unknown) => {
        if (error instanceof Rejection) throw error;
        throw reject('archive-corrupt', 'validation.documentCorrupt', content.display);
      });
      const format = formats.find((candidate) => containerMatches(container, detector, candidate.mediaTypes));
      if (!format) throw mismatch(content, extension, containerKind(container));
      return format;
    }
    case 'ole2': {
      const format = await findOle2Format(content, formats);
      if (!format) throw mismatch(content, extension, 'ole2');
      return format;
    }
    default:
      // Binary formats: the magic bytes already matched; nothing more is read.
      return first;
  }
}

/** The stream that makes a compound file a Word, Excel or PowerPoint document. */
const OLE2_STREAMS: Record<string, string[]> = {
  doc: ['WordDocument'],
  xls: ['Workbook', 'Book'],
  ppt: ['PowerPoint Document'],
};

/**
 * Compound files (OLE2) hold Word, Excel and PowerPoint documents, but also installers (MSI)
 * and more: the directory must name the document's main stream. Directory entries are UTF-16LE
 * names that may sit anywhere in the file, so the file is searched as it streams.
 */
async function findOle2Format(content: Content, formats: Format[]): Promise<Format | undefined> {
  const wanted = formats.flatMap((format) =>
    (OLE2_STREAMS[format.id] ?? []).map((name) => ({ format, needle: Buffer.from(`${name}\0`, 'utf16le') })),
  );
  if (wanted.length === 0) return formats[0];
  const overlap = Math.max(...wanted.map((w) => w.needle.length));
  let tail = Buffer.alloc(0);
  for await (const chunk of content.read()) {
    const window = Buffer.concat([tail, chunk]);
    const hit = wanted.find((w) => window.includes(w.needle));
    if (hit) return hit.format;
    tail = window.subarray(Math.max(0, window.length - overlap));
  }
  return undefined;
}

/** Valid UTF-8 to the last byte and no NUL byte (which would make it UTF-16 or binary). */
async function checkUtf8(content: Content): Promise<void> {
  const notUtf8 = () => reject('not-utf8', 'validation.notUtf8', content.display);
  // Validated without decoding to a string (isUtf8 is as strict as a fatal TextDecoder); the
  // bytes of a character cut at a chunk's end go with the next chunk. Only invalid bytes mean
  // "not UTF-8"; a stream error (a size limit) passes through.
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of content.read()) {
    if (chunk.includes(0)) throw notUtf8();
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const end = completeUtf8Length(bytes);
    if (!isUtf8(bytes.subarray(0, end))) throw notUtf8();
    carry = Buffer.from(bytes.subarray(end));
  }
  if (carry.length > 0) throw notUtf8();
}

/** Length of `bytes` without a multi-byte character cut off at its end (at most 3 bytes less). */
function completeUtf8Length(bytes: Buffer): number {
  let start = bytes.length - 1;
  while (start >= 0 && bytes.length - start <= 3 && (bytes[start]! & 0xc0) === 0x80) start -= 1;
  if (start < 0) return bytes.length;
  const lead = bytes[start]!;
  const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return start + needed > bytes.length ? start : bytes.length;
}

async function readXml(content: Content, session: Session) {
  const { maxXmlBytes, maxXmlDepth } = session.limits;
  const bytes = await readAll(content, maxXmlBytes, () =>
    reject('xml-too-large', 'validation.xmlTooLarge', content.display, sizeParams(maxXmlBytes)),
  );
  const text = decodeXml(bytes);
  if (text === undefined) throw reject('not-utf8', 'validation.xmlEncoding', content.display);
  try {
    return readUntrustedXml(text, { maxDepth: maxXmlDepth, maxLength: maxXmlBytes });
  } catch (error) {
    if (!(error instanceof UnsafeXmlError)) throw error;
    const line: Params = error.line !== undefined ? { line: error.line } : {};
    switch (error.rule) {
      case 'xml-dtd':
        throw reject('xml-dtd', 'validation.xmlDtd', content.display, line);
      case 'xml-too-deep':
        throw reject('xml-too-deep', 'validation.xmlTooDeep', content.display, { limit: maxXmlDepth });
      case 'xml-too-large':
        throw reject('xml-too-large', 'validation.xmlTooLarge', content.display, sizeParams(maxXmlBytes));
      default:
        throw reject(
          'xml-malformed',
          error.line !== undefined ? 'validation.xmlMalformedAt' : 'validation.xmlMalformed',
          content.display,
          line,
        );
    }
  }
}

const ACTIVE_ELEMENTS = new Set([
  'script',
  'foreignobject',
  'iframe',
  'embed',
  'object',
  'handler',
  'listener',
]);

const ACTIVE_URL = /(javascript|vbscript):|data:(text\/html|image\/svg)/;

/** Scripts, event handlers, javascript: URLs or foreign objects anywhere in the tree. */
export function hasActiveContent(root: Element): boolean {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (node.nodeType === 1) {
      const element = node as Element;
      if (ACTIVE_ELEMENTS.has((element.localName ?? element.nodeName).toLowerCase())) return true;
      for (let i = 0; i < element.attributes.length; i += 1) {
        const attribute = element.attributes.item(i);
        if (!attribute) continue;
        const name = (attribute.localName ?? attribute.name).toLowerCase();
        if (name.startsWith('on')) return true;
        // Browsers ignore control characters and white space inside the scheme.
        // eslint-disable-next-line no-control-regex -- control characters are what must go
        const value = attribute.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
        // Anywhere in the value: <animate values="x;javascript:…"> switches a link mid-way.
        if (ACTIVE_URL.test(value)) return true;
      }
    }
    for (let child = node.firstChild; child; child = child.nextSibling) stack.push(child);
  }
  return false;
}
