/**
 * Files built in code for the validator's tests: a small zip writer (with the knobs a hostile
 * sender would turn: symlinks, encryption flags, lying sizes), tar and gzip through the real
 * libraries, and a minimal valid sample of every format in the catalogue.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync, gzipSync, createDeflateRaw } from 'node:zlib';
import * as tar from 'tar-stream';
import PDFDocument from 'pdfkit';
import type { IncomingFile } from '../../src/domain/validation/index';

export interface ZipEntrySpec {
  name: string;
  data?: Buffer;
  /** Stored (0) or deflated (8, default). */
  method?: 0 | 8;
  symlink?: boolean;
  encrypted?: boolean;
  /** Uncompressed size written in the headers instead of the real one. */
  declaredSize?: number;
  /** Name written in the local header when it should differ from the central directory's. */
  localName?: string;
}

const u16 = (value: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value);
  return b;
};
const u32 = (value: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return b;
};

function localHeader(
  name: Buffer,
  flags: number,
  method: number,
  crc: number,
  compressed: number,
  size: number,
): Buffer {
  return Buffer.concat([
    u32(0x04034b50),
    u16(20),
    u16(flags),
    u16(method),
    u16(0),
    u16(0x21),
    u32(crc),
    u32(compressed),
    u32(size),
    u16(name.length),
    u16(0),
    name,
  ]);
}

function centralHeader(
  name: Buffer,
  flags: number,
  method: number,
  crc: number,
  compressed: number,
  size: number,
  external: number,
  offset: number,
): Buffer {
  return Buffer.concat([
    u32(0x02014b50),
    u16((3 << 8) | 20), // made by Unix, so the external attributes carry a file mode
    u16(20),
    u16(flags),
    u16(method),
    u16(0),
    u16(0x21),
    u32(crc),
    u32(compressed),
    u32(size),
    u16(name.length),
    u16(0),
    u16(0),
    u16(0),
    u16(0),
    u32(external),
    u32(offset),
    name,
  ]);
}

function endRecord(count: number, size: number, offset: number): Buffer {
  return Buffer.concat([
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(count),
    u16(count),
    u32(size),
    u32(offset),
    u16(0),
  ]);
}

export function zip(entries: ZipEntrySpec[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = entry.data ?? Buffer.alloc(0);
    const method = entry.method ?? (entry.name.endsWith('/') ? 0 : 8);
    const body = method === 8 ? deflateRawSync(data) : data;
    const crc = crc32(data);
    const flags = 0x800 | (entry.encrypted ? 1 : 0);
    const size = entry.declaredSize ?? data.length;
    const mode = entry.symlink ? 0o120777 : entry.name.endsWith('/') ? 0o040755 : 0o100644;
    const header = localHeader(
      entry.localName ? Buffer.from(entry.localName, 'utf8') : name,
      flags,
      method,
      crc,
      body.length,
      size,
    );
    central.push(centralHeader(name, flags, method, crc, body.length, size, (mode << 16) >>> 0, offset));
    parts.push(header, body);
    offset += header.length + body.length;
  }
  const directory = Buffer.concat(central);
  return Buffer.concat([...parts, directory, endRecord(entries.length, directory.length, offset)]);
}

/**
 * A zip bomb written by streaming: one entry of `size` zero bytes, deflated as it goes, so
 * building it never holds more than a chunk in memory. Headers tell the truth unless `declaredSize`.
 */
