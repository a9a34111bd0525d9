import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translate } from '../../src/i18n/index';

test('plurals follow Intl.PluralRules: Polish one, few, many; English one, other', () => {
  const pl = (count: number) => translate('pl', 'box.findings.count', { count });
  assert.deepEqual([1, 2, 4, 5, 12, 22, 25, 0].map(pl), [
    '1 uwaga',
    '2 uwagi',
    '4 uwagi',
    '5 uwag',
    '12 uwag',
    '22 uwagi',
    '25 uwag',
    '0 uwag',
  ]);
  const en = (count: number) => translate('en', 'box.findings.count', { count });
  assert.deepEqual([1, 2, 0].map(en), ['1 finding', '2 findings', '0 findings']);
  assert.match(
    translate('pl', 'backup.error.blobMissing', { count: 3, sha256: 'ab' }),
    /^Baza wskazuje 3 pliki, których nie ma w magazynie DATA_DIR\/blobs, np\. ab;/,
  );
  assert.match(
    translate('en', 'backup.error.blobMissing', { count: 1, sha256: 'ab' }),
    /^The database refers to 1 file missing/,
  );
});
