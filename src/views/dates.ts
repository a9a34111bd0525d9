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

/** A time of day, e.g. "14:05", for events of today (a draft saved a moment ago). */
export function formatTime(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'pl' ? 'pl-PL' : 'en-GB', {
    timeZone: TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}
