/**
 * Replays the operation log written by shim.c and rebuilds a directory as a power cut after
 * any record would leave it. The model (docs/crash-safety.md) is the strict one POSIX promises
 * and no more:
 *
 * - a file's bytes (and size) survive as of its last fsync/fdatasync; a file never synced is
 *   empty if its name survives at all;
 * - a name in a directory (created, renamed, linked or removed) survives only once that
 *   directory itself has been fsynced afterwards, and a directory's own name likewise needs an
 *   fsync of its parent;
 * - everything else (writes after the last fsync, unsynced renames) is forgotten.
 *
 * Files and directories are tracked as inodes, so a rename or hard link moves or shares the
 * inode (and what was synced of it) exactly as the file system does. SQLite's shared-memory
 * index (`*-shm`) is left out: it is rebuilt from the WAL on the first open after a crash.
 */
import fs from 'node:fs';
import path from 'node:path';

export const OP = {
  open: 1,
  close: 2,
  write: 3,
  fsync: 4,
  ftruncate: 5,
  truncate: 6,
  rename: 7,
  link: 8,
  unlink: 9,
  mkdir: 10,
  rmdir: 11,
  unsupported: 12,
} as const;
export const OP_NAMES = Object.fromEntries(Object.entries(OP).map(([k, v]) => [v, k])) as Record<
  number,
  string
>;

export interface LogRecord {
  /** Byte offset just after this record in the log. */
  end: number;
  op: number;
  pid: number;
  fd: number;
  offset: number;
  a: string;
  b: Buffer;
}

export function parseLog(bytes: Buffer): LogRecord[] {
  const records: LogRecord[] = [];
  let at = 0;
  while (at + 29 <= bytes.length) {
    const total = bytes.readUInt32LE(at);
    if (total < 29 || at + total > bytes.length) throw new Error(`operation log torn at byte ${at}`);
    const alen = bytes.readUInt32LE(at + 21);
    const blen = bytes.readUInt32LE(at + 25);
    records.push({
      end: at + total,
      op: bytes.readUInt8(at + 4),
      pid: bytes.readUInt32LE(at + 5),
      fd: bytes.readInt32LE(at + 9),
      offset: Number(bytes.readBigInt64LE(at + 13)),
      a: bytes.toString('utf8', at + 29, at + 29 + alen),
      b: bytes.subarray(at + 29 + alen, at + 29 + alen + blen),
    });
    at += total;
  }
  if (at !== bytes.length) throw new Error(`operation log torn at byte ${at}`);
  return records;
}

interface FileInode {
  kind: 'file';
  current: Buffer;
  /** undefined: never synced. May be the same object as `current` until the next change. */
  durable: Buffer | undefined;
}
interface DirInode {
  kind: 'dir';
  current: Map<string, Inode>;
  durable: Map<string, Inode>;
}
type Inode = FileInode | DirInode;

const isShm = (name: string) => name.endsWith('-shm');

export class PowerModel {
  private readonly root: DirInode;
  private readonly fds = new Map<string, Inode>();
  readonly counts: Record<string, number> = {};

  /** `rootPath` starts empty and durable (it exists before the recording). */
  constructor(private readonly rootPath: string) {
    this.root = { kind: 'dir', current: new Map(), durable: new Map() };
  }

