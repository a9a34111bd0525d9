/**
 * The format validator (`checkFiles`) on arbitrary and damaged input. Whatever the bytes, the
 * name and the office's policy: a structured answer (accepted, or problems with a status and a
 * message key), within a time bound. What is accepted passes an oracle written here, apart from
 * the validator's own detectors: the signature of the format, valid UTF-8 for text, a parse with
 * no DTD for XML, an intact zip with the right declaration for office documents. Executables,
 * polyglots and HTML are refused under every binary format's extension; active SVG is flagged or
 * refused, never accepted silently.
 *
 * The validator takes no declared media type: a file's type comes from its name and its bytes only.
 * PDF content (JavaScript, embedded files) is not a rule of docs/validation.md: a PDF is checked by
 * its header only (see docs/fuzzing.md).
 */
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import fc from 'fast-check';
import { FORMATS, formatById, type Format } from '../../src/domain/formats';
import { buildPolicy, type OfficePolicy } from '../../src/domain/policy';
import { checkFiles, type CheckResult, type ValidationOptions } from '../../src/domain/validation/index';
import { hasMessage } from '../../src/i18n/index';
import * as samples from '../helpers/sample-files';
import { fuzzParameters, reportSlowest, timed } from './budget';
import { readZipEntries } from './zip-reader';
import { byteEdits, mutate } from './mutate';

const every = buildPolicy({
  formatIds: FORMATS.map((format) => format.id),
  acceptUninspectableArchives: true,
});
const staged = new samples.StagedFiles();
after(() => {
  staged.cleanup();
  reportSlowest('format validator');
});

async function check(
  policy: OfficePolicy,
  name: string,
  bytes: Buffer,
  options: ValidationOptions = {},
): Promise<CheckResult> {
  const { value } = await timed(() => checkFiles(policy, [staged.file(name, bytes)], options));
  if (value.ok) {
    assert.equal(value.files.length, 1);
  } else {
    assert.ok(value.problems.length >= 1);
    for (const problem of value.problems) {
      assert.ok([413, 415, 422].includes(problem.status), `status ${problem.status}`);
      assert.ok(hasMessage(problem.key), problem.key);
      assert.equal(typeof problem.params.file, 'string');
    }
  }
  return value;
}

const starts = (bytes: Buffer, ...signatures: (string | number[])[]) =>
  signatures.some((signature) => {
    const expected =
      typeof signature === 'string' ? Buffer.from(signature, 'latin1') : Buffer.from(signature);
    return bytes.subarray(0, expected.length).equals(expected);
  });

function parsesAsXml(bytes: Buffer): Element | undefined {
  try {
    return parseStrictly(bytes);
  } catch {
    return undefined; // an encoding the runtime does not know, or bytes invalid in it
  }
}

function parseStrictly(bytes: Buffer): Element | undefined {
  let text: string;
  if (starts(bytes, [0xff, 0xfe])) text = new TextDecoder('utf-16le', { fatal: true }).decode(bytes);
  else if (starts(bytes, [0xfe, 0xff])) text = new TextDecoder('utf-16be', { fatal: true }).decode(bytes);
  else {
    const declared = /^(?:\uFEFF)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(
      bytes.subarray(0, 200).toString('latin1'),
    )?.[1];
    text = new TextDecoder(declared ?? 'utf-8', { fatal: true }).decode(bytes);
  }
  let failed = false;
  const document = new DOMParser({ onError: () => (failed = true) }).parseFromString(text, 'application/xml');
  if (failed || document.doctype || !document.documentElement) return undefined;
  return document.documentElement as unknown as Element;
}

/**
 * What an accepted file of this format must be, written apart from the validator's detectors.
 * Returns a reason when the bytes cannot be that format.
 */
