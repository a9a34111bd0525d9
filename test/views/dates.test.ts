import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDate, formatDateTime, formatTime } from '../../src/views/dates';

/**
 * The dates are written from the Warsaw wall clock (src/views/dates.ts); what they print is what
 * an Intl formatter made for each date prints, in Warsaw time, winter and summer, on both sides
 * of midnight UTC and of the clock changes.
 */
test('dates on pages: Warsaw time, both languages, as a fresh formatter prints them', () => {
  const made = (lang: 'pl' | 'en', options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(lang === 'pl' ? 'pl-PL' : 'en-GB', { timeZone: 'Europe/Warsaw', ...options });
  const instants = ['2026-01-31T23:30:00.000Z', '2026-07-01T22:15:00.000Z', '2026-03-29T00:59:00Z'];
  // Both sides of the clock changes, midnight and noon, and instants spread over 2000-2100.
  for (const change of ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z'])
    for (let m = -90; m <= 90; m += 7) instants.push(new Date(Date.parse(change) + m * 60_000).toISOString());
  for (let i = 0; i < 2000; i += 1)
    instants.push(
      new Date(Date.UTC(2000, 0, 1) + Math.floor(Math.random() * 100 * 365.25 * 86_400_000)).toISOString(),
    );
  for (const iso of instants) {
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
