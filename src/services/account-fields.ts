import type { FieldError } from '../domain/errors';
import { passwordProblem } from '../domain/password-policy';

/** Form values arrive as unknown; a missing or non-string value is an empty string. */
export const text = (value: unknown, max = 500): string =>
  typeof value === 'string' ? value.trim().slice(0, max) : '';

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;

/** Length limits of account fields; forms show them (maxlength and a hint). */
export const ACCOUNT_LIMITS = { email: 320, displayName: 200 } as const;

export const normaliseEmail = (value: unknown): string => text(value, ACCOUNT_LIMITS.email).toLowerCase();

export function checkEmail(email: string, errors: FieldError[], field = 'email'): void {
  if (!email) errors.push({ field, key: 'accounts.error.email.missing' });
  else if (email.length > 254 || !EMAIL.test(email))
    errors.push({ field, key: 'accounts.error.email.format' });
}

/** Passwords are taken as typed (no trimming): spaces are allowed characters. */
export const rawPassword = (value: unknown): string => (typeof value === 'string' ? value : '');

export function checkNewPassword(
  password: string,
  confirmation: string,
  errors: FieldError[],
  field = 'password',
): void {
  const problem = passwordProblem(password);
  if (problem) errors.push({ field, key: problem });
  else if (password !== confirmation)
    errors.push({ field: `${field}Confirm`, key: 'accounts.error.password.mismatch' });
}
