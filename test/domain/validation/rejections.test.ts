import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { buildPolicy } from '../../../src/domain/policy';
import {
  checkFiles,
  type FileProblem,
  type IncomingFile,
  type ValidationOptions,
} from '../../../src/domain/validation/index';
import { translate } from '../../../src/i18n/index';
import * as samples from '../../helpers/sample-files';

const policy = buildPolicy();
const staged = new samples.StagedFiles();
after(() => staged.cleanup());

async function problemOf(
  file: IncomingFile,
  options?: ValidationOptions,
  usePolicy = policy,
): Promise<FileProblem> {
  const result = await checkFiles(usePolicy, [file], options);
  assert.ok(!result.ok, `${file.name} should be refused`);
  assert.equal(result.problems.length, 1);
  const problem = result.problems[0] as FileProblem;
  // Every problem reads in both languages, with every placeholder filled.
  for (const lang of ['pl', 'en'] as const) {
    const text = translate(lang, problem.key, problem.params);
    assert.doesNotMatch(text, /\{\w+\}/, `${lang}: ${text}`);
    assert.notEqual(text, problem.key);
  }
  return problem;
}

test('an executable named .pdf: 415, names the file and what was found', async () => {
  const problem = await problemOf(staged.file('faktura.pdf', samples.exe(), 'document'));
  assert.equal(problem.rule, 'content-mismatch');
  assert.equal(problem.status, 415);
  assert.equal(problem.field, 'document');
  assert.equal(problem.file, 'faktura.pdf');
  assert.equal(
    translate('pl', problem.key, problem.params),
    'Plik „faktura.pdf” nie jest prawidłowym plikiem .pdf — rozpoznano: plik wykonywalny Windows (PE). Wyślij plik, którego treść odpowiada rozszerzeniu.',
  );
  assert.match(
    translate('en', problem.key, problem.params),
    /“faktura\.pdf” is not a valid \.pdf file — found: a Windows executable \(PE\)/,
  );
});

test('a PNG named .jpg: 415, "found: PNG image"', async () => {
  const problem = await problemOf(staged.file('zdjecie.jpg', samples.png()));
  assert.equal(problem.rule, 'content-mismatch');
  assert.equal(problem.status, 415);
  assert.match(translate('pl', problem.key, problem.params), /rozpoznano: obraz PNG/);
});

test('other mismatches say what they found: ELF, script, text, zip, ODF named .docx', async () => {
  const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(60)]);
  assert.equal((await problemOf(staged.file('a.png', elf))).key, 'validation.found.elf');
  assert.equal(
    (await problemOf(staged.file('a.pdf', '#!/bin/sh\nrm -rf /\n'))).key,
    'validation.found.script',
  );
  assert.equal((await problemOf(staged.file('a.pdf', 'just text'))).key, 'validation.found.text');
  assert.equal(
    (await problemOf(staged.file('a.pdf', samples.zip([{ name: 'a.txt', data: Buffer.from('x') }])))).key,
    'validation.found.zip',
  );
  assert.equal((await problemOf(staged.file('a.docx', samples.odf('odt')))).key, 'validation.found.odf');
  assert.equal((await problemOf(staged.file('a.odt', samples.odf('ods')))).key, 'validation.found.odf');
  assert.equal((await problemOf(staged.file('a.xlsx', samples.ooxml('docx')))).key, 'validation.found.ooxml');
  // A compound file that is not a Word document: an installer, or a spreadsheet.
  assert.equal(
    (await problemOf(staged.file('a.doc', samples.ole2('\u0005SummaryInformation')))).key,
    'validation.found.ole2',
  );
  assert.equal(
    (await problemOf(staged.file('a.doc', samples.ole2('Workbook')))).key,
    'validation.found.ole2',
  );
  assert.equal(
    (await problemOf(staged.file('a.docx', samples.zip([{ name: 'a.txt', data: Buffer.from('x') }])))).key,
    'validation.found.zip',
  );
  assert.equal(
    (await problemOf(staged.file('a.svg', '<html xmlns="http://www.w3.org/1999/xhtml"/>'))).key,
    'validation.found.xml',
  );
  assert.equal((await problemOf(staged.file('a.p7s', await samples.pdf()))).key, 'validation.found.pdf');
});

test('an executable with a PDF header inside (a polyglot) is not a PDF', async () => {
  const polyglot = Buffer.concat([
    samples.exe().subarray(0, 200),
    Buffer.from('%PDF-1.7\n'),
    Buffer.alloc(100),
  ]);
  const problem = await problemOf(staged.file('faktura.pdf', polyglot));
  assert.equal(problem.key, 'validation.found.exe');
  // Harmless leading bytes before the header are tolerated, as PDF readers do.
  const padded = Buffer.concat([Buffer.from('\r\n\r\n'), await samples.pdf()]);
  assert.ok((await checkFiles(policy, [staged.file('wniosek.pdf', padded)])).ok);
});

