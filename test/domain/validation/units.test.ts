import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { buildPolicy } from '../../../src/domain/policy';
import {
  browserPolicy,
  browserPolicyJson,
  checkTotalSize,
  cleanFileName,
  filesRefused,
  limitBytes,
  limitChunks,
  SizeLimitExceeded,
} from '../../../src/domain/validation/index';
import { validation } from '../../../src/i18n/validation';

const sink = () =>
  new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });

test('cleanFileName: NFC, no control or bidi characters, no path, at most 255 bytes', () => {
  assert.equal(cleanFileName('Z\u0061\u0301kopane.pdf'), 'Z\u00e1kopane.pdf');
  assert.equal(cleanFileName('a\u0000b\u0007c\u007f\u0085.pdf'), 'abc.pdf');
  assert.equal(cleanFileName('faktura\u202efdp.exe'), 'fakturafdp.exe');
  assert.equal(cleanFileName('../../etc/passwd'), 'passwd');
  assert.equal(cleanFileName('C:\\Users\\Jan\\Pulpit\\wniosek.pdf'), 'wniosek.pdf');
  assert.equal(cleanFileName('  wniosek.pdf  '), 'wniosek.pdf');
  assert.equal(cleanFileName('..'), '');
  assert.equal(cleanFileName('dir/'), '');
  assert.equal(cleanFileName('\u0001\u0002'), '');
  const long = cleanFileName(`${'a'.repeat(1000)}.pdf`);
  assert.equal(Buffer.byteLength(long), 255);
  assert.ok(long.endsWith('.pdf'));
  const polish = cleanFileName(`${'ś'.repeat(1000)}.pdf`);
  assert.ok(Buffer.byteLength(polish) <= 255);
  assert.ok(polish.endsWith('ś.pdf'));
  const emoji = cleanFileName('😀'.repeat(100));
  assert.ok(Buffer.byteLength(emoji) <= 255);
  assert.doesNotMatch(emoji, /[\ud800-\udbff](?![\udc00-\udfff])/, 'no lone surrogate');
});

test('limitBytes counts across streams and stops at the limit', async () => {
  const counter = { total: 0 };
  await pipeline(Readable.from([Buffer.alloc(60)]), limitBytes(100, counter), sink());
  assert.equal(counter.total, 60);
  await assert.rejects(
    pipeline(Readable.from([Buffer.alloc(30), Buffer.alloc(30)]), limitBytes(100, counter), sink()),
    (error) => {
      assert.ok(error instanceof SizeLimitExceeded);
      assert.equal(error.limit, 100);
      return true;
    },
  );
  assert.ok(counter.total > 100);
  // Exactly at the limit is fine.
  await pipeline(Readable.from([Buffer.alloc(100)]), limitBytes(100), sink());
});

test('limitChunks counts across sources, stops at the limit and ends the source', async () => {
  const counter = { total: 0 };
  const drained = async (source: AsyncIterable<Buffer>) => {
    let bytes = 0;
    for await (const chunk of source) bytes += chunk.length;
    return bytes;
  };
  assert.equal(await drained(limitChunks(Readable.from([Buffer.alloc(60)]), 100, counter)), 60);
  assert.equal(counter.total, 60);
  const second = Readable.from([Buffer.alloc(30), Buffer.alloc(30), Buffer.alloc(30)]);
  await assert.rejects(drained(limitChunks(second, 100, counter)), (error) => {
    assert.ok(error instanceof SizeLimitExceeded);
    assert.equal(error.limit, 100);
    return true;
  });
  assert.equal(counter.total, 120, 'stopped at the chunk that passed the limit');
  assert.equal(second.destroyed, true, 'the source is not left open');
  // Exactly at the limit is fine.
  assert.equal(await drained(limitChunks(Readable.from([Buffer.alloc(100)]), 100)), 100);
});

test('checkTotalSize: the sum of all files against the office limit', () => {
  const policy = buildPolicy({ maxSizeBytes: 5 * 1024 * 1024 });
  assert.equal(checkTotalSize(policy, [5 * 1024 * 1024]), undefined);
  assert.equal(checkTotalSize(policy, [1, 2, 3]), undefined);
  const problem = checkTotalSize(policy, [3 * 1024 * 1024, 3 * 1024 * 1024]);
  assert.equal(problem?.rule, 'total-size');
  assert.equal(problem?.status, 413);
  assert.equal(problem?.params.limit, '5 MB');
});

test('browserPolicy: the accepted extensions and the limit, from the same policy', () => {
  const policy = buildPolicy({ formatIds: ['pdf', 'jpeg', '7z'], maxSizeBytes: 5 * 1024 * 1024 });
  assert.deepEqual(browserPolicy(policy), {
    extensions: ['jpeg', 'jpg', 'pdf'],
    maxSizeBytes: 5242880,
    maxSize: { pl: '5 MB', en: '5 MB' },
  });
  assert.deepEqual(browserPolicy({ ...policy, acceptUninspectableArchives: true }).extensions, [
    '7z',
    'jpeg',
    'jpg',
    'pdf',
  ]);
  assert.deepEqual(JSON.parse(browserPolicyJson(policy)), browserPolicy(policy));
});

test('the catalogue: Polish and English messages use the same placeholders', () => {
  const placeholders = (text: string) =>
    [...new Set([...text.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]?.replace(/En$/, '')))].sort();
  for (const [key, pl] of Object.entries(validation.pl)) {
    const en = validation.en[key as keyof typeof validation.en];
    assert.ok(en, key);
    assert.deepEqual(placeholders(en), placeholders(pl), key);
  }
});

test('filesRefused: one AppError with every problem as a field error and the most telling status', () => {
  const problem = (status: 413 | 415 | 422, field: string) => ({
    file: 'a.pdf',
    field,
    rule: 'empty-file' as const,
    key: 'validation.emptyFile' as const,
    params: { file: 'a.pdf' },
    status,
  });
  const mixed = filesRefused([problem(422, 'document'), problem(415, 'attachment[0]')]);
  assert.equal(mixed.status, 415);
  assert.equal(mixed.key, 'validation.refused');
  assert.deepEqual(
    mixed.fieldErrors.map((e) => e.field),
    ['document', 'attachment[0]'],
  );
  assert.equal(filesRefused([problem(422, 'a'), problem(413, 'files')]).status, 413);
  assert.equal(filesRefused([problem(422, 'a')]).status, 422);
});
