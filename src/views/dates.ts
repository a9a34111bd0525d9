import type { Lang } from '../i18n/index';

/** Times are stored in UTC and shown in Europe/Warsaw. */
const TIME_ZONE = 'Europe/Warsaw';

/**
 * The formatters are made once per language: making an Intl.DateTimeFormat costs far more than
 * using one (about as much as rendering a table row), and a page shows dozens of dates.
 */
const perLang = (options: (lang: Lang) => Intl.DateTimeFormatOptions): Record<Lang, Intl.DateTimeFormat> => ({
  pl: new Intl.DateTimeFormat('pl-PL', { timeZone: TIME_ZONE, ...options('pl') }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, ...options('en') }),
});

const DATE = perLang((lang) => ({
  day: lang === 'pl' ? '2-digit' : 'numeric',
  month: lang === 'pl' ? '2-digit' : 'long',
  year: 'numeric',
}));

const DATE_TIME = perLang(() => ({
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
}));

const TIME = perLang(() => ({ hour: '2-digit', minute: '2-digit' }));

/** A calendar date, e.g. "02.03.2029" (pl) or "2 March 2029" (en). */
export function formatDate(iso: string, lang: Lang): string {
  return DATE[lang].format(new Date(iso));
}

/** e.g. "02.03.2029, 14:05" (pl) or "02/03/2029, 14:05" (en). */
export function formatDateTime(iso: string, lang: Lang): string {
  return DATE_TIME[lang].format(new Date(iso));
}

/** A time of day, e.g. "14:05", for events of today (a draft saved a moment ago). */
export function formatTime(iso: string, lang: Lang): string {
  return TIME[lang].format(new Date(iso));
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
