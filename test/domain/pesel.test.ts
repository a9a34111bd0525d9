import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { maskPesel, validatePesel } from '../../src/domain/pesel';

/** Builds a valid PESEL for a date and serial, computing the check digit independently. */
function makePesel(year: number, month: number, day: number, serial: number): string {
  const offset = year < 1900 ? 80 : year < 2000 ? 0 : year < 2100 ? 20 : year < 2200 ? 40 : 60;
  const head = `${String(year % 100).padStart(2, '0')}${String(month + offset).padStart(2, '0')}${String(day).padStart(2, '0')}${String(serial).padStart(4, '0')}`;
  const weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = [...head].reduce((acc, d, i) => acc + Number(d) * weights[i]!, 0);
  return `${head}${(10 - (sum % 10)) % 10}`;
}

test('44051401359 is valid: born 14 May 1944, male', () => {
  assert.deepEqual(validatePesel('44051401359'), { ok: true, birthDate: '1944-05-14', sex: 'male' });
  assert.deepEqual(validatePesel('44051401359', '1944-05-14'), {
    ok: true,
    birthDate: '1944-05-14',
    sex: 'male',
  });
});

test('each kind of mistake has its own message key', () => {
  assert.deepEqual(validatePesel('4405140135'), { ok: false, key: 'pesel.error.format' });
  assert.deepEqual(validatePesel('4405140135a'), { ok: false, key: 'pesel.error.format' });
  assert.deepEqual(validatePesel('44051401358'), { ok: false, key: 'pesel.error.checksum' });
  // 30 February 1944 with a correct check digit.
  assert.deepEqual(validatePesel(makePesel(1944, 2, 30, 123)), { ok: false, key: 'pesel.error.date' });
  assert.deepEqual(validatePesel('44051401359', '1944-05-15'), {
    ok: false,
    key: 'pesel.error.birthDateMismatch',
  });
});

test('the century is carried in the month', () => {
  assert.equal((validatePesel(makePesel(1890, 3, 1, 1)) as { birthDate: string }).birthDate, '1890-03-01');
  assert.equal((validatePesel(makePesel(2004, 12, 31, 2)) as { birthDate: string }).birthDate, '2004-12-31');
  assert.equal((validatePesel(makePesel(2000, 2, 29, 3)) as { birthDate: string }).birthDate, '2000-02-29');
  assert.equal(validatePesel(makePesel(2100, 2, 29, 3)).ok, false, '2100 is not a leap year');
  assert.equal((validatePesel(makePesel(2150, 6, 15, 4)) as { birthDate: string }).birthDate, '2150-06-15');
  assert.equal((validatePesel(makePesel(2250, 1, 1, 5)) as { birthDate: string }).birthDate, '2250-01-01');
  assert.equal((validatePesel(makePesel(1990, 1, 1, 2)) as { sex: string }).sex, 'female');
});

test('property: every generated PESEL validates to its own date; any one changed digit is refused', () => {
  fc.assert(
    fc.property(
      fc.date({ min: new Date('1800-01-01'), max: new Date('2299-12-31'), noInvalidDate: true }),
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 10 }),
      fc.integer({ min: 1, max: 9 }),
      (date, serial, position, delta) => {
        const y = date.getUTCFullYear();
        const m = date.getUTCMonth() + 1;
        const d = date.getUTCDate();
        const pesel = makePesel(y, m, d, serial);
        const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const result = validatePesel(pesel, iso);
        assert.equal(result.ok, true);
        const digits = [...pesel];
        digits[position] = String((Number(digits[position]) + delta) % 10);
        // The weights 1,3,7,9 are coprime with 10, so a single changed digit always breaks the sum.
        assert.equal(validatePesel(digits.join('')).ok, false);
      },
    ),
  );
});

test('masking keeps only the date part', () => {
  assert.equal(maskPesel('44051401359'), '440514*****');
});
