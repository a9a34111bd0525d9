import type { MessageKey } from '../i18n/index';

const WEIGHTS = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
/** Month offset → century (domain.md §8). */
const CENTURIES: [offset: number, century: number][] = [
  [80, 1800],
  [0, 1900],
  [20, 2000],
  [40, 2100],
  [60, 2200],
];

export type PeselResult =
  | { ok: true; birthDate: string; sex: 'male' | 'female' }
  | { ok: false; key: Extract<MessageKey, `pesel.error.${string}`> };

/** The birth date encoded in a PESEL (YYYY-MM-DD), or undefined if the date does not exist. */
function birthDateOf(pesel: string): string | undefined {
  const yy = Number(pesel.slice(0, 2));
  const mm = Number(pesel.slice(2, 4));
  const dd = Number(pesel.slice(4, 6));
  for (const [offset, century] of CENTURIES) {
    const month = mm - offset;
    if (month < 1 || month > 12) continue;
    const year = century + yy;
    const date = new Date(Date.UTC(year, month - 1, dd));
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== dd)
      return undefined;
    return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
  }
  return undefined;
}

/**
 * Validates a PESEL (11 digits YYMMDDZZZXK): the check digit, a real date with the century
 * carried in the month, and, when given, that it matches the declared date of birth. Each kind
 * of mistake has its own message.
 */
export function validatePesel(input: string, declaredBirthDate?: string): PeselResult {
  const pesel = input.trim();
  if (!/^\d{11}$/.test(pesel)) return { ok: false, key: 'pesel.error.format' };
  const digits = [...pesel].map(Number);
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * digits[i]!, 0);
  if ((10 - (sum % 10)) % 10 !== digits[10]) return { ok: false, key: 'pesel.error.checksum' };
  const birthDate = birthDateOf(pesel);
  if (!birthDate) return { ok: false, key: 'pesel.error.date' };
  if (declaredBirthDate !== undefined && declaredBirthDate !== birthDate)
    return { ok: false, key: 'pesel.error.birthDateMismatch' };
  return { ok: true, birthDate, sex: digits[9]! % 2 === 1 ? 'male' : 'female' };
}

/** The form shown in logs and the audit log: date part only, e.g. 440514*****. */
export function maskPesel(pesel: string): string {
  return `${pesel.slice(0, 6)}*****`;
}
