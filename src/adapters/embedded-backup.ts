import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  DATABASE_FILE,
  MANIFEST_FILE,
  BackupManifestError,
  blobPath,
  isBackupPath,
  parseManifest,
  type BackupCheckpoint,
  type BackupFile,
  type BackupManifest,
} from '../domain/backup-manifest';
import { AppError } from '../domain/errors';
import type { MessageKey, Params } from '../i18n/index';

/**
 * Backup and restore of an embedded installation's DATA_DIR (docs/operations.md): an online
 * SQLite snapshot first, then the blobs that snapshot refers to (content-addressed and never
 * rewritten, so every one is still there), the keys and secrets, and a manifest of digests
 * written last. Everything in a backup is private (personal data, private keys): directories
 * 0700, files 0600.
 */

/** Columns that name a blob. A new table that points into the blob store must be listed here. */
const REFERENCED_BLOBS = `
  SELECT main_sha256 AS sha256 FROM documents
  UNION SELECT sha256 FROM document_files
  UNION SELECT sha256 FROM letter_draft_files
  UNION SELECT sha256 FROM delivery_files
  ORDER BY 1`;

/** Directories of DATA_DIR copied whole: what the installation needs to keep signing and serving. */
const SECRET_DIRS = ['keys', 'secrets'] as const;

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

const refused = (key: MessageKey, params: Params): AppError =>
  new AppError({ code: 'backup_refused', status: 400, key, params });
const failed = (key: MessageKey, params: Params): AppError =>
  new AppError({ code: 'backup_failed', status: 500, key, params });

export interface BackupOptions {
  dataDir: string;
  target: string;
  /** SEALS_DIR when seals are configured outside DATA_DIR (then they are not in the backup). */
  sealsDir?: string | undefined;
  now?: () => Date;
}

export async function backupDataDir(options: BackupOptions): Promise<BackupManifest> {
  const { dataDir } = options;
  const target = path.resolve(options.target);
  const source = path.join(dataDir, DATABASE_FILE);
  if (!fs.existsSync(source)) throw refused('backup.error.noInstallation', { dir: dataDir });
  const inside = path.relative(path.resolve(dataDir), target);
  if (!inside.startsWith('..') && !path.isAbsolute(inside))
    throw refused('backup.error.targetInsideDataDir', { dir: target, dataDir });
  const createdTarget = prepareEmptyDir(
    target,
    'backup.error.targetNotEmpty',
    'backup.error.targetNotDirectory',
  );
  try {
    const createdAt = (options.now ?? (() => new Date()))().toISOString();
    const files: BackupFile[] = [];
    const snapshot = path.join(target, DATABASE_FILE);
    await snapshotDatabase(source, snapshot);
    const facts = readSnapshot(snapshot);
    const database = await digestOf(snapshot);
    if (!database) throw new Error(`the snapshot ${snapshot} vanished`);
    files.push({ path: DATABASE_FILE, ...database });

    // The snapshot is taken: every blob it names is already durable in the store.
    const missing: string[] = [];
    for (const sha256 of facts.blobs) {
      const copied = await copyHashing(
        path.join(dataDir, blobPath(sha256)),
        path.join(target, blobPath(sha256)),
      );
      if (!copied) missing.push(sha256);
      else if (copied.sha256 !== sha256)
        throw failed('backup.error.blobDamaged', { sha256, actual: copied.sha256 });
      else files.push({ path: blobPath(sha256), ...copied });
    }
    if (missing.length > 0)
      throw failed('backup.error.blobMissing', { count: missing.length, sha256: missing[0]! });

    for (const dir of SECRET_DIRS) {
      for (const relative of await listFiles(dataDir, dir)) {
        const copied = await copyHashing(path.join(dataDir, relative), path.join(target, relative));
        if (copied) files.push({ path: relative, ...copied });
      }
    }

    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt,
      database: {
        engine: 'sqlite',
        file: DATABASE_FILE,
        documents: facts.documents,
        receipts: facts.receipts,
        logSize: facts.logSize,
        blobs: facts.blobs.length,
        checkpoint: facts.checkpoint,
      },
      seals: options.sealsDir ? 'external' : 'included',
      files: files.sort((a, b) => (a.path < b.path ? -1 : 1)),
    };
    await syncDirs(target);
    // The manifest last, atomically: a backup without one is unfinished and restore refuses it.
    await writeDurably(path.join(target, `${MANIFEST_FILE}.tmp`), JSON.stringify(manifest, null, 2) + '\n');
    await fsp.rename(path.join(target, `${MANIFEST_FILE}.tmp`), path.join(target, MANIFEST_FILE));
    await syncDir(target);
    return manifest;
  } catch (error) {
    await removeWhatWeMade(target, createdTarget);
    throw error;
  }
}

