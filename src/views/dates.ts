import { warsawWallClock } from '../domain/legal-time';
import type { Lang } from '../i18n/index';

/**
 * Times are stored in UTC and shown in Europe/Warsaw, written as Intl's pl-PL and en-GB
 * formats write them (test/views/dates.test.ts compares the two). They are written here from
 * the Warsaw wall clock rather than by Intl.DateTimeFormat, whose `format` with a time zone costs
 * several microseconds a call: a box page shows fifty dates.
 */
const ENGLISH_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** A calendar date, e.g. "02.03.2029" (pl) or "2 March 2029" (en). */
export function formatDate(iso: string, lang: Lang): string {
  const w = warsawWallClock(new Date(iso));
  return lang === 'pl'
    ? `${two(w.day)}.${two(w.month)}.${w.year}`
    : `${w.day} ${ENGLISH_MONTHS[w.month - 1]} ${w.year}`;
}

/** e.g. "02.03.2029, 14:05" (pl) or "02/03/2029, 14:05" (en). */
export function formatDateTime(iso: string, lang: Lang): string {
  const w = warsawWallClock(new Date(iso));
  const sep = lang === 'pl' ? '.' : '/';
  return `${two(w.day)}${sep}${two(w.month)}${sep}${w.year}, ${two(w.hour)}:${two(w.minute)}`;
}

/** A time of day, e.g. "14:05", for events of today (a draft saved a moment ago). */
export function formatTime(iso: string, _lang: Lang): string {
  const w = warsawWallClock(new Date(iso));
  return `${two(w.hour)}:${two(w.minute)}`;
}

/** Polish day abbreviations as offices write opening hours ("pon.–pt. 7:30–15:30"), in English. */
const ENGLISH_DAYS: [RegExp, string][] = [
  [/\bpon\.|\bpn\./gu, 'Mon'],
  [/\bwt\./gu, 'Tue'],
  [/(?<![\p{L}])śr\./gu, 'Wed'],
  [/\bczw\./gu, 'Thu'],
  [/\bpt\./gu, 'Fri'],
  [/\bsob\./gu, 'Sat'],
  [/\bniedz\.|\bnd\./gu, 'Sun'],
];

/**
 * Opening hours as entered (in Polish, with day abbreviations): on English pages the days are
 * named in English; the times are the same in both.
 */
export function formatOpeningHours(text: string, lang: Lang): string {
  if (lang === 'pl') return text;
  return ENGLISH_DAYS.reduce((out, [polish, english]) => out.replace(polish, english), text);
}
