import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  csvCell,
  isIsoDay,
  registrationNumber,
  searchText,
  toCsv,
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
  assert.equal(
    toCsv([
      ['a', 1],
      ['b', null],
    ]),
    '\uFEFFa,1\r\nb,\r\n',
  );
});