test('an extension the office does not accept, or none: 415', async () => {
  const exe = await problemOf(staged.file('setup.exe', samples.exe()));
  assert.equal(exe.rule, 'extension-not-allowed');
  assert.equal(exe.status, 415);
  assert.equal(exe.params.extension, 'exe');
  const none = await problemOf(staged.file('README', 'tekst'));
  assert.equal(none.key, 'validation.noExtension');
  assert.equal(none.status, 415);
  // Upper case is the same extension.
  const upper = await checkFiles(policy, [staged.file('SKAN.PNG', samples.png())]);
  assert.ok(upper.ok);
});

test('an empty file: 422', async () => {
  const problem = await problemOf(staged.file('pusty.pdf', Buffer.alloc(0)));
  assert.equal(problem.rule, 'empty-file');
  assert.equal(problem.status, 422);
});

test('a .txt that is not UTF-8 (windows-1250, UTF-16, binary): 422 not-utf8', async () => {
  const cp1250 = Buffer.from([0x5a, 0xbf, 0xf3, 0xb3, 0xe6, 0x20, 0x67, 0xea, 0x9c, 0x6c, 0xb9]); // "Zażółć gęślą" in windows-1250
  for (const bytes of [cp1250, Buffer.from('\ufeffZażółć', 'utf16le'), Buffer.from([1, 2, 3, 0, 255, 254])]) {
    const problem = await problemOf(staged.file('pismo.txt', bytes));
    assert.equal(problem.rule, 'not-utf8');
    assert.equal(problem.status, 422);
  }
  // Invalid bytes far past the head are found too: the whole file is read.
  const late = Buffer.concat([Buffer.alloc(200_000, 'a'), Buffer.from([0xc3, 0x28])]);
  assert.equal((await problemOf(staged.file('dlugi.csv', late))).rule, 'not-utf8');
  const nul = Buffer.concat([Buffer.alloc(100_000, 'a'), Buffer.from([0])]);
  assert.equal((await problemOf(staged.file('dlugi.txt', nul))).rule, 'not-utf8');
});

test('XML: XXE and billion laughs refused with 422 at the DOCTYPE, never expanded', async () => {
  const xxe = await problemOf(staged.file('dane.xml', samples.XXE));
  assert.equal(xxe.rule, 'xml-dtd');
  assert.equal(xxe.status, 422);
  const laughs = await problemOf(staged.file('dane.xml', samples.BILLION_LAUGHS));
  assert.equal(laughs.rule, 'xml-dtd');
  assert.equal(
    (await problemOf(staged.file('plan.svg', samples.BILLION_LAUGHS.replace(/lolz>/g, 'svg>')))).rule,
    'xml-dtd',
  );
});

test('XML: malformed, too deep, undeclared entity, windows-1250 declared', async () => {
  const malformed = await problemOf(staged.file('dane.xml', '<a>\n<b></a>'));
  assert.equal(malformed.rule, 'xml-malformed');
  assert.equal(malformed.status, 422);
  assert.equal((await problemOf(staged.file('dane.xml', 'to nie jest XML'))).rule, 'xml-malformed');
  assert.equal((await problemOf(staged.file('dane.xml', '<a>&nieznana;</a>'))).rule, 'xml-malformed');
  const deep = await problemOf(staged.file('dane.xml', '<a>'.repeat(300) + '</a>'.repeat(300)));
  assert.equal(deep.rule, 'xml-too-deep');
  assert.equal(deep.params.limit, 256);
  const declared = Buffer.concat([
    Buffer.from('<?xml version="1.0" encoding="windows-1250"?><a>'),
    Buffer.from([0xbf, 0xf3, 0xb3, 0xe6]),
    Buffer.from('</a>'),
  ]);
  assert.ok(
    (await checkFiles(policy, [staged.file('cp1250.xml', declared)])).ok,
    'declared windows-1250 is read as such',
  );
  const undeclared = Buffer.concat([Buffer.from('<a>'), Buffer.from([0xbf, 0xf3]), Buffer.from('</a>')]);
  assert.equal((await problemOf(staged.file('bad.xml', undeclared))).rule, 'not-utf8');
  assert.equal(
    (await problemOf(staged.file('big.xml', `<a>${'x'.repeat(2000)}</a>`), { maxXmlBytes: 1000 })).rule,
    'xml-too-large',
  );
});

