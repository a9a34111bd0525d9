import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  csvCell,
  isIsoDay,
  documentWords,
  MAX_DOCUMENT_WORDS,
  MAX_WORD_LENGTH,
  documentSearchEntries,
  prefixEnd,
  registrationNumber,
  searchTerms,
  searchText,
  toCsv,
  warsawLocalTime,
  warsawDayStart,
  warsawYear,
} from '../../src/domain/journal/index';

test('the journal year is the calendar year in Poland, not in UTC', () => {
  assert.equal(warsawYear(new Date('2025-12-31T22:59:59Z')), 2025);
  assert.equal(
    warsawYear(new Date('2025-12-31T23:00:00Z')),
    2026,
    'midnight in Warsaw is 23:00 UTC in winter',
  );
});

test('registration numbers: short code, year, six digits', () => {
  assert.equal(registrationNumber('UMCZ', 2026, 123), 'UMCZ/2026/000123');
  assert.equal(registrationNumber('UMCZ', 2026, 1234567), 'UMCZ/2026/1234567');
});

test('a Polish calendar day starts at 23:00 or 22:00 UTC the day before, across the clock changes', () => {
  assert.equal(warsawDayStart('2026-01-15').toISOString(), '2026-01-14T23:00:00.000Z');
  assert.equal(warsawDayStart('2026-07-15').toISOString(), '2026-07-14T22:00:00.000Z');
  assert.equal(
    warsawDayStart('2026-03-29').toISOString(),
    '2026-03-28T23:00:00.000Z',
    'the day summer time begins starts in winter time',
  );
  assert.equal(warsawDayStart('2026-10-25').toISOString(), '2026-10-24T22:00:00.000Z');
});

test('only real days are days', () => {
  assert.ok(isIsoDay('2024-02-29'));
  for (const bad of ['2026-02-29', '2026-13-01', '1.1.2026', '2026-1-1', '']) assert.ok(!isIsoDay(bad), bad);
});

test('search text ignores case and Polish diacritics', () => {
  assert.equal(searchText('Zaświadczenie  o ŁĄCE', 'Józef Żółć'), 'zaswiadczenie o lace jozef zolc');
});

test('words: folded like the search text, split at anything but letters and digits, each once', () => {
  assert.deepEqual(
    documentWords('Zażalenie na postanowienie nr 12/2026', 'Firma Kowalska-Nowak Sp. z o.o.'),
    ['firma', 'kowalska', 'nowak', 'sp', 'z', 'o', 'zazalenie', 'na', 'postanowienie', 'nr', '12', '2026'],
  );
  assert.deepEqual(documentWords('ŁÓDŹ, Żółć!', ''), ['lodz', 'zolc']);
  assert.deepEqual(documentWords('%_\\ — "…"', ''), [], 'no letters, no words');
  assert.equal(documentWords('a'.repeat(100), '')[0], 'a'.repeat(MAX_WORD_LENGTH), 'long words are cut');
  const many = Array.from({ length: 150 }, (_, i) => `w${i}`).join(' ');
  const words = documentWords(many, 'Jan Kowalski');
  assert.equal(words.length, MAX_DOCUMENT_WORDS);
  assert.deepEqual(words.slice(0, 3), ['jan', 'kowalski', 'w0'], "the sender's words come first");
});

test('search terms: whole words, the last one a prefix unless a whole word implies it', () => {
  assert.deepEqual(searchTerms('Zaświad'), { words: [], prefix: 'zaswiad' });
  assert.deepEqual(searchTerms('ZAŻALENIE na post'), { words: ['zazalenie', 'na'], prefix: 'post' });
  assert.deepEqual(searchTerms('na na  zaz'), { words: ['na'], prefix: 'zaz' }, 'repeated words count once');
  assert.deepEqual(searchTerms('nowak no'), { words: ['nowak'], prefix: undefined });
  assert.deepEqual(searchTerms('%'), { words: [], prefix: undefined });
  assert.deepEqual(searchTerms(''), { words: [], prefix: undefined });
});

test("a document's index entries: its office's, then its words; none without words", () => {
  assert.deepEqual(documentSearchEntries('um-krakow', 'Żółć', 'Jan'), ['@um-krakow', 'jan', 'zolc']);
  assert.deepEqual(documentSearchEntries('um-krakow', '%', '—'), []);
});

test('a prefix range ends just above its last character', () => {
  assert.equal(prefixEnd('zaz'), 'za{');
  assert.equal(prefixEnd('a9'), 'a:');
  const inRange = (word: string, prefix: string) => word >= prefix && word < prefixEnd(prefix);
  assert.ok(inRange('zazalenie', 'zaz'));
  assert.ok(inRange('zaz', 'zaz'));
  assert.ok(!inRange('zb', 'zaz'));
  assert.ok(!inRange('zay', 'zaz'));
});

test('CSV cells: RFC 4180 quoting, formulas neutralised, BOM and CRLF', () => {
  assert.equal(csvCell('zwykły tekst'), 'zwykły tekst');
  assert.equal(csvCell('a "b", c'), '"a ""b"", c"');
  assert.equal(csvCell('=1+1'), "'=1+1");
  assert.equal(csvCell('+48 600'), "'+48 600");
  assert.equal(csvCell('-2'), "'-2");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvCell('dwie\nlinie'), '"dwie\nlinie"');
  assert.equal(csvCell(null), '');
  // The spreadsheet form: semicolons and a BOM; a cell with a semicolon is quoted there.
  assert.equal(
    toCsv([
      ['a', 1],
      ['b;c', null],
    ]),
    '\uFEFFa;1\r\n"b;c";\r\n',
  );
  assert.equal(csvCell('a;b', ';'), '"a;b"');
  assert.equal(csvCell('a;b'), 'a;b');
  // The machine form: RFC 4180 commas, no BOM.
  assert.equal(
    toCsv(
      [
        ['a', 1],
        ['b,c', null],
      ],
      'machine',
    ),
    'a,1\r\n"b,c",\r\n',
  );
});

test('local times for spreadsheets: Warsaw time, winter and summer', () => {
  assert.equal(warsawLocalTime('2026-11-26T10:00:00.000Z', 'pl'), '26.11.2026 11:00');
  assert.equal(warsawLocalTime('2026-07-01T22:30:00.000Z', 'pl'), '02.07.2026 00:30');
  assert.equal(warsawLocalTime('2026-11-26T10:00:00.000Z', 'en'), '26/11/2026 11:00');
});
