import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createGunzip } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import * as tar from 'tar-stream';
import { contentFromStream, ownedChunks, readAll, type Content } from './content';
import { stripUnsafeChars } from './file-name';
import { limitBytes, SizeLimitExceeded } from './size';
import { reject, unpackLimit, type Session } from './session';
import { Rejection } from './types';

/** Checks one entry with the same rules as a file sent on its own. */
export type CheckEntry = (content: Content, depth: number) => Promise<void>;

const ZIP_OPTIONS = {
  lazyEntries: true,
  decodeStrings: false,
  validateEntrySizes: true,
  autoClose: false,
} as const;

/** Corrupt input makes the libraries throw anything; only our own verdicts pass through unchanged. */
function asCorrupt(error: unknown, display: string): unknown {
  if (error instanceof Rejection || error instanceof SizeLimitExceeded) return error;
  return reject('archive-corrupt', 'validation.archiveCorrupt', display);
}

export async function openZip(content: Content, session: Session): Promise<ZipFile> {
  if (content.path) {
    const path = content.path;
    return new Promise((resolve, reject) =>
      yauzl.open(path, ZIP_OPTIONS, (error, zip) => (error ? reject(error) : resolve(zip))),
    );
  }
  // A received file in memory, or an archive inside an archive (its bytes were already
  // counted while they were unpacked).
  const bytes =
    content.bytes ??
    (await readAll(content, unpackLimit(session), () => new SizeLimitExceeded(unpackLimit(session))));
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(bytes, ZIP_OPTIONS, (error, zip) => (error ? reject(error) : resolve(zip))),
  );
}

export function nextZipEntry(zip: ZipFile): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const done = (value: Entry | undefined, error?: Error) => {
      zip.removeListener('entry', onEntry);
      zip.removeListener('end', onEnd);
      zip.removeListener('error', onError);
      if (error) reject(error);
      else resolve(value);
    };
    const onEntry = (entry: Entry) => done(entry);
    const onEnd = () => done(undefined);
    const onError = (error: Error) => done(undefined, error);
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

export function openZipEntry(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))),
  );
}

/** Entry names are UTF-8 when flagged (or valid as such); otherwise the old DOS code page, read as Latin-1. */
export function zipEntryName(entry: Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  if (typeof raw === 'string') return raw;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return raw.toString('latin1');
  }
}

/** A path inside an archive: shown cleaned, refused when absolute or escaping with "..". */
export function entryPath(raw: string, archiveDisplay: string): string {
  const shown = stripUnsafeChars(raw.normalize('NFC'));
  const path = shown.replace(/\\/g, '/');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.split('/').includes('..')) {
    throw reject('archive-path', 'validation.archivePath', `${archiveDisplay}/${shown}`);
  }
  return path.replace(/^(\.\/)+/, '');
}

function countEntry(session: Session, display: string): void {
  session.entries += 1;
  if (session.entries > session.limits.maxEntries) {
    throw reject('archive-too-many-entries', 'validation.archiveTooManyEntries', display, {
      limit: session.limits.maxEntries,
    });
  }
}

function checkDepth(session: Session, display: string, depth: number): void {
  if (depth >= session.limits.maxArchiveDepth)
    throw reject('archive-depth', 'validation.archiveDepth', display, {
      limit: session.limits.maxArchiveDepth,
    });
}

/**
 * Fails at the end of an entry whose bytes do not have the CRC-32 the central directory
 * declares: damaged or altered data (yauzl checks sizes, not checksums).
 */
function checkCrc(expected: number): Transform {
  let crc = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      crc = crc32(chunk, crc);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      callback(crc === expected >>> 0 ? null : new Error('CRC-32 mismatch'));
    },
  });
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