  private parts(p: string): string[] {
    const rel = path.relative(this.rootPath, p);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`${p} is outside ${this.rootPath}`);
    return rel === '' ? [] : rel.split('/');
  }

  private lookup(p: string): Inode | undefined {
    let node: Inode = this.root;
    for (const part of this.parts(p)) {
      if (node.kind !== 'dir') return undefined;
      const next = node.current.get(part);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  private parent(p: string): { dir: DirInode; name: string } {
    const parts = this.parts(p);
    const name = parts.pop();
    if (name === undefined) throw new Error('the root has no parent');
    const dir = this.lookup(path.join(this.rootPath, ...parts));
    if (!dir || dir.kind !== 'dir') throw new Error(`no directory for ${p} in the replay`);
    return { dir, name };
  }

  private fileOf(r: LogRecord): Inode {
    const inode = this.fds.get(`${r.pid}:${r.fd}`);
    if (!inode) throw new Error(`${OP_NAMES[r.op]} on descriptor ${r.fd} (pid ${r.pid}) never opened`);
    return inode;
  }

  private static writable(inode: FileInode): Buffer {
    if (inode.current === inode.durable) inode.current = Buffer.from(inode.current);
    return inode.current;
  }

  apply(r: LogRecord): void {
    const name = OP_NAMES[r.op] ?? `op ${r.op}`;
    this.counts[name] = (this.counts[name] ?? 0) + 1;
    switch (r.op) {
      case OP.open: {
        let inode = this.lookup(r.a);
        if (!inode) {
          const { dir, name: entry } = this.parent(r.a);
          inode = { kind: 'file', current: Buffer.alloc(0), durable: undefined };
          dir.current.set(entry, inode);
        } else if (inode.kind === 'file' && r.offset & fs.constants.O_TRUNC) {
          inode.current = Buffer.alloc(0);
        }
        this.fds.set(`${r.pid}:${r.fd}`, inode);
        return;
      }
      case OP.close:
        this.fds.delete(`${r.pid}:${r.fd}`);
        return;
      case OP.write: {
        const inode = this.fileOf(r);
        if (inode.kind !== 'file') throw new Error('write to a directory');
        const end = r.offset + r.b.length;
        let buf = PowerModel.writable(inode);
        if (buf.length < end) {
          const grown = Buffer.alloc(end);
          buf.copy(grown);
          buf = inode.current = grown;
        }
        r.b.copy(buf, r.offset);
        return;
      }
      case OP.fsync: {
        const inode = this.fileOf(r);
        if (inode.kind === 'file') inode.durable = inode.current;
        else inode.durable = new Map(inode.current);
        return;
      }
      case OP.ftruncate:
      case OP.truncate: {
        const inode = r.op === OP.ftruncate ? this.fileOf(r) : this.lookup(r.a);
        if (!inode || inode.kind !== 'file') throw new Error(`truncate of ${r.a || r.fd}: no file`);
        const next = Buffer.alloc(r.offset);
        inode.current.copy(next, 0, 0, Math.min(r.offset, inode.current.length));
        inode.current = next;
        return;
      }
      case OP.rename:
      case OP.link: {
        if (!r.a || r.b.length === 0) throw new Error(`${name} across the data directory's boundary`);
        const from = this.parent(r.a);
        const inode = from.dir.current.get(from.name);
        if (!inode) throw new Error(`${name} of ${r.a}: not in the replay`);
        const to = this.parent(r.b.toString('utf8'));
        if (r.op === OP.rename) from.dir.current.delete(from.name);
        to.dir.current.set(to.name, inode);
        return;
      }
      case OP.unlink:
      case OP.rmdir: {
        const { dir, name: entry } = this.parent(r.a);
        dir.current.delete(entry);
        return;
      }
      case OP.mkdir: {
        const { dir, name: entry } = this.parent(r.a);
        dir.current.set(entry, { kind: 'dir', current: new Map(), durable: new Map() });
        return;
      }
      default:
        throw new Error(`the program changed a file by a call the model does not know: ${r.a} (${r.offset})`);
    }
  }

  /** Writes what a power cut now would leave into `target` (an empty directory). */
  materialize(target: string): void {
    const walk = (dir: DirInode, into: string, seen: Set<DirInode>) => {
      if (seen.has(dir)) return;
      seen.add(dir);
      for (const [name, inode] of dir.durable) {
        if (isShm(name)) continue;
        const p = path.join(into, name);
        if (inode.kind === 'dir') {
          fs.mkdirSync(p);
          walk(inode, p, seen);
        } else {
          fs.writeFileSync(p, inode.durable ?? Buffer.alloc(0), { mode: 0o600 });
        }
      }
    };
    walk(this.root, target, new Set());
  }

  /**
   * The differences between the replayed current state and the directory on disk: none, when the
   * log caught every change the program made.
   */
  compare(): string[] {
    const differences: string[] = [];
    const walk = (dir: DirInode, at: string) => {
      const real = fs.readdirSync(at).filter((n) => !isShm(n));
      const replayed = [...dir.current.keys()].filter((n) => !isShm(n));
      for (const n of real) if (!dir.current.has(n)) differences.push(`${path.join(at, n)}: not in the log`);
      for (const n of replayed) {
        const p = path.join(at, n);
        const inode = dir.current.get(n)!;
        if (!real.includes(n)) differences.push(`${p}: in the log, not on disk`);
        else if (inode.kind === 'dir') walk(inode, p);
        else if (!fs.readFileSync(p).equals(inode.current))
          differences.push(`${p}: other bytes than the log's`);
      }
    };
    walk(this.root, this.rootPath);
    return differences;
  }
}
