/**
 * What the crash test and the power-loss test share: settings, starting a `serve` process and
 * waiting until it listens, and the small filings their clients send (every fifth with
 * attachments, one of them the same bytes each time, so blobs are shared by content).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { png } from '../../test/helpers/sample-files';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts')];
export const OFFICE = 'umczestochowa';
export const BOX = 'skrytka';

/** A whole-number setting from the environment. */
export function setting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number`);
  return value;
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `serve` with `env` added, its stderr appended to `logFile`; resolves once it listens. */
export async function startServe(
  name: string,
  env: Record<string, string>,
  logFile: string,
): Promise<ChildProcess> {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [...CLI, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', log],
  });
  fs.closeSync(log);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 120 s: ${out}`)), 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Urząd OnLine: http')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) while starting; see ${logFile}`));
    });
  });
  return child;
}

export interface FileRecord {
  name: string;
  sha256: string;
  size: number;
}

export interface SampleFiling {
  title: string;
  files: { field: string; name: string; content: Buffer; type: string }[];
  /** The multipart body of the API's filing request. */
  body(): FormData;
  /** What must be stored: each file's name, digest and size, in order. */
  records(): FileRecord[];
}

/** Filing `n` of client `id`: a unique letter, and on every fifth two attachments. */
export function sampleFiling(id: number, n: number): SampleFiling {
  const nonce = randomBytes(8).toString('hex');
  const title = `Wniosek ${id}/${n}`;
  const files: SampleFiling['files'] = [
    {
      field: 'document',
      name: `pismo-${id}-${n}.txt`,
      content: Buffer.from(`Wniosek ${id}/${n} (${nonce}): zażółć gęślą jaźń.\n`),
      type: 'text/plain',
    },
  ];
  if (n % 5 === 0) {
    files.push({
      field: 'attachment',
      name: `zalacznik-${n}.txt`,
      content: Buffer.from(`Załącznik ${nonce}\n`.repeat(1 + (n % 50))),
      type: 'text/plain',
    });
    files.push({ field: 'attachment', name: 'skan.png', content: png(), type: 'image/png' });
  }
  return {
    title,
    files,
    body() {
      const data = new FormData();
      data.append('title', title);
      for (const f of files)
        data.append(f.field, new Blob([new Uint8Array(f.content)], { type: f.type }), f.name);
      return data;
    },
    records: () => files.map((f) => ({ name: f.name, sha256: sha256(f.content), size: f.content.length })),
  };
}