async function oracle(format: Format, bytes: Buffer): Promise<string | undefined> {
  const text = () => isUtf8(bytes) && !bytes.includes(0);
  const zipWith = async (test: (entries: Map<string, Buffer>) => boolean) => {
    try {
      return test(await readZipEntries(bytes));
    } catch {
      // Office documents are read for their declaration only; a damaged part elsewhere is not the validator's business.
      return starts(bytes, 'PK\u0003\u0004');
    }
  };
  const ok = await (async (): Promise<boolean> => {
    switch (format.detect) {
      case 'utf8-text':
      case 'csv':
      case 'html':
      case 'css':
        return text();
      case 'xml':
        return parsesAsXml(bytes) !== undefined;
      case 'svg':
        return parsesAsXml(bytes)?.localName === 'svg';
      case 'pdf':
        return (
          bytes.subarray(0, 1024).includes('%PDF-') &&
          !starts(bytes, 'MZ', [0x7f, 0x45, 0x4c, 0x46], '#!', 'PK')
        );
      case 'rtf':
        return starts(bytes, '{\\rtf');
      case 'ole2':
        return starts(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
      case 'zip':
        return starts(bytes, 'PK\u0003\u0004', 'PK\u0005\u0006');
      case 'ooxml':
      case 'xps':
        return zipWith((entries) => entries.get('[Content_Types].xml') !== undefined);
      case 'odf':
        return zipWith(
          (entries) => (entries.get('mimetype')?.toString().trim() ?? '') === format.mediaTypes[0],
        );
      case 'asic':
        return zipWith(
          (entries) =>
            entries.has('mimetype') || [...entries.keys()].some((name) => name.startsWith('META-INF/')),
        );
      case 'jpeg':
        return starts(bytes, [0xff, 0xd8, 0xff]);
      case 'png':
        return starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      case 'gif':
        return starts(bytes, 'GIF87a', 'GIF89a');
      case 'tiff':
        return starts(bytes, 'II*\u0000', 'MM\u0000*', 'II+\u0000', 'MM\u0000+');
      case 'bmp':
        return starts(bytes, 'BM') && bytes.length >= 18;
      case 'wav':
        return starts(bytes, 'RIFF') && bytes.subarray(8, 12).toString('latin1') === 'WAVE';
      case 'avi':
        return starts(bytes, 'RIFF') && bytes.subarray(8, 12).toString('latin1') === 'AVI ';
      case 'mp3':
        return starts(bytes, 'ID3') || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0);
      case 'mpeg':
        return starts(bytes, [0, 0, 1, 0xba], [0, 0, 1, 0xb3]);
      case 'mp4':
        return bytes.subarray(4, 8).toString('latin1') === 'ftyp';
      case 'ogg':
        return starts(bytes, 'OggS');
      case 'tar':
        return bytes.length >= 512;
      case 'gzip':
        try {
          gunzipSync(bytes, { maxOutputLength: 128 * 1024 * 1024 });
          return true;
        } catch {
          return false;
        }
      case '7z':
        return starts(bytes, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]);
      case 'rar':
        return starts(bytes, 'Rar!\u001a\u0007');
      case 'jp2':
        return starts(bytes, [0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20]);
      case 'dwg':
        return starts(bytes, 'AC10');
      case 'dxf':
        return (
          /^\s*(0|999)\s*\r?\n/.test(bytes.subarray(0, 64).toString('latin1')) ||
          starts(bytes, 'AutoCAD Binary DXF')
        );
      case 'cades':
        return bytes[0] === 0x30 || starts(bytes, '-----BEGIN ');
    }
  })();
  return ok ? undefined : `accepted as ${format.id}, but the bytes are not that format`;
}

/** Accepted ⇒ the cleaned name's extension belongs to the accepted format, the format is on the policy, and the oracle agrees. */
async function assertSoundVerdict(policy: OfficePolicy, result: CheckResult, bytes: Buffer): Promise<void> {
  if (!result.ok) return;
  const [file] = result.files;
  const format = formatById(file!.formatId);
  assert.ok(format, `unknown format ${file!.formatId}`);
  assert.ok(
    policy.formats.some((f) => f.id === format.id),
    `${format.id} is not on the policy`,
  );
  const extension = file!.name.includes('.')
    ? file!.name.slice(file!.name.lastIndexOf('.') + 1).toLowerCase()
    : '';
  assert.ok(format.extensions.includes(extension), `.${extension} accepted as ${format.id}`);
  const problem = await oracle(format, bytes);
  assert.equal(problem, undefined, problem);
}

