import assert from 'node:assert/strict';
import fs from 'node:fs';
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

async function problemOf(file: IncomingFile, options?: ValidationOptions): Promise<FileProblem> {
  const result = await checkFiles(policy, [file], options);
  assert.ok(!result.ok, `${file.name} should be refused`);
  const problem = result.problems[0] as FileProblem;
  for (const lang of ['pl', 'en'] as const)
    assert.doesNotMatch(translate(lang, problem.key, problem.params), /\{\w+\}/);
  return problem;
}

const text = (value: string) => Buffer.from(value);

test('a zip bomb (1 GB of zeros, deflated by streaming) is refused quickly, within bounded memory', async () => {
  const file = staged.path();
  await samples.zipBombFile(file, 1024 * 1024 * 1024);
  const size = fs.statSync(file).size;
  assert.ok(size < 2 * 1024 * 1024, `the bomb is small when packed (${size} bytes)`);
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const problem = await problemOf({ field: 'attachment', name: 'bomba.zip', path: file, size });
  const seconds = (performance.now() - started) / 1000;
  assert.ok(['archive-too-large', 'archive-ratio'].includes(problem.rule), problem.rule);
  assert.equal(problem.status, 422);
  assert.equal(problem.file, 'bomba.zip');
  assert.ok(seconds < 10, `refused in ${seconds.toFixed(2)} s`);
  assert.ok(process.memoryUsage().rss - rssBefore < 150 * 1024 * 1024, 'memory stays bounded');
});

test('the absolute cap and the ratio are told apart', async () => {
  // 20 MB of zeros packs into ~20 KB: far over 100× while still under the 100 MB cap.
  const ratioFile = staged.path();
  await samples.zipBombFile(ratioFile, 20 * 1024 * 1024);
  const ratio = await problemOf({
    field: 'attachment',
    name: 'zera.zip',
    path: ratioFile,
    size: fs.statSync(ratioFile).size,
  });
  assert.equal(ratio.rule, 'archive-ratio');
  assert.equal(ratio.params.ratio, 100);
  // With the cap lowered below what the ratio allows, the cap speaks.
  const capped = await problemOf(
    staged.file('duzy.zip', samples.zip([{ name: 'a.txt', data: Buffer.alloc(3_000_000, 'x') }])),
    { maxUncompressedBytes: 2 * 1024 * 1024, maxCompressionRatio: 100_000 },
  );
  assert.equal(capped.rule, 'archive-too-large');
  assert.match(translate('pl', capped.key, capped.params), /więcej niż 2 MB/);
  // A small, very compressible file is no bomb: the ratio applies past 1 MB unpacked.
  assert.ok(
    (
      await checkFiles(policy, [
        staged.file('maly.zip', samples.zip([{ name: 'a.txt', data: Buffer.alloc(500_000, 'a') }])),
      ])
    ).ok,
  );
});

test('headers that lie about the unpacked size do not help a bomb', async () => {
  const file = staged.path();
  await samples.zipBombFile(file, 300 * 1024 * 1024, { declaredSize: 10 });
  const started = performance.now();
  const problem = await problemOf({
    field: 'attachment',
    name: 'klamca.zip',
    path: file,
    size: fs.statSync(file).size,
  });
  assert.ok(['archive-ratio', 'archive-too-large', 'archive-corrupt'].includes(problem.rule), problem.rule);
  assert.equal(problem.status, 422);
  assert.ok(performance.now() - started < 5000);
});

