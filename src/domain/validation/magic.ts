import type { Detector } from '../formats';

/** Bytes read from the start of a file for recognition; every magic check fits in them. */
export const HEAD_BYTES = 64 * 1024;

const ascii = (head: Buffer, offset: number, text: string): boolean =>
  head.length >= offset + text.length && head.toString('latin1', offset, offset + text.length) === text;

const bytes = (head: Buffer, offset: number, values: number[]): boolean =>
  head.length >= offset + values.length && values.every((value, i) => head[offset + i] === value);

/**
 * `%PDF-` in the first 1,024 bytes, as readers allow; but leading bytes may not be another
 * executable format, or an executable with a PDF header inside (a polyglot) would pass.
 */
export const isPdf = (h: Buffer): boolean => {
  const at = h.subarray(0, 1024).indexOf('%PDF-');
  return at === 0 || (at > 0 && !isPeExecutable(h) && !isElf(h) && !isMachO(h) && !isScript(h) && !isZip(h));
};
export const isRtf = (h: Buffer): boolean => ascii(h, 0, '{\\rtf');
export const isOle2 = (h: Buffer): boolean => bytes(h, 0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** Local file header, or the end record of an empty archive. */
export const isZip = (h: Buffer): boolean =>
  bytes(h, 0, [0x50, 0x4b, 0x03, 0x04]) || bytes(h, 0, [0x50, 0x4b, 0x05, 0x06]);
export const isJpeg = (h: Buffer): boolean => bytes(h, 0, [0xff, 0xd8, 0xff]);
export const isTiff = (h: Buffer): boolean =>
  bytes(h, 0, [0x49, 0x49, 0x2a, 0x00]) ||
  bytes(h, 0, [0x4d, 0x4d, 0x00, 0x2a]) ||
  bytes(h, 0, [0x49, 0x49, 0x2b, 0x00]) ||
  bytes(h, 0, [0x4d, 0x4d, 0x00, 0x2b]);
export const isPng = (h: Buffer): boolean => bytes(h, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
export const isGif = (h: Buffer): boolean => ascii(h, 0, 'GIF87a') || ascii(h, 0, 'GIF89a');
/** "BM" alone is too weak (text may start so): the DIB header size must be a known one. */
export const isBmp = (h: Buffer): boolean =>
  ascii(h, 0, 'BM') && h.length >= 18 && [12, 40, 52, 56, 64, 108, 124].includes(h.readUInt32LE(14));
export const isWav = (h: Buffer): boolean => ascii(h, 0, 'RIFF') && ascii(h, 8, 'WAVE');
export const isAvi = (h: Buffer): boolean => ascii(h, 0, 'RIFF') && ascii(h, 8, 'AVI ');
export const isOgg = (h: Buffer): boolean => ascii(h, 0, 'OggS');
export const isMp4 = (h: Buffer): boolean => ascii(h, 4, 'ftyp');
/**
 * An ID3 tag, or an MPEG audio frame header (Layer II or III) with valid version, bit rate and
 * sampling rate. Layer I is left out: its sync word "FF FE" is also the UTF-16 byte order mark.
 */
export const isMp3 = (h: Buffer): boolean => {
  if (ascii(h, 0, 'ID3')) return true;
  if (h.length < 3 || h[0] !== 0xff) return false;
  const b1 = h[1] as number;
  const b2 = h[2] as number;
  const layer = (b1 >> 1) & 3;
  return (
    (b1 & 0xe0) === 0xe0 &&
    ((b1 >> 3) & 3) !== 1 &&
    (layer === 1 || layer === 2) &&
    b2 >> 4 !== 0xf &&
    ((b2 >> 2) & 3) !== 3
  );
};
/** MPEG-1/2 program stream pack header or video sequence header. */
export const isMpeg = (h: Buffer): boolean =>
  bytes(h, 0, [0x00, 0x00, 0x01, 0xba]) || bytes(h, 0, [0x00, 0x00, 0x01, 0xb3]);
export const is7z = (h: Buffer): boolean => bytes(h, 0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]);
export const isRar = (h: Buffer): boolean => ascii(h, 0, 'Rar!\x1a\x07');
export const isGzip = (h: Buffer): boolean => bytes(h, 0, [0x1f, 0x8b, 0x08]);
export const isJp2 = (h: Buffer): boolean =>
  bytes(h, 0, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]);
export const isDwg = (h: Buffer): boolean => /^AC10[0-3]\d/.test(h.toString('latin1', 0, 6));
/** ASCII DXF starts with group code 0 (SECTION) or 999 (comment); binary DXF has its sentinel. */
export const isDxf = (h: Buffer): boolean =>
  ascii(h, 0, 'AutoCAD Binary DXF\r\n\x1a\x00') ||
  /^\s*(0\s*\r?\n\s*SECTION|999\s*\r?\n)/.test(h.toString('latin1', 0, 256));

// 1.2.840.113549.1.7.2, id-signedData, DER-encoded with its tag and length.
const SIGNED_DATA_OID = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]);
/** A DER (or BER) SEQUENCE whose content type is signedData, or the same in PEM armour. */
export const isCades = (h: Buffer): boolean =>
  (h[0] === 0x30 && h.subarray(0, 32).indexOf(SIGNED_DATA_OID) !== -1) ||
  /^-----BEGIN (PKCS7|CMS)-----/.test(h.toString('latin1', 0, 24));

