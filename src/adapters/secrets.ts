import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createFileOnce, makeDurableDirSync } from './durable-files';

/**
 * A secret kept in `<dataDir>/secrets/<name>` (mode 0600), generated on first use, so that
 * `npm start` needs no configuration and restarts keep signed cookies valid.
 */
export function loadOrCreateSecret(dataDir: string, name: string, bytes = 32): string {
  const dir = path.join(dataDir, 'secrets');
  const file = path.join(dir, name);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  makeDurableDirSync(dir, dataDir, 0o700);
  // Durably, and never empty: a power cut right after must not leave an empty secret behind.
  return createFileOnce(file, randomBytes(bytes).toString('base64url')).trim();
}
