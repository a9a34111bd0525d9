import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
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
