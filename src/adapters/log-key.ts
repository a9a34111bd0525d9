import { createPrivateKey, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createFileOnce, makeDurableDirSync } from './durable-files';

/**
 * The transparency log's Ed25519 key in `<dataDir>/keys/log-ed25519.pem` (PKCS#8, mode 0600),
 * generated on first start and written with `createFileOnce`: if several processes start at
 * once, all use the first key, and no process (nor a restart after a power cut) ever reads a
 * half-written file.
 */
export function loadOrCreateLogKey(dataDir: string): KeyObject {
  const dir = path.join(dataDir, 'keys');
  const file = path.join(dir, 'log-ed25519.pem');
  if (!fs.existsSync(file)) {
    makeDurableDirSync(dir, dataDir, 0o700);
    const { privateKey } = generateKeyPairSync('ed25519');
    createFileOnce(file, privateKey.export({ format: 'pem', type: 'pkcs8' }));
  }
  const key = createPrivateKey(fs.readFileSync(file));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 private key`);
  return key;
}

/**
 * The audit log's MAC key, derived from the log key: kept outside the database like it, the
 * same on every node (a node with another log key is refused at start), and in every backup of
 * `DATA_DIR/keys`. docs/security.md, row 6.
 */
export function deriveAuditKey(logKey: KeyObject): Buffer {
  const secret = logKey.export({ format: 'der', type: 'pkcs8' });
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'urzad-online audit-log mac v1', 32));
}
