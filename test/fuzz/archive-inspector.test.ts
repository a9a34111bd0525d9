/**
 * The archive inspector through `checkFiles`: hostile zips, tars and gzips built from a spec
 * whose verdict is known (traversal and absolute paths, links, encryption, lying sizes, local
 * names that differ, nesting, bombs, entry counts) get exactly that verdict; byte-mutated valid
 * zips never crash or hang, and what is accepted passes an independent check of every entry
 * (sizes, CRC-32, names).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { FORMATS } from '../../src/domain/formats';
import { buildPolicy } from '../../src/domain/policy';
import {
  checkFiles,
  type CheckResult,
  type ValidationOptions,
  type ValidationRule,
} from '../../src/domain/validation/index';
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
  reportSlowest('archive inspector');
});

/** Small limits, so bombs and counts are reached in milliseconds. */
const LIMITS = {
  maxUncompressedBytes: 512 * 1024,
  ratioFloorBytes: 64 * 1024,
  maxCompressionRatio: 100,
  maxEntries: 40,
  maxArchiveDepth: 3,
} satisfies ValidationOptions;

async function check(name: string, bytes: Buffer, options: ValidationOptions = LIMITS): Promise<CheckResult> {
  const { value } = await timed(() => checkFiles(every, [staged.file(name, bytes)], options));
  if (!value.ok) {
    for (const problem of value.problems) {
      assert.ok([413, 415, 422].includes(problem.status));
      assert.ok(hasMessage(problem.key), problem.key);
      assert.equal(typeof problem.params.file, 'string');
    }
  }
  return value;
}

const PDF = samples.samplePdf('Wniosek');
const PNG = samples.png();

/** One zip entry with the rules it breaks, if any, in the order the inspector checks them. */
interface EntryCase {
  spec: samples.ZipEntrySpec;
  breaks: ValidationRule[];
}

const safeName = fc
  .tuple(
    fc.array(fc.constantFrom('skany', 'a b', 'zał', '.ukryty', 'x..y', '...'), { maxLength: 2 }),
    fc.constantFrom('wniosek.pdf', 'strona.png', 'opis.txt', 'Wniosek.PDF'),
  )
  .map(([dirs, file]) => [...dirs, file].join('/'));

/** Names that escape or are absolute, in the spellings tools accept. */
const escapingName = fc
  .tuple(
    fc.constantFrom(
      '../',
      '..\\',
      '/',
      '\\',
      'C:/',
      'c:\\',
      'a/../../',
      'a/b/../../../',
      './../',
      '\u202e../',
      '..\u0000/',
    ),
    fc.constantFrom('wniosek.pdf', 'etc/passwd.txt'),
  )
  .map(([start, file]) => `${start}${file}`);

const contentFor = (name: string): Buffer =>
  /\.pdf$/i.test(name) ? PDF : /\.png$/i.test(name) ? PNG : Buffer.from('Treść wniosku.\n');