export async function zipBombFile(
  file: string,
  size: number,
  options: { declaredSize?: number } = {},
): Promise<void> {
  // A PDF signature, then zeros: the entry passes its magic check, so only the unpacked byte
  // count can stop it.
  const name = Buffer.from('zera.pdf');
  const out = fs.createWriteStream(file);
  const write = async (chunk: Buffer) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  const placeholder = localHeader(name, 0x800 | 0x8, 8, 0, 0, 0);
  await write(placeholder);
  const deflate = createDeflateRaw({ level: 9 });
  let compressed = 0;
  const chunk = Buffer.alloc(1024 * 1024);
  let crc = 0;
  const collected = (async () => {
    for await (const piece of deflate) {
      compressed += (piece as Buffer).length;
      await write(piece as Buffer);
    }
  })();
  const signature = Buffer.from('%PDF-1.7\n');
  crc = crc32(signature, crc);
  deflate.write(signature);
  for (let written = signature.length; written < size; written += chunk.length) {
    const piece = chunk.subarray(0, Math.min(chunk.length, size - written));
    crc = crc32(piece, crc);
    if (!deflate.write(piece)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await collected;
  const declared = options.declaredSize ?? size;
  await write(Buffer.concat([u32(0x08074b50), u32(crc), u32(compressed), u32(declared)]));
  const dataEnd = placeholder.length + compressed + 16;
  const directory = centralHeader(name, 0x800 | 0x8, 8, crc, compressed, declared, (0o100644 << 16) >>> 0, 0);
  await write(Buffer.concat([directory, endRecord(1, directory.length, dataEnd)]));
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

export interface TarEntrySpec {
  name: string;
  data?: Buffer;
  type?: 'file' | 'symlink' | 'link' | 'directory' | 'fifo';
  linkname?: string;
}

export async function tarball(entries: TarEntrySpec[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    if (type === 'file') pack.entry({ name: entry.name }, entry.data ?? Buffer.alloc(0));
    else pack.entry({ name: entry.name, type, linkname: entry.linkname ?? '' });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export const gzip = (data: Buffer): Buffer => gzipSync(data);

export async function pdf(text = 'Wniosek o wydanie zaświadczenia'): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', compress: true });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => doc.on('end', resolve));
  doc.font('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf').text(text);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  return Buffer.concat([u32be(data.length), body, u32be(crc32(body))]);
}
function u32be(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b;
}

/** A real 1×1 PNG. */
export function png(): Buffer {
  const header = Buffer.concat([u32be(1), u32be(1), Buffer.from([8, 2, 0, 0, 0])]);
  const pixels = deflateRawSync(Buffer.from([0, 255, 0, 0]));
  const zlibStream = Buffer.concat([
    Buffer.from([0x78, 0x01]),
    pixels,
    u32be(adler32(Buffer.from([0, 255, 0, 0]))),
  ]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlibStream),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** A real 1×1 baseline JPEG (the smallest well-known valid one). */
export const jpeg = (): Buffer =>
  Buffer.from(
    'ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9',
    'hex',
  );

/** A 1×1 GIF89a. */
export const gif = (): Buffer =>
  Buffer.from(
    '47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b',
    'hex',
  );

/** A 1×1 24-bit BMP (BITMAPINFOHEADER). */
export function bmp(): Buffer {
  const b = Buffer.alloc(58);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(58, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(1, 18);
  b.writeInt32LE(1, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(4, 34);
  return b;
}

/** A little-endian TIFF with one empty IFD. */
export const tiff = (): Buffer => Buffer.concat([Buffer.from('II*\0', 'latin1'), u32(8), u16(0), u32(0)]);

export function wav(): Buffer {
  const data = Buffer.alloc(8);
  return Buffer.concat([
    Buffer.from('RIFF', 'latin1'),
    u32(36 + data.length),
    Buffer.from('WAVEfmt ', 'latin1'),
    u32(16),
    u16(1),
    u16(1),
    u32(8000),
    u32(8000),
    u16(1),
    u16(8),
    Buffer.from('data', 'latin1'),
    u32(data.length),
    data,
  ]);
}

export const avi = (): Buffer =>
  Buffer.concat([
    Buffer.from('RIFF', 'latin1'),
    u32(4 + 12),
    Buffer.from('AVI LIST', 'latin1'),
    u32(4),
    Buffer.from('hdrl', 'latin1'),
  ]);
/** An ID3v2 header followed by one MPEG-1 Layer III frame header. */
export const mp3 = (): Buffer =>
  Buffer.concat([
    Buffer.from('ID3', 'latin1'),
    Buffer.from([3, 0, 0, 0, 0, 0, 0]),
    Buffer.from([0xff, 0xfb, 0x90, 0x64]),
    Buffer.alloc(413),
  ]);
/** An MPEG program stream pack header and end code. */
export const mpeg = (): Buffer => Buffer.from('000001ba4400040004010189c3f8000001b9', 'hex');
export const mp4 = (): Buffer =>
  Buffer.concat([
    u32be(20),
    Buffer.from('ftypisom', 'latin1'),
    u32be(512),
    Buffer.from('isom', 'latin1'),
    u32be(8),
    Buffer.from('free', 'latin1'),
  ]);
export const ogg = (): Buffer =>
  Buffer.concat([Buffer.from('OggS', 'latin1'), Buffer.from([0, 2]), Buffer.alloc(20)]);
export const sevenZip = (): Buffer =>
  Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]), Buffer.alloc(24)]);
export const rar = (): Buffer =>
  Buffer.concat([Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'), Buffer.alloc(16)]);
export const jp2 = (): Buffer =>
  Buffer.concat([
    Buffer.from('0000000c6a5020200d0a870a', 'hex'),
    u32be(20),
    Buffer.from('ftypjp2 ', 'latin1'),
    u32be(0),
    Buffer.from('jp2 ', 'latin1'),
  ]);
export const dwg = (): Buffer => Buffer.concat([Buffer.from('AC1032', 'latin1'), Buffer.alloc(122)]);
export const dxf = (): Buffer => Buffer.from('0\nSECTION\n2\nHEADER\n0\nENDSEC\n0\nEOF\n');
/** The DER prefix of a CMS SignedData (ContentInfo with id-signedData), as a .p7s starts. */
export const cades = (): Buffer =>
  Buffer.from('3082010006092a864886f70d010702a081f23081ef020101310f300d06096086480165030402010500', 'hex');
/**
 * An OLE2 compound file: the header sector and a directory sector naming the root and one
 * stream (`WordDocument`, `Workbook`, `PowerPoint Document`, or an installer's).
 */
export function ole2(stream = 'WordDocument'): Buffer {
  const header = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]);
  const directory = Buffer.alloc(512);
  const entry = (offset: number, name: string, type: number) => {
    directory.write(`${name}\0`, offset, 'utf16le');
    directory.writeUInt16LE((name.length + 1) * 2, offset + 64);
    directory[offset + 66] = type;
  };
  entry(0, 'Root Entry', 5);
  entry(128, stream, 2);
  return Buffer.concat([header, directory]);
}
/** A Windows executable's DOS header ("MZ") with a PE signature. */
export function exe(): Buffer {
  const b = Buffer.alloc(256);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(128, 0x3c);
  b.write('PE\0\0', 128, 'latin1');
  return b;
}

const ODF_TYPES = {
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
} as const;

export function odf(kind: keyof typeof ODF_TYPES): Buffer {
  return zip([
    { name: 'mimetype', data: Buffer.from(ODF_TYPES[kind]), method: 0 },
    {
      name: 'content.xml',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.3"/>',
      ),
    },
    {
      name: 'META-INF/manifest.xml',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="${ODF_TYPES[kind]}"/></manifest:manifest>`,
      ),
    },
  ]);
}

const OOXML_MAIN = {
  docx: [
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
    '/word/document.xml',
  ],
  xlsx: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml', '/xl/workbook.xml'],
  pptx: [
    'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
    '/ppt/presentation.xml',
  ],
} as const;

export function ooxml(kind: keyof typeof OOXML_MAIN): Buffer {
  const [type, part] = OOXML_MAIN[kind];
  return zip([
    {
      name: '[Content_Types].xml',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="${part}" ContentType="${type}"/></Types>`,
      ),
    },
    {
      name: '_rels/.rels',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${part.slice(1)}"/></Relationships>`,
      ),
    },
    { name: part.slice(1), data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><root/>') },
  ]);
}

export function xps(): Buffer {
  return zip([
    {
      name: '[Content_Types].xml',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="fdseq" ContentType="application/vnd.ms-package.xps-fixeddocumentsequence+xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>',
      ),
    },
    {
      name: 'FixedDocSeq.fdseq',
      data: Buffer.from('<FixedDocumentSequence xmlns="http://schemas.microsoft.com/xps/2005/06"/>'),
    },
  ]);
}

