import type { Lang } from '../i18n/index';

/** Times are stored in UTC and shown in Europe/Warsaw. */
const TIME_ZONE = 'Europe/Warsaw';

/** A calendar date, e.g. "02.03.2029" (pl) or "2 March 2029" (en). */
export function formatDate(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'pl' ? 'pl-PL' : 'en-GB', {
    timeZone: TIME_ZONE,
    day: lang === 'pl' ? '2-digit' : 'numeric',
    month: lang === 'pl' ? '2-digit' : 'long',
    year: 'numeric',
  }).format(new Date(iso));
}

export function formatDateTime(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'pl' ? 'pl-PL' : 'en-GB', {
    timeZone: TIME_ZONE,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
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
