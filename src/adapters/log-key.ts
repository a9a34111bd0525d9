import { createPrivateKey, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The transparency log's Ed25519 key in `<dataDir>/keys/log-ed25519.pem` (PKCS#8, mode 0600),
 * generated on first start. A new key is written to a temporary file and hard-linked into
 * place, which fails if another process got there first: then both use the first key, and no
 * process ever reads a half-written file.
 */
export function loadOrCreateLogKey(dataDir: string): KeyObject {
  const dir = path.join(dataDir, 'keys');
  const file = path.join(dir, 'log-ed25519.pem');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' });
    const temp = path.join(dir, `.log-ed25519.${randomBytes(6).toString('hex')}.tmp`);
    fs.writeFileSync(temp, pem, { mode: 0o600, flag: 'wx' });
    const fd = fs.openSync(temp, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    try {
      fs.linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.unlinkSync(temp);
    }
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
