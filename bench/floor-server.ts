import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import multipart from '@fastify/multipart';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';

/**
 * The floor of the filing benchmark: a bare Fastify route doing only the irreducible work of a
 * filing — receive the multipart bytes, SHA-256 them, write them with fsync, commit one row,
 * make one signature. Our server's figures are read as a ratio to this.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floor-'));
const db = new SQLite(path.join(dir, 'floor.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(
  'CREATE TABLE filings (id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL, signature TEXT NOT NULL, received_at TEXT NOT NULL)',
);
const insert = db.prepare('INSERT INTO filings VALUES (?, ?, ?, ?, ?)');
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const app = Fastify();
await app.register(multipart, { limits: { fileSize: 200 * 1024 * 1024 } });
app.post('/floor', async (request, reply) => {
  const digests: string[] = [];
  let size = 0;
  for await (const part of request.parts()) {
    if (part.type !== 'file') continue;
    const hash = createHash('sha256');
    const tmp = path.join(dir, randomUUID());
    const handle = await fsp.open(tmp, 'wx');
    for await (const chunk of part.file) {
      hash.update(chunk);
      size += chunk.length;
      await handle.write(chunk);
    }
    await handle.sync();
    await handle.close();
    const sha256 = hash.digest('hex');
    await fsp.rename(tmp, path.join(dir, sha256));
    digests.push(sha256);
  }
  const id = randomUUID();
  const digest = createHash('sha256').update(digests.join()).digest();
  const signature = sign('sha256', digest, privateKey).toString('base64');
  insert.run(id, digests[0] ?? '', size, signature, new Date().toISOString());
  return reply.status(201).send({ id });
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
console.log(`listening http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
process.on('SIGTERM', () => {
  void app.close().then(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
