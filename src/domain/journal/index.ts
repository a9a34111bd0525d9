/**
 * The correspondence journal (domain.md §10): registration numbers, the document states at the
 * office, and the text the box searches.
 */
export const DOCUMENT_STATUSES = ['received', 'registered', 'assigned', 'closed'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
export const isDocumentStatus = (value: unknown): value is DocumentStatus =>
  DOCUMENT_STATUSES.includes(value as DocumentStatus);

export * from './search-words';

export const SIGNATURE_STATUSES = ['none', 'valid', 'invalid', 'indeterminate'] as const;

const TIME_ZONE = 'Europe/Warsaw';

/** Made once: making a formatter costs far more than using it. */
const YEAR = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, year: 'numeric' });
const DAY_START_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** The calendar year in Poland at that instant: the journal restarts its numbers each year. */
export function warsawYear(at: Date): number {
  return Number(YEAR.format(at));
}

/** e.g. UMCZ/2026/000123; numbers past 999999 simply grow wider. */
export function registrationNumber(shortCode: string, year: number, number: number): string {
  return `${shortCode}/${year}/${String(number).padStart(6, '0')}`;
}

/** The UTC instant at which a calendar day (YYYY-MM-DD) begins in Poland. */
export function warsawDayStart(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  // The offset of Warsaw (+1 or +2 hours) at that moment, read back from Intl.
  const parts = DAY_START_PARTS.formatToParts(new Date(guess));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const shown = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return new Date(guess - (shown - guess));
}

export const isIsoDay = (value: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) &&
  !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
  new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/**
 * The two forms of a CSV export. "spreadsheet" opens directly in Polish spreadsheet programs:
 * semicolons (the Polish list separator), a UTF-8 byte order mark (so Polish letters survive),
 * local times and words. "machine" is RFC 4180 for programs: commas, no BOM, ISO 8601 UTC
 * times and the status codes.
 */
export type CsvForm = 'spreadsheet' | 'machine';
export const CSV_FORMS: readonly CsvForm[] = ['spreadsheet', 'machine'];
export const isCsvForm = (value: unknown): value is CsvForm => value === 'spreadsheet' || value === 'machine';

const SEPARATOR: Record<CsvForm, string> = { spreadsheet: ';', machine: ',' };

/** A CSV cell (RFC 4180), neutralised against formula injection in spreadsheets. */
export function csvCell(value: string | number | null, separator = ','): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV with CRLF line ends, in the given form. */
export function toCsv(rows: (string | number | null)[][], form: CsvForm = 'spreadsheet'): string {
  const separator = SEPARATOR[form];
  const body = `${rows.map((row) => row.map((cell) => csvCell(cell, separator)).join(separator)).join('\r\n')}\r\n`;
  return form === 'spreadsheet' ? `\uFEFF${body}` : body;
}

const localTimeParts = (locale: string) =>
  new Intl.DateTimeFormat(locale, {
    timeZone: TIME_ZONE,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
const LOCAL_TIME_PARTS = { pl: localTimeParts('pl-PL'), en: localTimeParts('en-GB') };

/** A moment as a spreadsheet shows a local time: "26.11.2026 11:00" (pl), "26/11/2026 11:00" (en), Warsaw time. */
export function warsawLocalTime(iso: string, lang: 'pl' | 'en'): string {
  const parts = LOCAL_TIME_PARTS[lang].formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  const sep = lang === 'pl' ? '.' : '/';
  return `${get('day')}${sep}${get('month')}${sep}${get('year')} ${get('hour')}:${get('minute')}`;
}