const policies = fc
  .subarray(
    FORMATS.map((format) => format.id),
    { minLength: 1 },
  )
  .chain((formatIds) =>
    fc
      .boolean()
      .map((acceptUninspectableArchives) => buildPolicy({ formatIds, acceptUninspectableArchives })),
  );

const extensions = [...new Set(FORMATS.flatMap((format) => format.extensions)), 'exe', 'js', 'html.exe', ''];
const names = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc
    .tuple(
      fc.string({ maxLength: 20 }),
      fc.constantFrom(...extensions),
      fc.constantFrom('', ' ', '\u202e', '/', '\\', '\u0000'),
    )
    .map(([stem, extension, trick]) => `${stem}${trick}.${extension}`),
);
const heads = [
  '',
  'PK\u0003\u0004',
  '%PDF-1.7\n',
  '<?xml version="1.0"?>',
  '<svg xmlns="http://www.w3.org/2000/svg">',
  '\u00ef\u00bb\u00bf<',
  '\u00ff\u00fe<\u0000',
  '\u001f\u008b\u0008',
  'MZ',
  '\u007fELF',
  '#!/bin/sh\n',
  '\u00d0\u00cf\u0011\u00e0\u00a1\u00b1\u001a\u00e1',
  'BM',
  'RIFF\u0000\u0000\u0000\u0000WAVE',
  '0\nSECTION\n',
  '\u0030\u0082\u0001\u0000\u0006\u0009\u002a\u0086\u0048\u0086\u00f7\u000d\u0001\u0007\u0002',
].map((head) => Buffer.from(head, 'latin1'));
const arbitraryBytes = fc
  .tuple(
    fc.constantFrom(...heads),
    fc.oneof(
      fc.uint8Array({ maxLength: 2000 }),
      fc.string({ maxLength: 500 }).map((s) => new TextEncoder().encode(s)),
    ),
  )
  .map(([head, rest]) => Buffer.concat([head, Buffer.from(rest)]));

test('arbitrary bytes, names and policies: a structured answer in bounded time, and nothing accepted that is not its format', async () => {
  await fc.assert(
    fc.asyncProperty(policies, names, arbitraryBytes, async (policy, name, bytes) => {
      const result = await check(policy, name, bytes);
      await assertSoundVerdict(policy, result, bytes);
    }),
    fuzzParameters(500),
  );
});

/** Executables as they start (with the NUL bytes every real one has), optionally a PDF header after them. */
const executable = fc
  .tuple(
    fc.constantFrom(
      samples.exe(),
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0]),
      Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1, 3, 0, 0, 0]),
    ),
    fc.uint8Array({ maxLength: 600 }),
    fc.constantFrom(
      '',
      '%PDF-1.7\n',
      '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n',
      'PK\u0003\u0004',
      '<svg xmlns="http://www.w3.org/2000/svg"/>',
      '{\\rtf1',
    ),
  )
  .map(([start, filler, embedded]) =>
    Buffer.concat([start, Buffer.from(filler), Buffer.from(embedded, 'latin1'), Buffer.from(filler)]),
  );

test('an executable (or an executable polyglot with a PDF, zip or SVG inside) is refused under every extension', async () => {
  const allExtensions = [...new Set(FORMATS.flatMap((format) => format.extensions))];
  await fc.assert(
    fc.asyncProperty(executable, fc.constantFrom(...allExtensions), async (bytes, extension) => {
      const result = await check(every, `wniosek.${extension}`, bytes);
      assert.ok(
        !result.ok,
        `an executable accepted as .${extension} (${result.ok && result.files[0]!.formatId})`,
      );
    }),
    fuzzParameters(300),
  );
});

