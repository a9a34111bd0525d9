/**
 * Legal time: deadlines are counted in calendar days of Europe/Warsaw (KPA art. 57), never in
 * UTC days or in multiples of 24 hours, and written times carry their Warsaw offset.
 */
export const LEGAL_TIME_ZONE = 'Europe/Warsaw';

/** A calendar day; `month` is 1-12. */
export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

const partsFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: LEGAL_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function assertDate(value: Date, what: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new Error(`${what} is not a valid date`);
}

const HOUR_MS = 3_600_000;

/** Warsaw's offset from UTC in milliseconds through each UTC hour that has been asked about. */
const offsetByHour = new Map<number, number>();

/** Warsaw's offset from UTC at an instant (whole seconds), as Intl reads the zone's rules. */
function intlOffsetMs(ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const parts = partsFormat.formatToParts(new Date(whole));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return (
    Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - whole
  );
}

/**
 * Milliseconds Warsaw is ahead of UTC at an instant. Reading the zone's rules through Intl costs
 * microseconds per call and pages and receipts show dozens of times, so the offset is kept per
 * UTC hour when it holds from the hour's first second to its last; an hour holding a clock
 * change off the whole hour (Warsaw's of 1915) is read through Intl at every call.
 */
function offsetMs(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  const known = offsetByHour.get(hour);
  if (known !== undefined) return known;
  const offset = intlOffsetMs(ms);
  const start = hour * HOUR_MS;
  if (intlOffsetMs(start) === offset && intlOffsetMs(start + HOUR_MS - 1000) === offset) {
    // Bounded: a process showing times from more than a few years keeps re-reading old hours.
    if (offsetByHour.size >= 50_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/** Warsaw wall-clock fields of an instant. */
export function warsawWallClock(
  instant: Date,
): CalendarDay & { hour: number; minute: number; second: number } {
  const local = new Date(instant.getTime() + offsetMs(instant.getTime()));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}
/** Minutes Warsaw is ahead of UTC at this instant (60 in winter, 120 in summer). */
export function warsawOffsetMinutes(instant: Date): number {
  assertDate(instant, 'instant');
  return Math.round(offsetMs(instant.getTime()) / 60_000);
}

/** The Warsaw calendar day an instant falls on. */
export function warsawDay(instant: Date): CalendarDay {
  assertDate(instant, 'instant');
  const { year, month, day } = warsawWallClock(instant);
  return { year, month, day };
}

/** The day `n` calendar days after `day` (months and leap years handled by the calendar). */
export function addCalendarDays(day: CalendarDay, n: number): CalendarDay {
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day + n));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The instant a Warsaw calendar day begins (00:00 local; no DST change in Poland happens at midnight). */
export function startOfWarsawDay(day: CalendarDay): Date {
  const guess = Date.UTC(day.year, day.month - 1, day.day);
  // The offset at local midnight is the offset a little before the guess + 2 h; try both.
  for (const offset of [60, 120]) {
    const candidate = new Date(guess - offset * 60_000);
    const w = warsawWallClock(candidate);
    if (w.year === day.year && w.month === day.month && w.day === day.day && w.hour === 0 && w.minute === 0)
      return candidate;
  }
  throw new Error(`no Warsaw midnight on ${formatDay(day)}`);
}

/**
 * The moment a term of `days` calendar days, running from an event, has ended: the term starts
 * the day after the event and ends at the end of its last day, that is at the start of the
 * following Warsaw day.
 */
export function termEnd(event: Date, days: number): Date {
  return startOfWarsawDay(addCalendarDays(warsawDay(event), days + 1));
}

export function formatDay(day: CalendarDay): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(day.year, 4)}-${pad(day.month)}-${pad(day.day)}`;
}

/** xs:dateTime in Warsaw local time with its offset, e.g. `2026-12-06T03:38:27.832+01:00`. */
export function warsawDateTime(instant: Date): string {
  assertDate(instant, 'instant');
  const offset = warsawOffsetMinutes(instant);
  const local = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 23);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Warsaw local date and time for people: `6.12.2026 03:38:27 CET`. */
export function warsawHumanDateTime(instant: Date): string {
  const w = warsawWallClock(instant);
  const zone = warsawOffsetMinutes(instant) === 120 ? 'CEST' : 'CET';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${w.day}.${pad(w.month)}.${w.year} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)} ${zone} (UTC${warsawDateTime(instant).slice(-6)})`;
}

/**
 * The instant of a Warsaw wall-clock time. A time in the spring gap (02:00-02:59 on the last
 * Sunday of March) does not exist and is read as summer time one hour later; a time in the
 * autumn overlap is read as the earlier (summer-time) instant.
 */
export function fromWarsawWallClock(
  day: CalendarDay,
  time: { hour: number; minute: number; second: number; millisecond: number },
): Date {
  const asUtc = Date.UTC(
    day.year,
    day.month - 1,
    day.day,
    time.hour,
    time.minute,
    time.second,
    time.millisecond,
  );
  for (const offset of [120, 60]) {
    const candidate = new Date(asUtc - offset * 60_000);
    if (warsawOffsetMinutes(candidate) === offset) return candidate;
  }
  return new Date(asUtc - 60 * 60_000);
}

/** The same Warsaw date and time `years` later; 29 February falls back to 28 February. */
export function addWarsawYears(from: Date, years: number): Date {
  assertDate(from, 'from');
  const w = warsawWallClock(from);
  const lastDay = new Date(Date.UTC(w.year + years, w.month, 0)).getUTCDate();
  return fromWarsawWallClock(
    { year: w.year + years, month: w.month, day: Math.min(w.day, lastDay) },
    { hour: w.hour, minute: w.minute, second: w.second, millisecond: from.getUTCMilliseconds() },
  );
}
