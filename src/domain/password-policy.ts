import type { MessageKey } from '../i18n/index';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

/**
 * Common passwords of 12 characters or more (from public breach lists). Shorter ones are
 * refused by length already.
 */
const COMMON = new Set(
  [
    '123456789012',
    '1234567890123',
    '12345678901234',
    '123456789123',
    'qwertyuiopas',
    'qwertyuiop12',
    'qwertyuiop123',
    'qwerty123456',
    '1q2w3e4r5t6y',
    '1q2w3e4r5t6y7u',
    'q1w2e3r4t5y6',
    'password1234',
    'password12345',
    'password123!',
    'passwordpassword',
    'iloveyou1234',
    'administrator',
    'aaaaaaaaaaaa',
    '111111111111',
    '000000000000',
    '123123123123',
    'abcdefghijkl',
    'abc123abc123',
    'zaq12wsxcde3',
    'zaq1@wsx#edc',
    '1qaz2wsx3edc',
    'qazwsxedcrfv',
    'asdfghjkl123',
    'haslo1234567',
    'haslohaslo12',
    'hasło123456789',
    'polska123456',
    'polska12345678',
    'kochamcie123',
    'mojehaslo123',
    'czestochowa1',
    'czestochowa123',
    'welcome12345',
    'letmein12345',
    'changeme1234',
    'football1234',
    'monkey123456',
    'dragon123456',
    'sunshine1234',
    'princess1234',
    'superman1234',
    'trustno1trustno1',
    'starwars1234',
    'baseball1234',
    'michael12345',
    'qwerty123456789',
    'password123456',
    'passw0rd1234',
    'p@ssw0rd1234',
    'admin1234567',
    'adminadmin12',
    'useruser1234',
    'test12345678',
    'testtesttest',
    'zaq1zaq1zaq1',
    'mamusia12345',
    'kochanie1234',
    'agnieszka123',
  ].map((p) => p.toLowerCase()),
);

export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return true;
  // One character repeated, or a run of consecutive digits, is as weak as a listed one.
  return (
    /^(.)\1+$/.test(lower) || '01234567890123456789'.includes(lower) || '98765432109876543210'.includes(lower)
  );
}

/** The first rule a new password breaks, or undefined. */
export function passwordProblem(password: string): MessageKey | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return 'accounts.error.password.short';
  if (password.length > MAX_PASSWORD_LENGTH) return 'accounts.error.password.long';
  if (isCommonPassword(password)) return 'accounts.error.password.common';
  return undefined;
}
