import { createHash, randomBytes, randomInt } from 'node:crypto';

/** A random URL-safe token (256 bits) for links and session cookies. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** Only hashes of tokens and codes are stored, so a copy of the database opens nothing. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** A code of `digits` decimal digits, uniformly drawn. */
export const randomDigits = (digits: number): string =>
  String(randomInt(0, 10 ** digits)).padStart(digits, '0');