export async function inspectZip(
  content: Content,
  depth: number,
  session: Session,
  check: CheckEntry,
): Promise<void> {
  checkDepth(session, content.display, depth);
  let zip: ZipFile | undefined;
  let stream: Readable | undefined;
  try {
    zip = await openZip(content, session);
    // The central directory's count is only a first, cheap refusal; entries are counted as read too.
    if (session.entries + zip.entryCount > session.limits.maxEntries) {
      throw reject('archive-too-many-entries', 'validation.archiveTooManyEntries', content.display, {
        limit: session.limits.maxEntries,
      });
    }
    for (let entry = await nextZipEntry(zip); entry; entry = await nextZipEntry(zip)) {
      const path = entryPath(zipEntryName(entry), content.display);
      const display = `${content.display}/${path}`;
      countEntry(session, content.display);
      if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK)
        throw reject('archive-link', 'validation.archiveLink', display);
      if (path.endsWith('/')) continue;
      if (entry.isEncrypted()) throw reject('archive-encrypted', 'validation.archiveEncrypted', display);
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        throw reject('archive-entry', 'validation.archiveMethod', display, {
          method: entry.compressionMethod,
        });
      }
      // Extraction tools differ on which name they trust; a local header that names another
      // path than the central directory is a way to smuggle a file past a check like this one.
      const local = await zip.readLocalFileHeaderPromise(entry, { minimal: false });
      if (!Buffer.from(local.fileName).equals(entry.fileName as unknown as Buffer)) {
        throw reject('archive-entry', 'validation.archiveNameMismatch', display);
      }
      const limiter = limitBytes(unpackLimit(session), session.unpacked);
      stream = await openZipEntry(zip, entry);
      const flowing = pipeline(stream, checkCrc(entry.crc32), limiter);
      flowing.catch(() => undefined); // the error reaches the reader through the limiter
      const child = await contentFromStream(limiter, baseName(path), display);
      await check(child, depth + 1);
      await child.drain();
      await flowing;
    }
  } catch (error) {
    throw asCorrupt(error, content.display);
  } finally {
    stream?.destroy();
    zip?.close();
  }
}

export async function inspectTar(
  content: Content,
  depth: number,
  session: Session,
  check: CheckEntry,
): Promise<void> {
  checkDepth(session, content.display, depth);
  const extract = tar.extract();
  const source = Readable.from(ownedChunks(content.read()));
  const feeding = pipeline(source, extract);
  feeding.catch(() => undefined);
  try {
    for await (const entry of extract) {
      const { header } = entry;
      const path = entryPath(header.name, content.display);
      const display = `${content.display}/${path}`;
      if ((header.type as string) === 'pax-global-header') {
        entry.resume();
        continue;
      }
      countEntry(session, content.display);
      if (header.type === 'symlink' || header.type === 'link')
        throw reject('archive-link', 'validation.archiveLink', display);
      if (header.type === 'directory') {
        entry.resume();
        continue;
      }
      if (header.type !== 'file' && header.type !== 'contiguous-file')
        throw reject('archive-entry', 'validation.archiveSpecial', display);
      // Tar entries are slices of bytes already counted (the file itself, or the gzip output).
      const child = await contentFromStream(entry as AsyncIterable<Buffer>, baseName(path), display);
      await check(child, depth + 1);
      await child.drain();
    }
    await feeding;
  } catch (error) {
    source.destroy();
    throw asCorrupt(error, content.display);
  }
}

/** A gzip holds one file: "x.tar.gz" holds "x.tar"; it is checked like an archive entry. */
export async function inspectGzip(
  content: Content,
  depth: number,
  session: Session,
  check: CheckEntry,
): Promise<void> {
  checkDepth(session, content.display, depth);
  const innerName = content.name.replace(/\.(gz|gzip)$/i, '');
  const limiter = limitBytes(unpackLimit(session), session.unpacked);
  const flowing = pipeline(Readable.from(ownedChunks(content.read())), createGunzip(), limiter);
  flowing.catch(() => undefined);
  try {
    const child = await contentFromStream(limiter, innerName, `${content.display}/${innerName}`);
    await check(child, depth + 1);
    await child.drain();
    await flowing;
  } catch (error) {
    limiter.destroy();
    throw asCorrupt(error, content.display);
  }
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
