import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { FORMATS, formatById } from '../../../src/domain/formats';
import { buildPolicy } from '../../../src/domain/policy';
import { checkFiles } from '../../../src/domain/validation/index';
import { HEAD_BYTES, HEAD_TESTS } from '../../../src/domain/validation/magic';
import { hasMessage } from '../../../src/i18n/index';
import * as samples from '../../helpers/sample-files';

const every = buildPolicy({
  formatIds: FORMATS.map((format) => format.id),
  acceptUninspectableArchives: true,
});
const staged = new samples.StagedFiles();
after(() => staged.cleanup());

const extensions = [...new Set(FORMATS.flatMap((format) => format.extensions)), 'exe', 'js', ''];
// Starts that reach the deeper code paths: archives, XML, office containers, text.
const prefixes: Buffer[] = [
  '',
  'PK\u0003\u0004',
  '%PDF-1.7\n',
  '<?xml version="1.0"?>',
  '<svg xmlns="http://www.w3.org/2000/svg">',
  '\u001f\u008b\u0008',
  '{\\rtf1',
  'RIFF\u0000\u0000\u0000\u0000WAVE',
  '\u00ff\u00fb\u0090',
].map((prefix) => Buffer.from(prefix, 'latin1'));

// A real tar header (an entry claiming 3,000 bytes) followed by random bytes: truncated or garbled tar.
const tarHeader = (await samples.tarball([{ name: 'wniosek.txt', data: Buffer.alloc(3000, 'a') }])).subarray(
  0,
  512,
);
prefixes.push(tarHeader);

const bytesArbitrary = fc
  .tuple(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 3000 }))
  .map(([prefix, rest]) => Buffer.concat([prefix, Buffer.from(rest)]));
const nameArbitrary = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc
    .tuple(fc.string({ maxLength: 40 }), fc.constantFrom(...extensions))
    .map(([stem, extension]) => `${stem}.${extension}`),
);

async function checkBounded(name: string, bytes: Buffer) {
  const started = performance.now();
  const result = await checkFiles(every, [staged.file(name, bytes)]);
  assert.ok(performance.now() - started < 2000, 'bounded time');
  return result;
}

test('arbitrary bytes with any name: no crash, no hang, a proper answer, never a format whose magic they lack', async () => {
  await fc.assert(
    fc.asyncProperty(bytesArbitrary, nameArbitrary, async (bytes, name) => {
      const result = await checkBounded(name, bytes);
      if (result.ok) {
        const [file] = result.files;
        const format = formatById(file?.formatId ?? '');
        assert.ok(format, 'a known format');
        assert.ok(
          HEAD_TESTS[format.detect](bytes.subarray(0, HEAD_BYTES)),
          `accepted as ${format.id} without its signature`,
        );
        // The extension of the cleaned name (control characters and path parts gone) is the format's.
        const shown = file?.name ?? '';
        assert.ok(format.extensions.includes(shown.slice(shown.lastIndexOf('.') + 1).toLowerCase()));
      } else {
        for (const problem of result.problems) {
          assert.ok([413, 415, 422].includes(problem.status));
          assert.ok(hasMessage(problem.key), problem.key);
          assert.equal(typeof problem.params.file, 'string');
        }
      }
    }),
    { numRuns: 400 },
  );
});

test('bytes without a binary format’s signature are never accepted under its extension', async () => {
  const binary = FORMATS.filter(
    (format) => !['utf8-text', 'csv', 'html', 'css', 'xml', 'svg', 'dxf'].includes(format.detect),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ minLength: 1, maxLength: 2000 }),
      fc.constantFrom(...binary),
      async (raw, format) => {
        const bytes = Buffer.from(raw);
        fc.pre(!HEAD_TESTS[format.detect](bytes));
        const result = await checkBounded(`plik.${format.extensions[0]}`, bytes);
        assert.ok(!result.ok, `${format.id} accepted without its signature`);
      },
    ),
    { numRuns: 400 },
  );
});

test('arbitrary zip archives (any entry names, any content): no crash, no hang', async () => {
  const entry = fc.record({
    name: fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom('../a.txt', '/a.txt', 'a/', 'a.txt', 'b.zip', 'c.xml', 'd.pdf'),
    ),
    data: fc.uint8Array({ maxLength: 500 }).map((data) => Buffer.from(data)),
    method: fc.constantFrom(0 as const, 8 as const),
    symlink: fc.boolean(),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(entry, { maxLength: 8 }), async (entries) => {
      const result = await checkBounded('pliki.zip', samples.zip(entries));
      if (!result.ok) for (const problem of result.problems) assert.ok(hasMessage(problem.key));
    }),
    { numRuns: 200 },
  );
});
