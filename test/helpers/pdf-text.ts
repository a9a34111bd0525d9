import { inflateSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The text of a PDF as written by pdfkit (pdftotext is not installed here): reads the objects,
 * inflates the streams, follows each font resource (/F1 …) to its ToUnicode map and decodes
 * the text operators. One line per text-showing operator.
 */
export function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const objects = new Map<number, { dict: string; stream?: string }>();
  for (const m of source.matchAll(/(\d+) 0 obj\b/g)) {
    const start = m.index! + m[0].length;
    const end = source.indexOf('endobj', start);
    if (end < 0) break;
    const body = source.slice(start, end);
    const streamAt = body.search(/stream\r?\n/);
    if (streamAt < 0) {
      objects.set(Number(m[1]), { dict: body });
      continue;
    }
    const dataStart = start + streamAt + (body[streamAt + 6] === '\r' ? 8 : 7);
    const dataEnd = source.indexOf('endstream', dataStart);
    const raw = pdf.subarray(dataStart, dataEnd);
    let stream: string;
    try {
      stream = inflateSync(raw).toString('latin1');
    } catch {
      stream = raw.toString('latin1');
    }
    objects.set(Number(m[1]), { dict: body.slice(0, streamAt), stream });
  }

  const utf16 = (hex: string) => Buffer.from(hex.replace(/\s+/g, ''), 'hex').swap16().toString('utf16le');
  const cmapOf = (fontObject: number): Map<string, string> => {
    const map = new Map<string, string>();
    const ref = /\/ToUnicode (\d+) 0 R/.exec(objects.get(fontObject)?.dict ?? '')?.[1];
    const cmap = ref ? (objects.get(Number(ref))?.stream ?? '') : '';
    // pdfkit writes <first> <last> [<unicode> …] ranges; a ligature lists several code units.
    for (const m of cmap.matchAll(/<([0-9a-fA-F]{4})>\s*<[0-9a-fA-F]{4}>\s*\[([^\]]*)\]/g)) {
      const first = parseInt(m[1]!, 16);
      [...m[2]!.matchAll(/<([0-9a-fA-F ]+)>/g)].forEach((v, i) =>
        map.set((first + i).toString(16).padStart(4, '0'), utf16(v[1]!)),
      );
    }
    return map;
  };
  const fonts = new Map<string, Map<string, string>>();
  for (const { dict } of objects.values()) {
    for (const m of dict.matchAll(/\/(F\d+) (\d+) 0 R/g))
      if (!fonts.has(m[1]!)) fonts.set(m[1]!, cmapOf(Number(m[2])));
  }

  const lines: string[] = [];
  for (const { stream } of objects.values()) {
    if (!stream || !/\bBT\b/.test(stream)) continue;
    let map: Map<string, string> | undefined;
    for (const op of stream.matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ/g)) {
      if (op[1] !== undefined) {
        map = fonts.get(op[1]);
        continue;
      }
      let line = '';
      for (const hex of op[2]!.matchAll(/<([0-9a-fA-F]+)>/g)) {
        for (let i = 0; i < hex[1]!.length; i += 4)
          line += map?.get(hex[1]!.slice(i, i + 4).toLowerCase()) ?? '?';
      }
      lines.push(line);
    }
  }
  return lines.join('\n');
}

/**
 * The QR codes printed on the first page of a PDF, read as a person's phone would: the page is
 * rasterised by poppler's `pdftoppm` and the image decoded by zbar's `zbarimg` (Debian packages
 * poppler-utils and zbar-tools), both independent of the code that drew it.
 */
export function pdfQrCodes(pdf: Buffer): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-qr-'));
  try {
    fs.writeFileSync(path.join(dir, 'doc.pdf'), pdf);
    const raster = spawnSync('pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', 'doc.pdf', 'page'], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (raster.error) throw raster.error;
    if (raster.status !== 0) throw new Error(`pdftoppm: ${raster.stderr}`);
    const image = fs.readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('.png'));
    if (!image) throw new Error('pdftoppm wrote no page image');
    const scan = spawnSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', image], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (scan.error) throw scan.error;
    // zbarimg exits 4 when it finds no code: that is an empty answer, not an error.
    if (scan.status !== 0 && scan.status !== 4) throw new Error(`zbarimg: ${scan.stderr}`);
    return scan.stdout.split('\n').filter((line) => line.length > 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