export interface RestoreOptions {
  backupDir: string;
  dataDir: string;
}

export async function restoreDataDir(options: RestoreOptions): Promise<BackupManifest> {
  const backupDir = path.resolve(options.backupDir);
  const { dataDir } = options;
  // The cheap refusal first; the directory is made only once the backup has been checked.
  checkEmptyDir(dataDir, 'backup.restore.dataDirNotEmpty', 'backup.restore.dataDirNotDirectory');
  const manifest = readManifest(backupDir);
  await checkBackupFiles(backupDir, manifest);

  const createdDataDir = prepareEmptyDir(
    dataDir,
    'backup.restore.dataDirNotEmpty',
    'backup.restore.dataDirNotDirectory',
  );
  try {
    for (const file of manifest.files) {
      const copied = await copyHashing(path.join(backupDir, file.path), path.join(dataDir, file.path));
      // Checked a moment ago; a file that changed since is still refused.
      if (!copied) throw refused('backup.restore.fileMissing', { file: file.path });
      if (copied.sha256 !== file.sha256 || copied.size !== file.size) throw changed(file, copied);
    }
    checkRestoredDatabase(path.join(dataDir, DATABASE_FILE), manifest);
    await syncDirs(dataDir);
    return manifest;
  } catch (error) {
    await removeWhatWeMade(dataDir, createdDataDir);
    throw error;
  }
}

function readManifest(backupDir: string): BackupManifest {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(backupDir);
  } catch {
    throw refused('backup.restore.notBackup', { dir: backupDir, reason: 'it does not exist' });
  }
  if (!stat.isDirectory())
    throw refused('backup.restore.notBackup', { dir: backupDir, reason: 'it is not a directory' });
  const file = path.join(backupDir, MANIFEST_FILE);
  if (!fs.existsSync(file))
    throw refused('backup.restore.notBackup', { dir: backupDir, reason: `${MANIFEST_FILE} is missing` });
  try {
    return parseManifest(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof BackupManifestError)
      throw refused('backup.restore.badManifest', { dir: backupDir, reason: error.message });
    throw error;
  }
}

/** Every file listed is there with its digest, and nothing else is: before anything is written. */
async function checkBackupFiles(backupDir: string, manifest: BackupManifest): Promise<void> {
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const relative of await listFiles(backupDir, '.')) {
    if (relative !== MANIFEST_FILE && !listed.has(relative))
      throw refused('backup.restore.fileUnexpected', { file: relative });
  }
  for (const file of manifest.files) {
    const actual = await digestOf(path.join(backupDir, file.path));
    if (!actual) throw refused('backup.restore.fileMissing', { file: file.path });
    if (actual.sha256 !== file.sha256 || actual.size !== file.size) throw changed(file, actual);
  }
}

const changed = (file: BackupFile, actual: { sha256: string; size: number }): AppError =>
  refused('backup.restore.fileChanged', {
    file: file.path,
    expected: file.sha256,
    expectedSize: file.size,
    actual: actual.sha256,
    actualSize: actual.size,
  });

/** The restored database says what the manifest says, and names only blobs the backup holds. */
function checkRestoredDatabase(file: string, manifest: BackupManifest): void {
  const facts = readSnapshot(file);
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const field of ['documents', 'receipts', 'logSize'] as const) {
    if (facts[field] !== manifest.database[field]) {
      throw refused('backup.restore.countMismatch', {
        field,
        expected: manifest.database[field],
        actual: facts[field],
      });
    }
  }
  const absent = facts.blobs.find((sha256) => !listed.has(blobPath(sha256)));
  if (absent) throw refused('backup.restore.blobNotInBackup', { sha256: absent });
}

/**
 * The online backup API copies the database page by page. Asking for every remaining page in
 * one step makes that step a single read transaction, so the copy is one consistent snapshot
 * even while the server commits (WAL readers never block writers).
 */
const EPHEMERAL_TABLES = ['leases', 'rate_limit_counters'];

async function snapshotDatabase(source: string, target: string): Promise<void> {
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(target, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  // The copy keeps the source's WAL mode; a rollback journal makes it one self-contained file.
  const copy = new SQLite(target, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    // Leases and rate-limit counters belong to the nodes running now: a restored installation
    // must not wait for a lease of a process that no longer exists (checkpoint signing).
    for (const table of EPHEMERAL_TABLES) {
      if (copy.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table))
        copy.exec(`DELETE FROM ${table}`);
    }
  } finally {
    copy.close();
  }
  await fsp.chmod(target, FILE_MODE);
  await syncFile(target);
}