const BINARY_DETECTORS = new Set(['utf8-text', 'csv', 'html', 'css', 'xml', 'svg', 'dxf']);
const binaryExtensions = [
  ...new Set(
    FORMATS.filter((format) => !BINARY_DETECTORS.has(format.detect)).flatMap((format) => format.extensions),
  ),
];

/** HTML pages, scripts and active SVG: text that a browser or a shell would run. */
const activeText = fc
  .tuple(
    fc.constantFrom(
      '<!DOCTYPE html><html><body><script>alert(1)</script></body></html>',
      '<html><head><meta http-equiv="refresh" content="0;url=javascript:alert(1)"></head></html>',
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '#!/bin/sh\nrm -rf ~\n',
      '<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>',
    ),
    fc.constantFrom('', '\uFEFF', '\n', '   ', '<!-- x -->'),
    fc.string({ maxLength: 50 }),
  )
  .map(([body, before, after]) => Buffer.from(`${before}${body}${after}`));

test('HTML, scripts and SVG are refused under the extension of every binary format', async () => {
  await fc.assert(
    fc.asyncProperty(activeText, fc.constantFrom(...binaryExtensions), async (bytes, extension) => {
      const result = await check(every, `dokument.${extension}`, bytes);
      assert.ok(!result.ok, `accepted as .${extension}`);
      assert.equal(result.problems[0]!.status, 415);
    }),
    fuzzParameters(300),
  );
});

/** Active content in the places and spellings browsers honour. */
const activeSvgPart = fc.oneof(
  fc
    .constantFrom(
      'script',
      'SCRIPT',
      'svg:script',
      'foreignObject',
      'iframe',
      'embed',
      'object',
      'handler',
      'listener',
    )
    .map((element) =>
      element.includes(':')
        ? `<${element} xmlns:svg="http://www.w3.org/2000/svg">x</${element}>`
        : `<${element}>x</${element}>`,
    ),
  fc
    .constantFrom('onload', 'onclick', 'ONMOUSEOVER', 'onbegin', 'onfocusin')
    .map((handler) => `<g ${handler}="alert(1)"/>`),
  fc
    .tuple(
      fc.constantFrom('javascript:', 'JavaScript:', 'vbscript:', 'data:text/html,', 'data:image/svg+xml,'),
      fc.constantFrom('href', 'xlink:href', 'values', 'to', 'from', 'style'),
      fc.array(fc.constantFrom('&#9;', '&#10;', '&#13;', ' '), { maxLength: 3 }),
      fc.nat(),
    )
    .map(([scheme, attribute, noise, at]) => {
      // Control characters and spaces that browsers skip inside a scheme, spread through it.
      const gaps = Array.from({ length: scheme.length + 1 }, () => '');
      noise.forEach((n, k) => (gaps[(at + k * 7) % gaps.length] += n));
      const spelled = [...scheme].map((c, i) => gaps[i] + c).join('') + gaps[scheme.length];
      const tag = attribute === 'values' || attribute === 'to' || attribute === 'from' ? 'animate' : 'a';
      return `<${tag} ${attribute}="#x;${spelled}alert(1)"/>`;
    }),
);
const benignSvgPart = fc.constantFrom(
  '<g><rect width="10" height="10"/></g>',
  '<text>onload javascript</text>',
  '<a href="https://example.org/">x</a>',
  '<!-- <script> -->',
  '<desc>&lt;script&gt;</desc>',
);

