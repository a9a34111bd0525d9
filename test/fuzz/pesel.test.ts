/**
 * PESEL validator against an independent reference written here from the published algorithm
 * (Ustawa o ewidencji ludności, MSWiA): weights 1-3-7-9, check digit (10 − sum mod 10) mod 10,
 * the century carried in the month (+80 for the 1800s, +0, +20, +40, +60 for the 2200s), and a
 * real Gregorian date, computed without Date.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { validatePesel } from '../../src/domain/pesel';
import { fuzzParameters } from './budget';

type Reference =
  | { ok: true; birthDate: string; sex: 'male' | 'female' }
  | { ok: false; key: 'pesel.error.format' | 'pesel.error.checksum' | 'pesel.error.date' };

const DIGITS = '0123456789';

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function reference(input: string): Reference {
  const s = input.trim();
  if (s.length !== 11 || [...s].some((c) => !DIGITS.includes(c)))
    return { ok: false, key: 'pesel.error.format' };
  const d = [...s].map((c) => DIGITS.indexOf(c));
  const weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += d[i]! * weights[i]!;
  if ((10 - (sum % 10)) % 10 !== d[10]) return { ok: false, key: 'pesel.error.checksum' };
  const encodedMonth = d[2]! * 10 + d[3]!;
  const centuries: Record<number, number> = { 8: 1800, 0: 1900, 2: 2000, 4: 2100, 6: 2200 };
  const tens = Math.floor(encodedMonth / 20) * 2;
  const century = centuries[tens];
  const month = encodedMonth - (tens === 8 ? 80 : tens * 10);
  if (century === undefined || month < 1 || month > 12) return { ok: false, key: 'pesel.error.date' };
  const year = century + d[0]! * 10 + d[1]!;
  const day = d[4]! * 10 + d[5]!;
  if (day < 1 || day > daysIn(year, month)) return { ok: false, key: 'pesel.error.date' };
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return {
    ok: true,
    birthDate: `${year}-${pad(month, 2)}-${pad(day, 2)}`,
    sex: d[9]! % 2 === 1 ? 'male' : 'female',
  };
}

/** Eleven digits; half of them built from a plausible date with the right check digit, so both verdicts occur. */
const elevenDigits = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 11, maxLength: 11 }).map((d) => d.join('')),
  fc
    .record({
      year: fc.integer({ min: 1800, max: 2299 }),
      month: fc.integer({ min: 0, max: 13 }),
      day: fc.integer({ min: 0, max: 32 }),
      serial: fc.integer({ min: 0, max: 9999 }),
      fixCheck: fc.boolean(),
      check: fc.integer({ min: 0, max: 9 }),
    })
    .map(({ year, month, day, serial, fixCheck, check }) => {
      const offset = [80, 0, 20, 40, 60][Math.floor(year / 100) - 18]!;
      const head = `${String(year % 100).padStart(2, '0')}${String((month + offset) % 100).padStart(2, '0')}${String(day % 100).padStart(2, '0')}${String(serial).padStart(4, '0')}`;
      const weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
      const sum = [...head].reduce((acc, c, i) => acc + Number(c) * weights[i]!, 0);
      return `${head}${fixCheck ? (10 - (sum % 10)) % 10 : check}`;
    }),
);

test('any 11 digits: accepted exactly when the reference accepts, with the same date, sex and reason', () => {
  fc.assert(
    fc.property(elevenDigits, (pesel) => {
      assert.deepEqual(validatePesel(pesel), reference(pesel));
    }),
    fuzzParameters(3000),
  );
});

test('the declared birth date must be the encoded one', () => {
  fc.assert(
    fc.property(
      elevenDigits,
      fc.date({ min: new Date('1800-01-01'), max: new Date('2299-12-31'), noInvalidDate: true }),
      (pesel, date) => {
        const expected = reference(pesel);
        fc.pre(expected.ok);
        assert.deepEqual(validatePesel(pesel, expected.birthDate), expected);
        const other = date.toISOString().slice(0, 10);
        const result = validatePesel(pesel, other);
        if (other === expected.birthDate) assert.deepEqual(result, expected);
        else assert.deepEqual(result, { ok: false, key: 'pesel.error.birthDateMismatch' });
      },
    ),
    fuzzParameters(1000),
  );
});

/** Characters that look like digits or are easy to smuggle in: other scripts' digits, full-width, signs, spaces. */
const confusable = fc.constantFrom(
  '٤', // Arabic-Indic four
  '۴', // Extended Arabic-Indic four
  '४', // Devanagari four
  '４', // full-width four
  '𝟒', // mathematical bold four
  '¹',
  '½',
  '+',
  '-',
  '.',
  ' ',
  '\u00a0',
  '\u200b',
  '\n',
  'e',
  'O',
);

test('anything that is not eleven ASCII digits (after trimming) is a format error', () => {
  const valid = '44051401359';
  const arbitrary = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.string({ unit: fc.constantFrom(...DIGITS), minLength: 0, maxLength: 14 }),
    // A valid PESEL with one character replaced or inserted.
    fc
      .tuple(fc.integer({ min: 0, max: 11 }), confusable, fc.boolean())
      .map(([at, c, insert]) => valid.slice(0, at) + c + valid.slice(insert ? at : at + 1)),
  );
  fc.assert(
    fc.property(arbitrary, (input) => {
      const result = validatePesel(input);
      const expected = reference(input);
      assert.deepEqual(result, expected);
      if (!/^[0-9]{11}$/.test(input.trim()))
        assert.deepEqual(result, { ok: false, key: 'pesel.error.format' });
    }),
    fuzzParameters(3000),
  );
});