interface SnapshotFacts {
  documents: number;
  receipts: number;
  logSize: number;
  checkpoint: BackupCheckpoint | null;
  blobs: string[];
}

function readSnapshot(file: string): SnapshotFacts {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw failed('backup.error.databaseDamaged', { detail: String(check) });
    const count = (table: string) =>
      (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    const checkpoint = db
      .prepare(
        'SELECT tree_size, root_hash, created_at, note FROM tlog_checkpoints ORDER BY tree_size DESC LIMIT 1',
      )
      .get() as { tree_size: number; root_hash: string; created_at: string; note: string } | undefined;
    return {
      documents: count('documents'),
      receipts: count('receipts'),
      logSize: count('tlog_leaves'),
      checkpoint: checkpoint
        ? {
            treeSize: checkpoint.tree_size,
            rootHash: checkpoint.root_hash,
            createdAt: checkpoint.created_at,
            note: checkpoint.note,
          }
        : null,
      blobs: (db.prepare(REFERENCED_BLOBS).all() as { sha256: string }[]).map((r) => r.sha256),
    };
  } finally {
    db.close();
  }
}

/** Refuses `dir` unless it is absent or an empty directory; returns whether it exists. */
function checkEmptyDir(dir: string, notEmpty: MessageKey, notDirectory: MessageKey): boolean {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (!stat.isDirectory()) throw refused(notDirectory, { dir });
  if (fs.readdirSync(dir).length > 0) throw refused(notEmpty, { dir });
  return true;
}

/** Creates `dir` (0700) or accepts it if empty; returns whether it was created. */
function prepareEmptyDir(dir: string, notEmpty: MessageKey, notDirectory: MessageKey): boolean {
  if (checkEmptyDir(dir, notEmpty, notDirectory)) {
    fs.chmodSync(dir, DIR_MODE);
    return false;
  }
  fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  return true;
}

/** After a failure: nothing of a half-written backup or restore stays behind. */
async function removeWhatWeMade(dir: string, created: boolean): Promise<void> {
  if (created) {
    await fsp.rm(dir, { recursive: true, force: true });
    return;
  }
  for (const entry of await fsp.readdir(dir).catch(() => []))
    await fsp.rm(path.join(dir, entry), { recursive: true, force: true });
}

/** Regular files under `root/sub`, as '/'-separated paths relative to root; hidden and temporary names are skipped unless listing a backup. */
async function listFiles(root: string, sub: string): Promise<string[]> {
  const found: string[] = [];
  const strict = sub === '.';
  const walk = async (relative: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fsp.readdir(path.join(root, relative), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const child = relative === '.' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(child);
      else if (strict) found.push(child);
      else if (entry.isFile() && isBackupPath(child)) found.push(child);
    }
  };
  await walk(sub);
  return found.sort();
}

/** Copies a file (0600, fsynced), hashing what it copies; undefined if the source does not exist. */
async function copyHashing(from: string, to: string): Promise<{ sha256: string; size: number } | undefined> {
  let input: fsp.FileHandle;
  try {
    input = await fsp.open(from, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    await mkdirs(path.dirname(to));
    const output = await fsp.open(to, 'wx', FILE_MODE);
    try {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of input.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        size += chunk.length;
        await output.write(chunk);
      }
      await output.sync();
      return { sha256: hash.digest('hex'), size };
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
  }
}

async function digestOf(file: string): Promise<{ sha256: string; size: number } | undefined> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP') return undefined;
    throw error;
  }
  try {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of handle.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
    return { sha256: hash.digest('hex'), size };
  } finally {
    await handle.close();
  }
}

async function mkdirs(dir: string): Promise<void> {
  await fsp.mkdir(dir, { recursive: true, mode: DIR_MODE });
}

async function writeDurably(file: string, content: string): Promise<void> {
  const handle = await fsp.open(file, 'wx', FILE_MODE);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncFile(file: string): Promise<void> {
  const handle = await fsp.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const syncDir = syncFile;

/** fsyncs every directory under root (their entries), deepest first, then root. */
async function syncDirs(root: string): Promise<void> {
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fsp.readdir(dir, { withFileTypes: true }))
      if (entry.isDirectory()) await walk(path.join(dir, entry.name));
    await syncDir(dir);
  };
  await walk(root);
}