test('SVG with active content anywhere is flagged (default) or refused (rejectActiveSvg); harmless SVG passes without a finding', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(benignSvgPart, { maxLength: 3 }),
      fc.option(activeSvgPart, { nil: undefined }),
      fc.array(benignSvgPart, { maxLength: 3 }),
      fc.boolean(),
      async (before, active, after, reject) => {
        const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">${before.join('')}${active ?? ''}${after.join('')}</svg>`;
        const result = await check(every, 'rysunek.svg', Buffer.from(svg), { rejectActiveSvg: reject });
        if (active === undefined) {
          assert.ok(result.ok, `harmless SVG refused: ${svg}`);
          assert.deepEqual(result.files[0]!.findings, []);
        } else if (reject) {
          assert.ok(
            !result.ok && result.problems[0]!.rule === 'svg-script',
            `active SVG not refused: ${svg}`,
          );
        } else {
          assert.ok(result.ok, `active SVG refused without rejectActiveSvg: ${svg}`);
          assert.deepEqual(
            result.files[0]!.findings.map((f) => f.key),
            ['validation.finding.svgActive'],
            `active SVG without a finding: ${svg}`,
          );
        }
      },
    ),
    fuzzParameters(300),
  );
});

/** A valid sample of (nearly) every format, each under its own extension. */
async function validSamples(): Promise<[string, Buffer][]> {
  return [
    ['wniosek.pdf', samples.samplePdf()],
    ['skan.png', samples.png()],
    ['skan.jpg', samples.jpeg()],
    ['skan.gif', samples.gif()],
    ['skan.bmp', samples.bmp()],
    ['skan.tif', samples.tiff()],
    ['nagranie.wav', samples.wav()],
    ['film.avi', samples.avi()],
    ['nagranie.mp3', samples.mp3()],
    ['film.mpg', samples.mpeg()],
    ['film.mp4', samples.mp4()],
    ['nagranie.ogg', samples.ogg()],
    ['skan.jp2', samples.jp2()],
    ['plan.dwg', samples.dwg()],
    ['plan.dxf', samples.dxf()],
    ['podpis.p7s', samples.cades()],
    ['stary.doc', samples.ole2('WordDocument')],
    ['tekst.odt', samples.odf('odt')],
    ['tekst.docx', samples.ooxml('docx')],
    ['arkusz.xlsx', samples.ooxml('xlsx')],
    ['dokument.xps', samples.xps()],
    ['kontener.asice', samples.asice()],
    [
      'paczka.zip',
      samples.zip([
        { name: 'wniosek.pdf', data: samples.samplePdf() },
        { name: 'opis.txt', data: Buffer.from('Opis załączników.\n') },
      ]),
    ],
    ['paczka.tar', await samples.tarball([{ name: 'wniosek.pdf', data: samples.samplePdf() }])],
    ['opis.txt.gz', samples.gzip(Buffer.from('Treść wniosku o wydanie zaświadczenia.\n'))],
    ['opis.txt', Buffer.from('Wniosek o wydanie zaświadczenia o niezaleganiu w podatkach.\n')],
    ['dane.csv', Buffer.from('imię;nazwisko\nJan;Kowalski\n')],
    ['strona.html', Buffer.from('<!DOCTYPE html><html lang="pl"><body><p>Wniosek</p></body></html>')],
    ['styl.css', Buffer.from('body { color: black; }\n')],
    [
      'wniosek.xml',
      Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?>\n<wniosek xmlns="urn:example"><tresc>Proszę o zaświadczenie</tresc></wniosek>',
      ),
    ],
    ['podpisany.xml', Buffer.from(samples.XADES)],
    [
      'rysunek.svg',
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
      ),
    ],
    ['wniosek.rtf', Buffer.from('{\\rtf1\\ansi Wniosek}')],
  ];
}

test('byte-mutated valid samples: the verdict stays sound (accepted only when the oracle agrees)', async () => {
  const valid = await validSamples();
  for (const [name, bytes] of valid) {
    const result = await check(every, name, bytes);
    assert.ok(
      result.ok,
      `the unmutated ${name} is accepted: ${JSON.stringify(!result.ok && result.problems)}`,
    );
    await assertSoundVerdict(every, result, bytes);
  }
  const edits = byteEdits(4);
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...valid), edits, async ([name, bytes], changes) => {
      const mutated = mutate(bytes, changes);
      const result = await check(every, name, mutated);
      await assertSoundVerdict(every, result, mutated);
    }),
    fuzzParameters(500),
  );
});
