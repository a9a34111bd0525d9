import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { BlobDigestError, BlobNotFoundError, SHA256_HEX, type BlobStore } from '../ports/blob-store';
import { fsyncDir, makeDurableDirSync } from './durable-files';
import { sha256OfFile, stagedReader, writeStagingFile } from './staging-file';

/**
 * Blobs as files under `<root>/<aa>/<bb>/<sha256>`. Each put writes a temporary file in
 * `<root>/tmp` (small content only at commit, from memory), fsyncs it, checks its digest
 * again, renames it into place atomically and fsyncs the directory (and, the first time, the
 * directories above it up to the root), so a crash or power cut leaves either the whole blob
 * or none.
 */
export function createFsBlobStore(rootDir: string): BlobStore {
  const root = path.resolve(rootDir);
  const tmpDir = path.join(root, 'tmp');
  makeDurableDirSync(tmpDir, path.dirname(root));
  /** Directories whose own names (and their parents') are known to be durable. */
  const durableDirs = new Set<string>();

  const pathOf = (sha256: string): string => {
    if (!SHA256_HEX.test(sha256)) throw new BlobNotFoundError(sha256);
    return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };

  /**
   * A blob's name in `<aa>/<bb>` survives a power cut only if `<bb>`'s name in `<aa>` and
   * `<aa>`'s in the root do too: found missing by the power-loss test. Once per directory and
   * process; a directory another commit is still creating is synced here as well.
   */
  async function makeDurableDir(dir: string): Promise<void> {
    if (durableDirs.has(dir)) return;
    await fsp.mkdir(dir, { recursive: true });
    for (let d = dir; d !== root && d !== path.dirname(d); d = path.dirname(d))
      await fsyncDir(path.dirname(d));
    durableDirs.add(dir);
  }

  return {
    async stage(content) {
      const staging = await writeStagingFile(tmpDir, content, { inMemory: true });
      const { sha256, size } = staging;
      const reader = stagedReader(staging);
      let settled = false;
      return {
        sha256,
        size,
        ...(staging.bytes ? { bytes: staging.bytes } : { path: staging.path! }),
        read: reader.read,
        async commit() {
          if (settled) throw new Error('staged blob already committed or discarded');
          settled = true;
          let tmp = staging.path;
          try {
            const target = pathOf(sha256);
            const dir = path.dirname(target);
            await makeDurableDir(dir);
            // The new file replaces the same content if it is stored already: the rename renews
            // the blob's time (what the clean-up of unreferenced blobs goes by) with no lookup
            // first, which for new content (nearly always) would fail and cost an exception.
            if (staging.bytes) {
              // Hashed again as it is written: what goes to disk is what was received.
              const written = await writeStagingFile(tmpDir, staging.bytes);
              tmp = written.path!;
              if (written.sha256 !== sha256) throw new BlobDigestError(sha256);
            } else {
              // The file may have changed since it was hashed (disk, or anything writing to
              // it): a complete read by the validators checked it already, else it is read now.
              const intact = reader.checked() ?? (await sha256OfFile(tmp!)) === sha256;
              if (!intact) throw new BlobDigestError(sha256);
            }
            await fsp.rename(tmp!, target);
            await fsyncDir(dir);
            return { sha256, size };
          } catch (error) {
            if (tmp) await fsp.rm(tmp, { force: true });
            throw error;
          }
        },
        async discard() {
          if (settled) return;
          settled = true;
          if (staging.path) await fsp.rm(staging.path, { force: true });
        },
      };
    },

    async put(content) {
      const staged = await this.stage(content);
      return staged.commit();
    },

    async get(sha256): Promise<Readable> {
      const file = pathOf(sha256);
      try {
        await fsp.access(file);
      } catch {
        throw new BlobNotFoundError(sha256);
      }
      return fs.createReadStream(file);
    },

    async read(sha256) {
      try {
        return await fsp.readFile(pathOf(sha256));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError(sha256);
        throw error;
      }
    },

    async has(sha256) {
      return (await this.stat(sha256)) !== undefined;
    },

    async stat(sha256) {
      if (!SHA256_HEX.test(sha256)) return undefined;
      try {
        const stat = await fsp.stat(pathOf(sha256));
        return { size: stat.size, modifiedAt: stat.mtime };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },

    async delete(sha256) {
      await fsp.rm(pathOf(sha256), { force: true });
    },

    async *list() {
      for (const a of await fsp.readdir(root)) {
        if (!/^[0-9a-f]{2}$/.test(a)) continue;
        for (const b of await fsp.readdir(path.join(root, a))) {
          for (const name of await fsp.readdir(path.join(root, a, b))) {
            if (!SHA256_HEX.test(name)) continue;
            const stat = await fsp.stat(path.join(root, a, b, name)).catch(() => undefined);
            // Deleted while listing: not a blob any more.
            if (stat) yield { sha256: name, modifiedAt: stat.mtime };
          }
        }
      }
    },

    async ping() {
      await fsp.access(tmpDir, fs.constants.W_OK);
    },
  };
}