const entryCase: fc.Arbitrary<EntryCase> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(safeName, fc.constantFrom(0 as const, 8 as const))
      .map(([name, method]) => ({ spec: { name, data: contentFor(name), method }, breaks: [] })),
  },
  { weight: 1, arbitrary: fc.constantFrom('skany/', 'a/b/').map((name) => ({ spec: { name }, breaks: [] })) },
  {
    weight: 1,
    arbitrary: escapingName.map((name) => ({
      spec: { name, data: contentFor(name) },
      breaks: ['archive-path' as const],
    })),
  },
  {
    weight: 1,
    arbitrary: safeName.map((name) => ({
      spec: { name, data: Buffer.from('wniosek.pdf'), symlink: true },
      breaks: ['archive-link' as const],
    })),
  },
  {
    weight: 1,
    arbitrary: safeName.map((name) => ({
      spec: { name, data: contentFor(name), encrypted: true },
      breaks: ['archive-encrypted' as const],
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(safeName, fc.constantFrom('inny.pdf', '../wniosek.pdf', 'wniosek.pdf.exe'))
      .filter(([name, local]) => name !== local)
      .map(([name, localName]) => ({
        spec: { name, data: contentFor(name), localName },
        breaks: ['archive-entry' as const],
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        safeName,
        fc.oneof(
          fc.integer({ min: 0, max: 100 }),
          fc.constant(0xffffffff),
          fc.integer({ min: 100_000, max: 0x7fffffff }),
        ),
      )
      .filter(([name, size]) => size !== contentFor(name).length)
      .map(([name, declaredSize]) => ({
        spec: { name, data: contentFor(name), declaredSize },
        breaks: ['archive-corrupt' as const, 'archive-too-large' as const, 'archive-ratio' as const],
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('program.exe', 'skrypt.js', 'bez-rozszerzenia')
      .map((name) => ({ spec: { name, data: samples.exe() }, breaks: ['extension-not-allowed' as const] })),
  },
  {
    weight: 1,
    arbitrary: fc.constant<EntryCase>({
      spec: { name: 'faktura.pdf', data: samples.exe() },
      breaks: ['content-mismatch'],
    }),
  },
);

test('zips built to break (or keep) the rules get exactly the verdict the rules give', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(entryCase, { minLength: 1, maxLength: 6 }), async (cases) => {
      const result = await check('paczka.zip', samples.zip(cases.map((c) => c.spec)));
      const broken = cases.flatMap((c) => c.breaks);
      if (broken.length === 0) {
        assert.ok(result.ok, `refused: ${JSON.stringify(!result.ok && result.problems)}`);
        return;
      }
      assert.ok(!result.ok, `accepted although it breaks ${broken.join(', ')}`);
      const [problem] = result.problems;
      // The first entry that breaks a rule is the one reported (entries are read in order).
      const first = cases.find((c) => c.breaks.length > 0)!;
      assert.ok(
        first.breaks.includes(problem!.rule),
        `reported ${problem!.rule}, expected one of ${first.breaks.join(', ')}`,
      );
    }),
    fuzzParameters(250),
  );
});

/** A tar entry with the rules it breaks. */
const tarCase: fc.Arbitrary<{ spec: samples.TarEntrySpec; breaks: ValidationRule[] }> = fc.oneof(
  {
    weight: 4,
    arbitrary: safeName.map((name) => ({
      spec: { name, data: contentFor(name) } as samples.TarEntrySpec,
      breaks: [] as ValidationRule[],
    })),
  },
  {
    weight: 1,
    arbitrary: escapingName
      .filter((n) => !n.includes('\u0000'))
      .map((name) => ({ spec: { name, data: contentFor(name) }, breaks: ['archive-path' as const] })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        safeName,
        fc.constantFrom('symlink' as const, 'link' as const),
        fc.constantFrom('/etc/passwd', '../x', 'wniosek.pdf'),
      )
      .map(([name, type, linkname]) => ({
        spec: { name, type, linkname },
        breaks: ['archive-link' as const],
      })),
  },
  {
    weight: 1,
    arbitrary: safeName.map((name) => ({
      spec: { name, type: 'fifo' as const },
      breaks: ['archive-entry' as const],
    })),
  },
);

test('tars and tar.gz built to break (or keep) the rules get exactly the verdict the rules give', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(tarCase, { minLength: 1, maxLength: 6 }),
      fc.boolean(),
      async (cases, gzipped) => {
        const tar = await samples.tarball(cases.map((c) => c.spec));
        const result = gzipped
          ? await check('paczka.tar.gz', samples.gzip(tar))
          : await check('paczka.tar', tar);
        const first = cases.find((c) => c.breaks.length > 0);
        if (!first) {
          assert.ok(result.ok, `refused: ${JSON.stringify(!result.ok && result.problems)}`);
          return;
        }
        assert.ok(!result.ok, `accepted although it breaks ${first.breaks.join(', ')}`);
        assert.ok(
          first.breaks.includes(result.problems[0]!.rule),
          `reported ${result.problems[0]!.rule}, expected ${first.breaks.join(', ')}`,
        );
      },
    ),
    fuzzParameters(150),
  );
});

type Wrapper = 'zip' | 'tar' | 'gzip';

test('nesting: archives inside archives are opened to the depth limit and refused past it', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.constantFrom<Wrapper>('zip', 'tar', 'gzip'), { minLength: 1, maxLength: 6 }),
      async (wrappers) => {
        let name = 'wniosek.pdf';
        let data: Buffer = PDF;
        for (const [i, wrapper] of wrappers.entries()) {
          if (wrapper === 'zip') [name, data] = [`poziom${i}.zip`, samples.zip([{ name, data }])];
          else if (wrapper === 'tar')
            [name, data] = [`poziom${i}.tar`, await samples.tarball([{ name, data }])];
          else [name, data] = [`${name}.gz`, samples.gzip(data)];
        }
        const result = await check(name, data);
        if (wrappers.length <= LIMITS.maxArchiveDepth)
          assert.ok(result.ok, `${wrappers.length} levels refused`);
        else assert.equal(!result.ok && result.problems[0]!.rule, 'archive-depth');
      },
    ),
    fuzzParameters(150),
  );
});