export function asice(): Buffer {
  return zip([
    { name: 'mimetype', data: Buffer.from('application/vnd.etsi.asic-e+zip'), method: 0 },
    { name: 'wniosek.pdf', data: Buffer.from('%PDF-1.4\n%%EOF\n') },
    {
      name: 'META-INF/signatures0.xml',
      data: Buffer.from('<asic:XAdESSignatures xmlns:asic="http://uri.etsi.org/02918/v1.2.1#"/>'),
    },
  ]);
}

export const XADES = `<?xml version="1.0" encoding="UTF-8"?>
<wniosek xmlns="urn:example"><tresc>Proszę o zaświadczenie</tresc><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="s1"><ds:SignedInfo/></ds:Signature></wniosek>`;

export const XXE = `<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<foo>&xxe;</foo>`;

export const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>`;

/** Temporary files standing in for staged uploads; `cleanup` removes them all. */
export class StagedFiles {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validation-'));
  private count = 0;

  file(name: string, data: Buffer | string, field = 'attachment'): IncomingFile {
    this.count += 1;
    const file = path.join(this.dir, `staged-${this.count}`);
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    fs.writeFileSync(file, bytes);
    return { field, name, path: file, size: bytes.length };
  }

  /** A path for a file a test writes itself (large files, by streaming). */
  path(): string {
    this.count += 1;
    return path.join(this.dir, `staged-${this.count}`);
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** ASiC-S: one signed file and its CAdES signature; the mimetype entry is optional. */
export function asics(withMimetype = true): Buffer {
  return zip([
    ...(withMimetype
      ? [{ name: 'mimetype', data: Buffer.from('application/vnd.etsi.asic-s+zip'), method: 0 as const }]
      : []),
    { name: 'wniosek.pdf', data: Buffer.from('%PDF-1.4\n%%EOF\n') },
    { name: 'META-INF/signature.p7s', data: cades() },
  ]);
}

/**
 * A valid one-page PDF made synchronously, optionally padded to about `padTo` bytes: for load
 * generators that need many distinct or sized documents quickly.
 */
export function samplePdf(text = 'Wniosek o wydanie zaswiadczenia', padTo = 0): Buffer {
  const padding = padTo > 700 ? `\n% ${'A'.repeat(padTo - 700)}` : '';
  const content = `BT /F1 12 Tf 72 770 Td (${text}) Tj ET${padding}`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
