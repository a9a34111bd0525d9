import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const SCRIPT = `
import { loadOrCreateLogKey } from './src/adapters/log-key.ts';
import { createPublicKey } from 'node:crypto';
const key = loadOrCreateLogKey(process.argv[1]);
console.log(createPublicKey(key).export({ format: 'jwk' }).x);
`;

function run(dataDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT, dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(err))));
  });
}

test('processes starting together on a fresh DATA_DIR all end up with one log key, mode 0600', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-key-'));
  try {
    const keys = await Promise.all(Array.from({ length: 6 }, () => run(dataDir)));
    assert.equal(new Set(keys).size, 1, `one key for all: ${keys.join(', ')}`);
    assert.match(keys[0]!, /^[A-Za-z0-9_-]{43}$/);
    const dir = path.join(dataDir, 'keys');
    assert.deepEqual(fs.readdirSync(dir), ['log-ed25519.pem'], 'no temporary files left behind');
    assert.equal(fs.statSync(path.join(dir, 'log-ed25519.pem')).mode & 0o777, 0o600);
    assert.equal(await run(dataDir), keys[0], 'kept across restarts');
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
