import fs from 'node:fs';
import { HEAD_BYTES } from './magic';
import type { IncomingFile } from './types';

/**
 * One file to check: a received file (in memory or staged on disk), or an entry streaming out
 * of an archive. `read()` yields the whole content from its first byte and may be called once;
 * a chunk it yields may be lent, valid only until the next is asked for (`ownedChunks` copies).
 * `drain()` consumes what is left, so an archive entry is always fully unpacked (and counted).
 */
export interface Content {
  /** Base name, for the extension. */
  name: string;
  /** Name shown in messages: the file, or "archive.zip/dir/entry.pdf". */
  display: string;
  head: Buffer;
  /** The whole content, when it is in memory: read without I/O. */
  bytes?: Buffer;
  /** Staged file on disk: allows random access (zip) without reading it into memory. */
  path?: string;
  /** Length of the content, when known before reading it (a received file). */
  size?: number;
  read(): AsyncIterable<Buffer>;
  drain(): Promise<void>;
}

const FILE_READ_BYTES = 1024 * 1024;

/** A received file: from memory when it is there, else from its staged file. */
export async function contentFromFile(file: IncomingFile, name: string, display: string): Promise<Content> {
  const { bytes, path } = file;
  if (bytes) {
    return {
      name,
      display,
      head: bytes.subarray(0, HEAD_BYTES),
      bytes,
      read: async function* () {
        yield bytes;
      },
      drain: async () => undefined,
    };
  }
  if (path === undefined) throw new Error(`${display}: neither bytes nor a file`);
  const handle = await fs.promises.open(path, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(Math.min(file.size, HEAD_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  return {
    name,
    display,
    head,
    path,
    size: file.size,
    // Large reads: a file checked whole (text, say) costs a few reads, not one per 64 KB.
    read: file.read ?? (() => fs.createReadStream(path, { highWaterMark: FILE_READ_BYTES })),
    drain: async () => undefined,
  };
}

export async function contentFromStream(
  stream: AsyncIterable<Buffer | Uint8Array>,
  name: string,
  display: string,
): Promise<Content> {
  // Pulled by hand rather than with for-await, so an early stop of read() never destroys the
  // source and drain() can still finish it.
  const source = stream[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < HEAD_BYTES) {
    const next = await source.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = Buffer.from(next.value);
    first.push(chunk);
    length += chunk.length;
  }
  const start = Buffer.concat(first);
  let started = false;
  const rest = async function* (): AsyncGenerator<Buffer> {
    while (!ended) {
      const next = await source.next();
      if (next.done) {
        ended = true;
        return;
      }
      yield Buffer.from(next.value);
    }
  };
  return {
    name,
    display,
    head: start.subarray(0, HEAD_BYTES),
    read: async function* () {
      if (started) throw new Error('content read twice');
      started = true;
      yield start;
      yield* rest();
    },
    drain: async () => {
      started = true;
      for await (const _chunk of rest()) {
        // counted by the limiter upstream
      }
    },
  };
}

/** The whole content in memory, refusing more than `limit` bytes (`onTooLarge` decides what to throw). */
export async function readAll(content: Content, limit: number, onTooLarge: () => Error): Promise<Buffer> {
  if (content.bytes) {
    if (content.bytes.length > limit) throw onTooLarge();
    return content.bytes;
  }
  if (content.size !== undefined && content.size > limit) throw onTooLarge();
  return collectChunks(content.read(), content.size, limit, onTooLarge);
}

/**
 * Lent chunks copied into one buffer: allocated once when the length is known (one copy, as
 * Buffer.concat makes), else joined at the end. More than `limit` bytes throw `onTooLarge()`.
 * Content that turns out longer than `size` (a file changed on disk) is returned as read.
 */
export async function collectChunks(
  chunks: AsyncIterable<Buffer>,
  size: number | undefined,
  limit = Infinity,
  onTooLarge: () => Error = () => new RangeError(`more than ${limit} bytes`),
): Promise<Buffer> {
  const whole = size === undefined ? undefined : Buffer.allocUnsafe(size);
  const rest: Buffer[] = [];
  let filled = 0;
  let length = 0;
  for await (const chunk of chunks) {
    length += chunk.length;
    if (length > limit) throw onTooLarge();
    if (whole && rest.length === 0 && filled + chunk.length <= whole.length) {
      chunk.copy(whole, filled);
      filled += chunk.length;
    } else rest.push(Buffer.from(chunk));
  }
  if (!whole) return Buffer.concat(rest, length);
  return rest.length === 0 ? whole.subarray(0, filled) : Buffer.concat([whole.subarray(0, filled), ...rest]);
}

/** Each lent chunk copied, for consumers that keep chunks (streams that buffer ahead). */
export async function* ownedChunks(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) yield Buffer.from(chunk);
}
