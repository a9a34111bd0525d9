import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allMessages, LANGS, translate } from '../../src/i18n/index';

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

test('every count shown to people goes through a plural form: the audit chain, the SOAP size limit', () => {
  assert.equal(
    translate('pl', 'admin.audit.chainOk', { count: 1 }),
    'Łańcuch skrótów jest nienaruszony (1 wpis).',
  );
  assert.equal(
    translate('pl', 'admin.audit.chainOk', { count: 3 }),
    'Łańcuch skrótów jest nienaruszony (3 wpisy).',
  );
  assert.equal(
    translate('pl', 'admin.audit.chainOk', { count: 7 }),
    'Łańcuch skrótów jest nienaruszony (7 wpisów).',
  );
  assert.equal(translate('en', 'admin.audit.chainOk', { count: 1 }), 'The hash chain is intact (1 entry).');
  assert.equal(
    translate('pl', 'soap.error.tooLarge', { size: 1002, limit: 1000 }),
    'Żądanie ma 1002 bajty, a urząd przyjmuje najwyżej 1000 bajtów.',
  );
});

test('no message counts things without a plural form ("{count} wpisów", "plik(ów)")', () => {
  const bare = /\{(count|n|left|total)\}\s+\p{L}|\p{L}\((ów|y|i|e)\)/u;
  const found: string[] = [];
  for (const lang of LANGS)
    for (const [key, text] of allMessages(lang)) if (bare.test(text)) found.push(`${lang} ${key}: ${text}`);
  assert.deepEqual(found, []);
});
