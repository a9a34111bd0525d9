import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

/*
 * What survives a power cut is only what was fsynced: a file's bytes by an fsync of the file,
 * its name (created, renamed, linked) by an fsync of the directory holding it, and a new
 * directory's name by an fsync of its parent. The power-loss test (docs/crash-safety.md)
 * rebuilds the data directory under exactly these rules.
 */

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    closeInBackground(handle);
  }
}

/**
 * Closes a file whose fsync has returned (or failed) without waiting: nothing durable depends
 * on the close, and under load each wait is another turn behind the event loop's other work
 * (a filing made two of them for nothing).
 */
export function closeInBackground(handle: fsp.FileHandle): void {
  handle.close().catch(() => undefined);
}

export function fsyncDirSync(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Creates `dir` (and any missing parents) and makes its name durable: the directories from
 * its parent up to `upTo` (inclusive) are fsynced, whether this process created them or
 * another one did a moment ago and has not synced yet. For start-up, not for every request.
 */
export function makeDurableDirSync(dir: string, upTo: string, mode?: number): void {
  fs.mkdirSync(dir, { recursive: true, ...(mode === undefined ? {} : { mode }) });
  const stop = path.resolve(upTo);
  for (let d = path.resolve(dir); d !== stop && d !== path.dirname(d); d = path.dirname(d))
    fsyncDirSync(path.dirname(d));
}

/**
 * Writes `content` to `file` unless it exists, atomically and durably: the content goes to a
 * temporary file that is fsynced, hard-linked into place (which fails if another process got
 * there first) and the directory fsynced. Returns what is in the file afterwards (ours or the
 * winner's); a power cut leaves either the whole file or none, never an empty one.
 */
export function createFileOnce(file: string, content: string | Buffer, mode = 0o600): string {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = fs.openSync(temporary, 'wx', mode);
  try {
    fs.writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  // Also when another process won: its link may not be durable yet.
  fsyncDirSync(path.dirname(file));
  return fs.readFileSync(file, 'utf8');
}
