import { createHash, randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { IN_MEMORY_BYTES } from '../ports/blob-store';
import { closeInBackground } from './durable-files';

/** Content received, with the digests every blob store checks against: in memory or in a file. */
export interface StagingFile {
  /** The content, when it was small enough to keep in memory (then there is no file). */
  bytes?: Buffer;
  /** The temporary file holding the content, fsynced, when it was not kept in memory. */
  path?: string;
  size: number;
  /** Lower-case hex. */
  sha256: string;
  /** Base64, as S3's Content-MD5 header wants it; only when asked for (MD5 costs more than SHA-256). */
  md5?: string;
}

/**
 * Receives content, hashing and counting as it goes. With `inMemory`, content of at most
 * IN_MEMORY_BYTES stays in memory and nothing is written; anything larger (and everything
 * without `inMemory`) streams into a new file under `dir`, which is fsynced. A failing source
 * removes the file, so an interrupted upload leaves nothing.
 */
export async function writeStagingFile(
  dir: string,
  content: Buffer | AsyncIterable<Buffer | Uint8Array>,
  options: { md5?: boolean; inMemory?: boolean } = {},
): Promise<StagingFile> {
  const sha256 = createHash('sha256');
  const md5 = options.md5 ? createHash('md5') : undefined;
  const keep = options.inMemory ? IN_MEMORY_BYTES : -1;
  let size = 0;
  let file: { path: string; handle: fsp.FileHandle } | undefined;
  try {
    const chunks: AsyncIterable<Buffer | Uint8Array> | Buffer[] = Buffer.isBuffer(content)
      ? [content]
      : content;
    // Chunks from the network are small (16-64 KB): they are written a few hundred KB at a
    // time, so a large upload costs a few writes, not hundreds.
    let pending: (Buffer | Uint8Array)[] = [];
    let pendingBytes = 0;
    for await (const chunk of chunks) {
      sha256.update(chunk);
      md5?.update(chunk);
      size += chunk.length;
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (!file && size > keep) file = await openNew(dir);
      if (file && pendingBytes >= WRITE_BYTES) {
        await writeAll(file.handle, pending);
        pending = [];
        pendingBytes = 0;
      }
    }
    if (!file && size <= keep) {
      return {
        bytes: joined(pending),
        size,
        sha256: sha256.digest('hex'),
        ...(md5 ? { md5: md5.digest('base64') } : {}),
      };
    }
    file ??= await openNew(dir);
    await writeAll(file.handle, pending);
    await file.handle.sync();
  } catch (error) {
    if (file) {
      await file.handle.close().catch(() => undefined);
      await fsp.rm(file.path, { force: true });
    }
    throw error;
  }
  closeInBackground(file.handle);
  return {
    path: file.path,
    size,
    sha256: sha256.digest('hex'),
    ...(md5 ? { md5: md5.digest('base64') } : {}),
  };
}

const WRITE_BYTES = 512 * 1024;

function joined(chunks: (Buffer | Uint8Array)[]): Buffer {
  const only = chunks.length === 1 ? chunks[0]! : undefined;
  if (only) return Buffer.isBuffer(only) ? only : Buffer.from(only.buffer, only.byteOffset, only.length);
  return Buffer.concat(chunks);
}

/** One writev for the batch: no copy into a joined buffer (a short write continues from there). */
async function writeAll(handle: fsp.FileHandle, chunks: (Buffer | Uint8Array)[]): Promise<void> {
  let rest = chunks.filter((chunk) => chunk.length > 0);
  while (rest.length > 0) {
    let { bytesWritten } = await handle.writev(rest);
    while (rest.length > 0 && bytesWritten >= rest[0]!.length) {
      bytesWritten -= rest[0]!.length;
      rest = rest.slice(1);
    }
    if (rest.length > 0) rest[0] = rest[0]!.subarray(bytesWritten);
  }
}

/** Creates a new file in `dir`, and `dir` only when missing (not a mkdir per upload). */
async function openNew(dir: string): Promise<{ path: string; handle: fsp.FileHandle }> {
  const file = path.join(dir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
  try {
    return { path: file, handle: await fsp.open(file, 'wx') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await fsp.mkdir(dir, { recursive: true });
    return { path: file, handle: await fsp.open(file, 'wx') };
  }
}

/**
 * Reads of a staged file go through one buffer per read, lent chunk by chunk: fresh 1 MB
 * buffers per chunk were external memory that set off V8's full collections (a fifth of the
 * server's CPU with 5 MB filings), and the last, short chunk of each file was copied again.
 */
const READ_BYTES = 256 * 1024;

/**
 * The file's content in chunks that are views into one buffer: each chunk is valid until the
 * next one is asked for (copy what is kept).
 */
async function* lentChunks(file: string): AsyncGenerator<Buffer> {
  const handle = await fsp.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafeSlow(READ_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** SHA-256 (hex) of a file as it is now on disk. */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of lentChunks(file)) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * Reading staged content back: from memory, or from its file, hashing what is read; a chunk
 * read from the file is lent (valid until the next is asked for). `checked()` says whether a
 * complete read of the file gave the staged digest (true), a different one (false, and it
 * stays false), or no read went to the end (undefined): a store's commit then needs no read of
 * its own to know the file is still what was received.
 */
export function stagedReader(staged: StagingFile): {
  read(): AsyncIterable<Buffer>;
  checked(): boolean | undefined;
} {
  let matched: boolean | undefined;
  return {
    async *read() {
      if (staged.bytes) {
        yield staged.bytes;
        return;
      }
      const hash = createHash('sha256');
      for await (const chunk of lentChunks(staged.path!)) {
        hash.update(chunk);
        yield chunk;
      }
      matched = matched !== false && hash.digest('hex') === staged.sha256;
    },
    checked: () => matched,
  };
}
