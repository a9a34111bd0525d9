import argon2 from 'argon2';

/** argon2id with the library's defaults (64 MiB, 3 passes): slow for guessing, fine for a login. */
export const hashPassword = (password: string): Promise<string> =>
  argon2.hash(password, { type: argon2.argon2id });

let dummyHash: Promise<string> | undefined;

/**
 * Verifies a password. Without a stored hash (unknown account) it verifies against a dummy
 * hash, so an unknown e-mail takes as long as a wrong password.
 */
export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  dummyHash ??= hashPassword('dummy password that matches no account');
  const hash = storedHash ?? (await dummyHash);
  const ok = await argon2.verify(hash, password).catch(() => false);
  return ok && storedHash !== undefined;
}
