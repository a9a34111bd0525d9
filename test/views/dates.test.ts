import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDate, formatDateTime, formatTime } from '../../src/views/dates';

/**
 * The formatters are made once per language (src/views/dates.ts); what they print is what a
 * formatter made for each date printed, in Warsaw time, winter and summer, on both sides of
 * midnight UTC.
 */
test('dates on pages: Warsaw time, both languages, as a fresh formatter prints them', () => {
  const made = (lang: 'pl' | 'en', options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(lang === 'pl' ? 'pl-PL' : 'en-GB', { timeZone: 'Europe/Warsaw', ...options });
  for (const iso of ['2026-01-31T23:30:00.000Z', '2026-07-01T22:15:00.000Z', '2026-03-29T00:59:00Z']) {
    for (const lang of ['pl', 'en'] as const) {
      const at = new Date(iso);
      assert.equal(
        formatDate(iso, lang),
        made(lang, {
          day: lang === 'pl' ? '2-digit' : 'numeric',
          month: lang === 'pl' ? '2-digit' : 'long',
          year: 'numeric',
        }).format(at),
      );
      assert.equal(
        formatDateTime(iso, lang),
        made(lang, {
          day: '2-digit',
          month: '2-digit',
          year: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
        }).format(at),
      );
      assert.equal(formatTime(iso, lang), made(lang, { hour: '2-digit', minute: '2-digit' }).format(at));
    }
  }
  // The Warsaw day, not the UTC one: 23:30 UTC on 31 January is 1 February in Poland.
  assert.equal(formatDate('2026-01-31T23:30:00.000Z', 'pl'), '01.02.2026');
  assert.equal(formatDate('2026-01-31T23:30:00.000Z', 'en'), '1 February 2026');
  assert.equal(formatDateTime('2026-07-01T22:15:00.000Z', 'pl'), '02.07.2026, 00:15');
});
