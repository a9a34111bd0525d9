import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FORMATS } from '../../src/domain/formats';
import {
  acceptedExtensions,
  buildPolicy,
  DEFAULT_MAX_SIZE_BYTES,
  formatSize,
  formatsByCategory,
  formatsForExtension,
} from '../../src/domain/policy';
import { browserPolicy } from '../../src/domain/validation/browser-policy';

test('the default policy is 5 MB and the KRI list without local formats', () => {
  const policy = buildPolicy();
  assert.equal(policy.maxSizeBytes, 5 * 1024 * 1024);
  assert.equal(DEFAULT_MAX_SIZE_BYTES, 5242880);
  const ids = policy.formats.map((f) => f.id);
  for (const id of [
    'pdf',
    'docx',
    'odt',
    'jpeg',
    'png',
    'zip',
    'xml',
    'xades',
    'cades',
    'asic',
    'txt',
    'csv',
  ])
    assert.ok(ids.includes(id), id);
  for (const id of ['gif', 'bmp', 'rar', 'jp2', 'dwg', 'dxf'])
    assert.ok(!ids.includes(id), `${id} is local, off by default`);
  assert.equal(policy.acceptUninspectableArchives, false);
});

test('an office may switch formats off and local ones on', () => {
  const policy = buildPolicy({ formatIds: ['pdf', 'gif'], maxSizeBytes: 1024 });
  assert.deepEqual(acceptedExtensions(policy), ['gif', 'pdf']);
  assert.equal(policy.maxSizeBytes, 1024);
  assert.deepEqual(
    formatsForExtension(policy, '.PDF').map((f) => f.id),
    ['pdf'],
  );
  assert.deepEqual(formatsForExtension(policy, 'docx'), []);
});

test('unknown format ids in a stored policy are refused', () => {
  assert.throws(() => buildPolicy({ formatIds: ['pdf', 'exe'] }), /exe/);
});

test('formats group by category in catalogue order and every format has both names', () => {
  const groups = formatsByCategory(buildPolicy());
  assert.equal(groups[0]?.category, 'documents');
  assert.ok(!groups.some((g) => g.category === 'local'));
  for (const format of FORMATS) {
    assert.ok(format.name.pl && format.name.en, format.id);
    assert.ok(
      format.extensions.every((e) => e === e.toLowerCase() && !e.startsWith('.')),
      format.id,
    );
  }
  const ids = FORMATS.map((f) => f.id);
  assert.equal(new Set(ids).size, ids.length, 'format ids are unique');
});

test('sizes are written the way the seed writes them', () => {
  assert.equal(formatSize(5 * 1024 * 1024), '5 MB');
  assert.equal(formatSize(10 * 1024 * 1024, 'en'), '10 MB');
  assert.equal(formatSize(1536 * 1024, 'pl'), '1,5 MB');
  assert.equal(formatSize(1536 * 1024, 'en'), '1.5 MB');
  assert.equal(formatSize(512), '512 B');
});

test('one list: an archive the validator cannot open is offered nowhere unless the office accepts it', () => {
  const offered = (policy: ReturnType<typeof buildPolicy>) => ({
    page: formatsByCategory(policy).flatMap((g) => g.formats.flatMap((f) => f.extensions)),
    extensions: acceptedExtensions(policy),
    browser: browserPolicy(policy).extensions,
  });
  const byDefault = offered(buildPolicy());
  for (const list of Object.values(byDefault)) assert.ok(!list.includes('7z'), '7z is refused by default');
  assert.deepEqual([...new Set(byDefault.page)].sort(), byDefault.extensions);
  assert.deepEqual(byDefault.browser, byDefault.extensions);
  const allowing = offered(buildPolicy({ acceptUninspectableArchives: true }));
  for (const list of Object.values(allowing))
    assert.ok(list.includes('7z'), '7z where the office accepts it');
  // The 2011 annex formats an office may switch on appear everywhere at once.
  const withGif = offered(buildPolicy({ formatIds: ['pdf', 'gif', 'bmp'] }));
  assert.deepEqual(withGif.extensions, ['bmp', 'gif', 'pdf']);
  assert.deepEqual(withGif.browser, withGif.extensions);
});
