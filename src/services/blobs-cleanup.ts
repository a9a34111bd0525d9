import type { Database } from '../ports/database';
import type { ServiceDeps } from './deps';

/** Every column that names a blob by its SHA-256; a blob none of them names is an orphan. */
const BLOB_COLUMNS = [
  ['documents', 'main_sha256'],
  ['document_files', 'sha256'],
  ['delivery_files', 'sha256'],
  ['letter_draft_files', 'sha256'],
] as const;

/** Blobs looked up in the database at once. */
const BATCH = 500;

export interface CleanupOptions {
  /** Only blobs stored (or last committed) longer ago than this are taken. */
  olderThanMinutes: number;
  /** Report what would go, remove nothing. */
  dryRun: boolean;
}

export interface CleanupReport {
  /** Blobs in the store when the cleanup began. */
  examined: number;
  /** Orphans removed (or, in a dry run, that would be). */
  removed: { sha256: string; modifiedAt: Date }[];
}

/**
 * Removes blobs that no database row references and that are older than the given age. A blob
 * is written before the row that points to it is committed, so a young unreferenced blob may
 * belong to a filing still in progress: the age is what keeps it. Each candidate's time is read
 * again after the database says it is unreferenced, so a filing that committed the same content
 * meanwhile (which renews the time) keeps it.
 */
export async function cleanUpOrphanBlobs(deps: ServiceDeps, options: CleanupOptions): Promise<CleanupReport> {
  const cutoff = new Date(deps.clock.now().getTime() - options.olderThanMinutes * 60_000);
  const old: { sha256: string; modifiedAt: Date }[] = [];
  let examined = 0;
  for await (const blob of deps.blobs.list()) {
    examined += 1;
    if (blob.modifiedAt < cutoff) old.push(blob);
  }
  const removed: CleanupReport['removed'] = [];
  for (let i = 0; i < old.length; i += BATCH) {
    const batch = old.slice(i, i + BATCH);
    const referenced = await referencedAmong(
      deps.db,
      batch.map((b) => b.sha256),
    );
    for (const blob of batch) {
      if (referenced.has(blob.sha256)) continue;
      if (!options.dryRun) {
        const now = await deps.blobs.stat(blob.sha256);
        if (!now || now.modifiedAt >= cutoff) continue;
        await deps.blobs.delete(blob.sha256);
      }
      removed.push(blob);
    }
  }
  return { examined, removed };
}

async function referencedAmong(db: Database, hashes: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const [table, column] of BLOB_COLUMNS) {
    // One table at a time keeps Kysely's column types exact.
    const rows = await db
      .selectFrom(table)
      .select(`${column} as sha256` as `${typeof column} as sha256`)
      .where(column, 'in', hashes)
      .distinct()
      .execute();
    for (const row of rows as { sha256: string }[]) found.add(row.sha256);
  }
  return found;
}
