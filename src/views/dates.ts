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

const DATE_TIME_MEDIUM = perLang(() => ({ dateStyle: 'medium', timeStyle: 'short' }));

/** A calendar date, e.g. "02.03.2029" (pl) or "2 March 2029" (en). */
export function formatDate(iso: string, lang: Lang): string {
  return DATE[lang].format(new Date(iso));
}

/** e.g. "02.03.2029, 14:05" (pl) or "02/03/2029, 14:05" (en). */
export function formatDateTime(iso: string, lang: Lang): string {
  return DATE_TIME[lang].format(new Date(iso));
}

/** With the month's short name, e.g. "2 mar 2029, 14:05" (pl) or "2 Mar 2029, 14:05" (en). */
export function formatDateTimeMedium(iso: string, lang: Lang): string {
  return DATE_TIME_MEDIUM[lang].format(new Date(iso));
}

/** A time of day, e.g. "14:05", for events of today (a draft saved a moment ago). */
export function formatTime(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'pl' ? 'pl-PL' : 'en-GB', {
    timeZone: TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}