test('paths: "../" and absolute paths are refused, naming the entry', async () => {
  for (const name of [
    '../../etc/passwd.txt',
    'dir/../../x.txt',
    '/etc/passwd.txt',
    'C:/Windows/x.txt',
    '..\\..\\x.txt',
  ]) {
    const problem = await problemOf(staged.file('pliki.zip', samples.zip([{ name, data: text('x') }])));
    assert.equal(problem.rule, 'archive-path', name);
    assert.equal(problem.status, 422);
    assert.match(String(problem.params.file), /^pliki\.zip\//);
  }
  const tarProblem = await problemOf(
    staged.file('pliki.tar', await samples.tarball([{ name: '../x.txt', data: text('x') }])),
  );
  assert.equal(tarProblem.rule, 'archive-path');
});

test('a zip entry whose local header names another path than the central directory is refused', async () => {
  const problem = await problemOf(
    staged.file(
      'pliki.zip',
      samples.zip([{ name: 'wniosek.txt', localName: '../../autorun.exe', data: text('x') }]),
    ),
  );
  assert.equal(problem.rule, 'archive-entry');
  assert.equal(problem.key, 'validation.archiveNameMismatch');
});

test('links: a zip symlink, a tar symlink and a tar hard link are refused', async () => {
  const zipLink = await problemOf(
    staged.file('pliki.zip', samples.zip([{ name: 'haslo.txt', data: text('/etc/passwd'), symlink: true }])),
  );
  assert.equal(zipLink.rule, 'archive-link');
  assert.equal(zipLink.entry, 'haslo.txt');
  assert.match(translate('pl', zipLink.key, zipLink.params), /dowiązanie „pliki\.zip\/haslo\.txt”/);
  const tarSymlink = await problemOf(
    staged.file(
      'pliki.tar',
      await samples.tarball([{ name: 'a.txt', type: 'symlink', linkname: '/etc/passwd' }]),
    ),
  );
  assert.equal(tarSymlink.rule, 'archive-link');
  const tarHard = await problemOf(
    staged.file(
      'pliki.tar',
      await samples.tarball([
        { name: 'a.txt', data: text('x') },
        { name: 'b.txt', type: 'link', linkname: 'a.txt' },
      ]),
    ),
  );
  assert.equal(tarHard.rule, 'archive-link');
  const fifo = await problemOf(
    staged.file('pliki.tar', await samples.tarball([{ name: 'kolejka', type: 'fifo' }])),
  );
  assert.equal(fifo.rule, 'archive-entry');
});

test('entries obey the same rules: an .exe inside, a PNG named .jpg inside, an empty file inside', async () => {
  const exe = await problemOf(
    staged.file(
      'pliki.zip',
      samples.zip([
        { name: 'wniosek.txt', data: text('x') },
        { name: 'program/setup.exe', data: samples.exe() },
      ]),
    ),
  );
  assert.equal(exe.rule, 'extension-not-allowed');
  assert.equal(exe.status, 415);
  assert.equal(exe.file, 'pliki.zip');
  assert.equal(exe.entry, 'program/setup.exe');
  assert.match(translate('pl', exe.key, exe.params), /Plik „pliki\.zip\/program\/setup\.exe”/);
  const disguised = await problemOf(
    staged.file('pliki.zip', samples.zip([{ name: 'faktura.pdf', data: samples.exe() }])),
  );
  assert.equal(disguised.key, 'validation.found.exe');
  const png = await problemOf(
    staged.file('pliki.tar', await samples.tarball([{ name: 'zdjecie.jpg', data: samples.png() }])),
  );
  assert.equal(png.key, 'validation.found.png');
  const empty = await problemOf(
    staged.file('pliki.zip', samples.zip([{ name: 'pusty.txt', data: Buffer.alloc(0) }])),
  );
  assert.equal(empty.rule, 'empty-file');
  const xxe = await problemOf(
    staged.file('dane.zip', samples.zip([{ name: 'dane.xml', data: text(samples.XXE) }])),
  );
  assert.equal(xxe.rule, 'xml-dtd');
});

test('1,000 entries pass; 1,001 are refused', async () => {
  const entries = (count: number) =>
    Array.from({ length: count }, (_, i) => ({ name: `plik-${i}.txt`, data: text(`plik ${i}`) }));
  assert.ok((await checkFiles(policy, [staged.file('tysiac.zip', samples.zip(entries(1000)))])).ok);
  const problem = await problemOf(staged.file('za-duzo.zip', samples.zip(entries(1001))));
  assert.equal(problem.rule, 'archive-too-many-entries');
  assert.equal(problem.params.limit, 1000);
  const tarProblem = await problemOf(staged.file('za-duzo.tar', await samples.tarball(entries(1001))));
  assert.equal(tarProblem.rule, 'archive-too-many-entries');
});

test('nesting: three levels of archives are opened, a fourth is refused', async () => {
  const leaf = { name: 'wniosek.txt', data: text('Treść') };
  const level3 = samples.zip([leaf]);
  const level2 = samples.zip([{ name: 'c.zip', data: level3 }]);
  const level1 = samples.zip([{ name: 'b.zip', data: level2 }]);
  assert.ok((await checkFiles(policy, [staged.file('a.zip', level1)])).ok, 'a.zip/b.zip/c.zip is fine');
  const tooDeep = samples.zip([{ name: 'a.zip', data: level1 }]);
  const problem = await problemOf(staged.file('z.zip', tooDeep));
  assert.equal(problem.rule, 'archive-depth');
  assert.equal(problem.params.file, 'z.zip/a.zip/b.zip/c.zip');
  // gzip counts as a level: tar.gz inside zip inside zip is four.
  const tgz = samples.gzip(await samples.tarball([{ name: 'a.txt', data: text('x') }]));
  assert.ok(
    (await checkFiles(policy, [staged.file('x.zip', samples.zip([{ name: 'y.tar.gz', data: tgz }]))])).ok,
  );
  const deep = samples.zip([{ name: 'x.zip', data: samples.zip([{ name: 'y.tar.gz', data: tgz }]) }]);
  assert.equal((await problemOf(staged.file('w.zip', deep))).rule, 'archive-depth');
});

test('an encrypted entry is refused', async () => {
  const problem = await problemOf(
    staged.file(
      'tajne.zip',
      samples.zip([
        {
          name: 'a.txt',
          data: Buffer.from('0123456789abcdef0123'),
          encrypted: true,
          method: 0,
          declaredSize: 8,
        },
      ]),
    ),
  );
  assert.equal(problem.rule, 'archive-encrypted');
  assert.equal(problem.status, 422);
});

test('damaged archives: 422 archive-corrupt, not a crash', async () => {
  const good = samples.zip([
    { name: 'a.txt', data: text('Treść wniosku, dość długa, żeby się skompresowała. '.repeat(20)) },
  ]);
  const truncated = good.subarray(0, good.length - 30);
  assert.equal((await problemOf(staged.file('uciety.zip', truncated))).rule, 'archive-corrupt');
  const flipped = Buffer.from(good);
  flipped[40] = (flipped[40] as number) ^ 0xff;
  const flippedProblem = await problemOf(staged.file('zepsuty.zip', flipped));
  assert.ok(
    ['archive-corrupt', 'content-mismatch', 'not-utf8'].includes(flippedProblem.rule),
    flippedProblem.rule,
  );
  const badGzip = Buffer.concat([samples.gzip(text('abc')).subarray(0, 12), Buffer.alloc(8, 7)]);
  assert.equal((await problemOf(staged.file('zly.txt.gz', badGzip))).rule, 'archive-corrupt');
  const badDocx = samples.ooxml('docx').subarray(0, 200);
  assert.equal((await problemOf(staged.file('zly.docx', badDocx))).rule, 'archive-corrupt');
});

test('an office document with damaged deflate data in its declaration is corrupt, not a crash', async () => {
  // Found by the fuzzer: the error of the entry stream escaped as an uncaught exception.
  for (const [name, bytes] of [
    ['zepsuty.docx', samples.ooxml('docx')],
    ['zepsuty.xps', samples.xps()],
  ] as const) {
    const damaged = Buffer.from(bytes);
    const dataStart = 30 + damaged.readUInt16LE(26) + damaged.readUInt16LE(28);
    damaged[dataStart] = 0x07; // a deflate block of the reserved type 11
    const problem = await problemOf(staged.file(name, damaged));
    assert.equal(problem.rule, 'archive-corrupt');
    assert.equal(problem.key, 'validation.documentCorrupt');
  }
});

test('a zip entry whose bytes do not match its CRC-32 is corrupt, also inside another zip', async () => {
  // Found by the fuzzer: a changed byte of stored (or still inflatable) data used to pass.
  const good = samples.zip([{ name: 'opis.txt', data: text('Treść wniosku.\n'), method: 0 }]);
  const altered = Buffer.from(good);
  altered[good.indexOf('Treść')] = 'X'.charCodeAt(0);
  const problem = await problemOf(staged.file('zmieniony.zip', altered));
  assert.equal(problem.rule, 'archive-corrupt');
  assert.equal(problem.status, 422);
  const nested = samples.zip([{ name: 'wewnatrz.zip', data: altered }]);
  const inner = await problemOf(staged.file('zewnatrz.zip', nested));
  assert.equal(inner.rule, 'archive-corrupt');
  assert.equal(inner.params.file, 'zewnatrz.zip/wewnatrz.zip');
  // The same archive unaltered is accepted.
  assert.ok((await checkFiles(policy, [staged.file('dobry.zip', good)])).ok);
});

test('a gzip holds one file named after it: "x.gz" without a known extension is refused', async () => {
  const problem = await problemOf(staged.file('dane.gz', samples.gzip(text('x'))));
  assert.equal(problem.rule, 'extension-not-allowed');
  assert.equal(problem.params.file, 'dane.gz/dane');
  const bomb = samples.gzip(Buffer.concat([text('%PDF-1.7\n'), Buffer.alloc(50 * 1024 * 1024)]));
  assert.equal((await problemOf(staged.file('zera.pdf.gz', bomb))).rule, 'archive-ratio');
  // Zeros named .txt stop even earlier: the first unpacked bytes are not UTF-8 text.
  assert.equal(
    (await problemOf(staged.file('zera.txt.gz', samples.gzip(Buffer.alloc(50 * 1024 * 1024))))).rule,
    'not-utf8',
  );
});

test('findings inside archives reach the clerk with the entry path', async () => {
  const result = await checkFiles(policy, [
    staged.file(
      'rysunki.zip',
      samples.zip([
        { name: 'plan.svg', data: text('<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>') },
      ]),
    ),
  ]);
  assert.ok(result.ok);
  assert.deepEqual(result.files[0]?.findings, [
    { key: 'validation.finding.svgActive', params: { file: 'rysunki.zip/plan.svg' } },
  ]);
});
