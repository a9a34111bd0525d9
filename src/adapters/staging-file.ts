import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

/** Content written to a local temporary file, with the digests every blob store checks against. */
export interface StagingFile {
  path: string;
  size: number;
  /** Lower-case hex. */
  sha256: string;
  /** Base64, as S3's Content-MD5 header wants it; only when asked for (MD5 costs more than SHA-256). */
  md5?: string;
}

/**
 * Streams content into a new file under `dir`, hashing and counting as it goes, and fsyncs it.
 * A failing source removes the file, so an interrupted upload leaves nothing.
 */
export async function writeStagingFile(
  dir: string,
  content: Buffer | AsyncIterable<Buffer | Uint8Array>,
  options: { md5?: boolean } = {},
): Promise<StagingFile> {
  const file = path.join(dir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
  const sha256 = createHash('sha256');
  const md5 = options.md5 ? createHash('md5') : undefined;
  let size = 0;
  const handle = await openNew(file);
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
      if (pendingBytes >= WRITE_BYTES) {
        await writeAll(handle, pending);
        pending = [];
        pendingBytes = 0;
      }
    }
    await writeAll(handle, pending);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fsp.rm(file, { force: true });
    throw error;
  }
  await handle.close();
  return {
    path: file,
    size,
    sha256: sha256.digest('hex'),
    ...(md5 ? { md5: md5.digest('base64') } : {}),
  };
}

const WRITE_BYTES = 512 * 1024;

async function writeAll(handle: fsp.FileHandle, chunks: (Buffer | Uint8Array)[]): Promise<void> {
  if (chunks.length === 0) return;
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  for (let offset = 0; offset < bytes.length;) {
    const { bytesWritten } = await handle.write(bytes, offset);
    offset += bytesWritten;
  }
}

/** Creates `file`, and its directory only when missing (not a mkdir per upload). */
async function openNew(file: string): Promise<fsp.FileHandle> {
  try {
    return await fsp.open(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await fsp.mkdir(path.dirname(file), { recursive: true });
    return fsp.open(file, 'wx');
  }
}

/** SHA-256 (hex) of a file as it is now on disk. */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: WRITE_BYTES }))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
}