test('bombs: unpacked bytes over the cap or the ratio are refused, whatever the headers declare; under both, accepted', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: 400 * 1024 }), { minLength: 1, maxLength: 4 }),
      fc.constantFrom('zip', 'tar.gz', 'gz'),
      async (sizes, kind) => {
        // Each entry: a PDF signature then zeros, so only the byte count can stop it.
        const entries = sizes.map((size, i) => ({
          name: `zera${i}.pdf`,
          data: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(size)]),
        }));
        const bytes =
          kind === 'zip'
            ? samples.zip(entries)
            : kind === 'tar.gz'
              ? samples.gzip(await samples.tarball(entries))
              : samples.gzip(entries[0]!.data);
        const name = kind === 'zip' ? 'zera.zip' : kind === 'tar.gz' ? 'zera.tar.gz' : 'zera.pdf.gz';
        const unpacked =
          kind === 'zip'
            ? entries.reduce((sum, e) => sum + e.data.length, 0)
            : kind === 'tar.gz'
              ? (await samples.tarball(entries)).length
              : entries[0]!.data.length;
        const limit = Math.min(
          LIMITS.maxUncompressedBytes,
          Math.max(LIMITS.ratioFloorBytes, LIMITS.maxCompressionRatio * bytes.length),
        );
        const result = await check(name, bytes);
        if (unpacked <= limit) assert.ok(result.ok, `refused ${unpacked} bytes under the limit ${limit}`);
        else
          assert.ok(
            !result.ok && ['archive-too-large', 'archive-ratio'].includes(result.problems[0]!.rule),
            `${unpacked} bytes over ${limit} not refused as a bomb`,
          );
      },
    ),
    fuzzParameters(60),
  );
});

test('entry counts: over the limit is refused, across nesting levels too', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 60 }),
      fc.integer({ min: 0, max: 30 }),
      async (outer, inner) => {
        const innerZip = samples.zip(
          Array.from({ length: inner }, (_, i) => ({ name: `w${i}.txt`, data: Buffer.from('x') })),
        );
        const entries = Array.from({ length: outer }, (_, i) => ({
          name: `p${i}.txt`,
          data: Buffer.from('y'),
        }));
        const bytes = samples.zip(
          inner > 0 ? [...entries, { name: 'wewnatrz.zip', data: innerZip }] : entries,
        );
        const total = outer + (inner > 0 ? 1 + inner : 0);
        const result = await check('wiele.zip', bytes);
        if (total <= LIMITS.maxEntries) assert.ok(result.ok, `${total} entries refused`);
        else assert.equal(!result.ok && result.problems[0]!.rule, 'archive-too-many-entries');
      },
    ),
    fuzzParameters(60),
  );
});

const edits = byteEdits(6);

test('byte-mutated valid zips: no crash, no hang; accepted only when every entry reads back whole and intact', async () => {
  const valid = [
    samples.zip([
      { name: 'wniosek.pdf', data: PDF },
      { name: 'skany/strona.png', data: PNG, method: 0 },
    ]),
    samples.zip([
      { name: 'opis.txt', data: Buffer.from('Treść wniosku o wydanie zaświadczenia.\n'.repeat(20)) },
    ]),
    samples.zip([{ name: 'opis.txt', data: Buffer.from('Treść wniosku.\n'.repeat(4)), method: 0 }]),
    samples.zip([{ name: 'w.zip', data: samples.zip([{ name: 'opis.txt', data: Buffer.from('abc') }]) }]),
  ];
  for (const zip of valid) assert.ok((await check('paczka.zip', zip)).ok, 'the unmutated sample is accepted');
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...valid.keys()), edits, async (which, changes) => {
      const bytes = mutate(valid[which]!, changes);
      const result = await check('paczka.zip', bytes);
      if (result.ok) await readZipEntries(bytes);
    }),
    fuzzParameters(400),
  );
});

test('arbitrary bytes after an archive signature, under archive names: no crash, no hang, a structured answer', async () => {
  const starts = [
    Buffer.from('PK\u0003\u0004', 'latin1'),
    Buffer.from('PK\u0005\u0006', 'latin1'),
    Buffer.from([0x1f, 0x8b, 0x08]),
    (await samples.tarball([{ name: 'a.txt', data: Buffer.alloc(700, 'a') }])).subarray(0, 512),
    samples.zip([{ name: 'a.txt', data: Buffer.from('a') }]),
  ];
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...starts),
      fc.uint8Array({ maxLength: 2000 }),
      fc.constantFrom('a.zip', 'a.tar', 'a.tar.gz', 'a.gz', 'a.docx', 'a.odt', 'a.asice', 'a.xps'),
      async (start, rest, name) => {
        await check(name, Buffer.concat([start, Buffer.from(rest)]));
      },
    ),
    fuzzParameters(400),
  );
});