test('SVG with scripts, handlers or javascript: URLs is accepted with a finding, or refused when the office says so', async () => {
  const actives = [
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href=" java\tscript:alert(1)"><text>x</text></a></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><a><animate attributeName="href" values="#a;javascript:alert(1)"/><text>x</text></a></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>',
  ];
  for (const svg of actives) {
    const result = await checkFiles(policy, [staged.file('plan.svg', svg)]);
    assert.ok(result.ok, svg);
    assert.deepEqual(result.files[0]?.findings, [
      { key: 'validation.finding.svgActive', params: { file: 'plan.svg' } },
    ]);
    const refused = await problemOf(staged.file('plan.svg', svg), { rejectActiveSvg: true });
    assert.equal(refused.rule, 'svg-script');
  }
  const clean = await checkFiles(policy, [
    staged.file(
      'plan.svg',
      '<svg xmlns="http://www.w3.org/2000/svg"><a href="https://example.org/"><text>x</text></a></svg>',
    ),
  ]);
  assert.ok(clean.ok);
  assert.deepEqual(clean.files[0]?.findings, []);
});

test('7z: refused by default (415), accepted with a "not inspected" finding where the office allows it', async () => {
  const problem = await problemOf(staged.file('pliki.7z', samples.sevenZip()));
  assert.equal(problem.rule, 'archive-not-inspectable');
  assert.equal(problem.status, 415);
  const allowing = buildPolicy({ acceptUninspectableArchives: true });
  const result = await checkFiles(allowing, [staged.file('pliki.7z', samples.sevenZip())]);
  assert.ok(result.ok);
  assert.equal(result.files[0]?.findings[0]?.key, 'validation.finding.notInspected');
  // The extension alone is not enough: a PDF named .7z is still a mismatch.
  assert.equal(
    (await problemOf(staged.file('pliki.7z', await samples.pdf()), undefined, allowing)).rule,
    'content-mismatch',
  );
});

test('total size over the office limit: 413 naming the limit; nothing else is read', async () => {
  const small = buildPolicy({ maxSizeBytes: 1000 });
  const a = staged.file('a.pdf', await samples.pdf());
  const result = await checkFiles(small, [
    a,
    { field: 'attachment', name: 'b.pdf', path: '/nonexistent', size: 10 },
  ]);
  assert.ok(!result.ok);
  assert.equal(result.problems.length, 1);
  const [problem] = result.problems as [FileProblem];
  assert.equal(problem.rule, 'total-size');
  assert.equal(problem.status, 413);
  assert.equal(
    translate('pl', problem.key, problem.params),
    'Dokument razem z załącznikami może mieć najwyżej 1000 B. Wybrane pliki są większe — zmniejsz je lub wyślij mniej załączników.',
  );
  const fiveMb = await checkFiles(policy, [
    { field: 'document', name: 'x.pdf', path: '/nonexistent', size: 5 * 1024 * 1024 + 1 },
  ]);
  assert.ok(!fiveMb.ok);
  assert.match(translate('pl', fiveMb.problems[0]!.key, fiveMb.problems[0]!.params), /najwyżej 5 MB/);
  assert.match(translate('en', fiveMb.problems[0]!.key, fiveMb.problems[0]!.params), /at most 5 MB/);
});

test('several files: every problem is listed, each with its own field', async () => {
  const result = await checkFiles(policy, [
    staged.file('wniosek.pdf', await samples.pdf(), 'document'),
    staged.file('zdjecie.jpg', samples.png(), 'attachment[0]'),
    staged.file('pusty.txt', '', 'attachment[1]'),
  ]);
  assert.ok(!result.ok);
  assert.deepEqual(
    result.problems.map((p) => [p.field, p.rule, p.status]),
    [
      ['attachment[0]', 'content-mismatch', 415],
      ['attachment[1]', 'empty-file', 422],
    ],
  );
});

test('a name with nothing left after cleaning: 422 file-name', async () => {
  const problem = await problemOf(staged.file('\u0001\u0002/', 'x', 'attachment[3]'));
  assert.equal(problem.rule, 'file-name');
  assert.equal(problem.field, 'attachment[3]');
  assert.match(translate('pl', problem.key, problem.params), /w polu „attachment\[3\]”/);
});

test('names are cleaned for display: path parts, control characters, 1,000 characters', async () => {
  const result = await checkFiles(policy, [
    staged.file('C:\\Users\\jan\\..\\wniosek.pdf', await samples.pdf()),
    staged.file('../../etc/skan\u0000\u202e.png', samples.png()),
    staged.file(`${'ż'.repeat(1000)}.png`, samples.png()),
  ]);
  assert.ok(result.ok);
  const [first, second, third] = result.files;
  assert.equal(first?.name, 'wniosek.pdf');
  assert.equal(first?.originalName, 'C:\\Users\\jan\\..\\wniosek.pdf');
  assert.equal(second?.name, 'skan.png');
  assert.ok(Buffer.byteLength(third?.name ?? '', 'utf8') <= 255);
  assert.ok(third?.name.endsWith('ż.png'));
});