/** A ustar or v7 tar header: the checksum at 148 must equal the sum of the header bytes. */
export const isTar = (h: Buffer): boolean => {
  if (h.length < 512) return false;
  const field = h.toString('latin1', 148, 156).replace(/\0.*$/s, '').trim();
  if (!/^[0-7]{1,7}$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i += 1) sum += i >= 148 && i < 156 ? 0x20 : (h[i] as number);
  return sum === parseInt(field, 8) && h[0] !== 0;
};

export const isPeExecutable = (h: Buffer): boolean => ascii(h, 0, 'MZ');
export const isElf = (h: Buffer): boolean => bytes(h, 0, [0x7f, 0x45, 0x4c, 0x46]);
export const isMachO = (h: Buffer): boolean =>
  [
    [0xfe, 0xed, 0xfa, 0xce],
    [0xfe, 0xed, 0xfa, 0xcf],
    [0xce, 0xfa, 0xed, 0xfe],
    [0xcf, 0xfa, 0xed, 0xfe],
    [0xca, 0xfe, 0xba, 0xbe],
  ].some((m) => bytes(h, 0, m));
export const isScript = (h: Buffer): boolean => ascii(h, 0, '#!');

/** Valid UTF-8 (a sequence cut at the end of the head is fine) and no NUL byte. */
export const looksLikeText = (h: Buffer): boolean => {
  if (h.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(h, { stream: true });
    return true;
  } catch {
    return false;
  }
};

/** Starts, after an optional BOM and white space, with markup. UTF-16 (with BOM) is allowed. */
export const looksLikeXml = (h: Buffer): boolean => {
  if (bytes(h, 0, [0xfe, 0xff]) || bytes(h, 0, [0xff, 0xfe])) return true;
  const start = bytes(h, 0, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  return /^\s*<[?!A-Za-z_:]/.test(h.toString('latin1', start, start + 256));
};

export const looksLikeHtml = (h: Buffer): boolean =>
  /^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(
    h
      .toString('utf8', 0, 1024)
      .replace(/^\uFEFF/, '')
      .replace(/^\s*<!--[\s\S]*?-->/, ''),
  );

/**
 * The first, cheap test of each detector on the head of a file. Text and XML detectors only
 * rule out what cannot be text or markup; the deep checks finish the job.
 */
export const HEAD_TESTS: Record<Detector, (h: Buffer) => boolean> = {
  'utf8-text': looksLikeText,
  csv: looksLikeText,
  html: looksLikeText,
  css: looksLikeText,
  rtf: isRtf,
  pdf: isPdf,
  xps: isZip,
  odf: isZip,
  ooxml: isZip,
  asic: isZip,
  zip: isZip,
  ole2: isOle2,
  jpeg: isJpeg,
  tiff: isTiff,
  png: isPng,
  svg: looksLikeXml,
  xml: looksLikeXml,
  wav: isWav,
  mp3: isMp3,
  avi: isAvi,
  mpeg: isMpeg,
  mp4: isMp4,
  ogg: isOgg,
  tar: isTar,
  gzip: isGzip,
  '7z': is7z,
  cades: isCades,
  gif: isGif,
  bmp: isBmp,
  rar: isRar,
  jp2: isJp2,
  dwg: isDwg,
  dxf: isDxf,
};

/** What a file that matched none of the expected formats turned out to be. */
export type Found =
  | 'exe'
  | 'elf'
  | 'macho'
  | 'script'
  | 'pdf'
  | 'rtf'
  | 'ole2'
  | 'zip'
  | 'odf'
  | 'ooxml'
  | 'xps'
  | 'asic'
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'tiff'
  | 'bmp'
  | 'wav'
  | 'avi'
  | 'ogg'
  | 'mp4'
  | 'mp3'
  | 'mpeg'
  | '7z'
  | 'rar'
  | 'gzip'
  | 'jp2'
  | 'dwg'
  | 'cades'
  | 'tar'
  | 'html'
  | 'xml'
  | 'text'
  | 'binary';

const IDENTIFY: [Found, (h: Buffer) => boolean][] = [
  ['exe', isPeExecutable],
  ['elf', isElf],
  ['macho', isMachO],
  ['script', isScript],
  ['pdf', isPdf],
  ['rtf', isRtf],
  ['ole2', isOle2],
  ['zip', isZip],
  ['png', isPng],
  ['jpeg', isJpeg],
  ['gif', isGif],
  ['tiff', isTiff],
  ['bmp', isBmp],
  ['wav', isWav],
  ['avi', isAvi],
  ['ogg', isOgg],
  ['mp4', isMp4],
  ['7z', is7z],
  ['rar', isRar],
  ['gzip', isGzip],
  ['jp2', isJp2],
  ['dwg', isDwg],
  ['cades', isCades],
  ['tar', isTar],
  ['mpeg', isMpeg],
  ['mp3', isMp3],
  ['html', looksLikeHtml],
  ['xml', (h) => looksLikeXml(h) && looksLikeText(h)],
  ['text', looksLikeText],
];

/** The best name for the content of a file, from its head alone. */
export function identify(head: Buffer): Found {
  for (const [found, test] of IDENTIFY) if (test(head)) return found;
  return 'binary';
}
