/**
 * The manifest of an embedded installation's backup (`manifest.json`): every file of the backup
 * with its size and SHA-256, and what the database held. Restore trusts nothing in a backup
 * directory that this module has not accepted: paths are checked against the few shapes a
 * backup may hold, so a manifest can never name a file outside the backup or the data directory.
 */

export const BACKUP_FORMAT = 'urzad-online-backup';
export const BACKUP_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const DATABASE_FILE = 'urzad.sqlite';

export interface BackupFile {
  /** Relative, '/'-separated: `urzad.sqlite`, `blobs/aa/bb/<sha256>`, `keys/…`, `secrets/…`. */
  path: string;
  size: number;
  sha256: string;
}

export interface BackupCheckpoint {
  treeSize: number;
  rootHash: string;
  createdAt: string;
  /** The signed note as the log serves it. */
  note: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  createdAt: string;
  database: {
    engine: 'sqlite';
    file: typeof DATABASE_FILE;
    documents: number;
    receipts: number;
    /** Entries of the transparency log. */
    logSize: number;
    /** Blobs the database refers to; each is a file of the backup. */
    blobs: number;
    /** The latest signed checkpoint, or null before the first. */
    checkpoint: BackupCheckpoint | null;
  };
  /** 'included': seals generated under DATA_DIR/keys; 'external': SEALS_DIR, kept out of band. */
  seals: 'included' | 'external';
  files: BackupFile[];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** One name in keys/ or secrets/: no dot first (no "..", no hidden files), no temporary file. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const isName = (name: string): boolean => NAME.test(name) && !name.endsWith('.tmp');

/** Whether a relative path is one a backup may hold (see BackupFile.path). */
export function isBackupPath(path: string): boolean {
  if (path === DATABASE_FILE) return true;
  const parts = path.split('/');
  if (parts[0] === 'blobs') {
    const [, a, b, name] = parts;
    return (
      parts.length === 4 &&
      name !== undefined &&
      SHA256_HEX.test(name) &&
      a === name.slice(0, 2) &&
      b === name.slice(2, 4)
    );
  }
  if (parts[0] === 'keys' || parts[0] === 'secrets')
    return parts.length >= 2 && parts.length <= 4 && parts.slice(1).every(isName);
  return false;
}

/** The backup path of a blob. */
export function blobPath(sha256: string): string {
  return `blobs/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

export class BackupManifestError extends Error {}

/** Parses and checks a manifest; throws BackupManifestError saying what is wrong (in English, for the message's {reason}). */
export function parseManifest(text: string): BackupManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BackupManifestError('not JSON');
  }
  const m = value as Partial<BackupManifest> | null;
  if (!m || typeof m !== 'object') throw new BackupManifestError('not a JSON object');
  if (m.format !== BACKUP_FORMAT) throw new BackupManifestError(`"format" is not "${BACKUP_FORMAT}"`);
  if (m.version !== BACKUP_VERSION)
    throw new BackupManifestError(`"version" ${String(m.version)} is not supported (only ${BACKUP_VERSION})`);
  if (typeof m.createdAt !== 'string') throw new BackupManifestError('"createdAt" is missing');
  if (m.seals !== 'included' && m.seals !== 'external')
    throw new BackupManifestError('"seals" is not "included" or "external"');
  const d = m.database;
  if (!d || typeof d !== 'object' || d.engine !== 'sqlite' || d.file !== DATABASE_FILE)
    throw new BackupManifestError('"database" does not describe an SQLite database');
  for (const field of ['documents', 'receipts', 'logSize', 'blobs'] as const) {
    if (!Number.isSafeInteger(d[field]) || d[field] < 0)
      throw new BackupManifestError(`"database.${field}" is not a count`);
  }
  if (
    d.checkpoint !== null &&
    (typeof d.checkpoint !== 'object' ||
      !Number.isSafeInteger(d.checkpoint.treeSize) ||
      typeof d.checkpoint.note !== 'string')
  ) {
    throw new BackupManifestError('"database.checkpoint" is not a checkpoint');
  }
  if (!Array.isArray(m.files)) throw new BackupManifestError('"files" is not a list');
  const seen = new Set<string>();
  for (const f of m.files as unknown[]) {
    const file = f as Partial<BackupFile> | null;
    if (!file || typeof file.path !== 'string' || !isBackupPath(file.path))
      throw new BackupManifestError(
        `"files" names a path a backup never holds: ${JSON.stringify(file?.path ?? f)}`,
      );
    if (!Number.isSafeInteger(file.size) || (file.size ?? -1) < 0)
      throw new BackupManifestError(`"files": the size of ${file.path} is not a count`);
    if (typeof file.sha256 !== 'string' || !SHA256_HEX.test(file.sha256))
      throw new BackupManifestError(`"files": the SHA-256 of ${file.path} is not 64 hex digits`);
    if (seen.has(file.path)) throw new BackupManifestError(`"files" lists ${file.path} twice`);
    seen.add(file.path);
  }
  if (!seen.has(DATABASE_FILE)) throw new BackupManifestError(`"files" does not list ${DATABASE_FILE}`);
  return m as BackupManifest;
}
