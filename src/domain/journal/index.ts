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

/** The calendar year in Poland at that instant: the journal restarts its numbers each year. */
export function warsawYear(at: Date): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, year: 'numeric' }).format(at));
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
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(guess));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const shown = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return new Date(guess - (shown - guess));
}

export const isIsoDay = (value: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) &&
  !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
  new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/** A CSV cell (RFC 4180), neutralised against formula injection in spreadsheets. */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV with CRLF line ends and a UTF-8 byte order mark, so Excel reads Polish letters. */
export function toCsv(rows: (string | number | null)[][]): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
