import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import yauzl, { type ZipFile } from 'yauzl';
import { MANIFEST_PATH, MAX_MANIFEST_BYTES } from '../domain/export/manifest';
import type { NoteVerifier } from '../domain/tlog/index';
import { nextZipEntry, openZipEntry, zipEntryName } from '../domain/validation/archives';
import {
  evidencePaths,
  MAX_EVIDENCE_BYTES,
  readManifest,
  verifyExport,
  type ArchiveItem,
  type ExportVerification,
} from '../domain/verification/export';
import { findingText } from '../domain/verification/index';
import type { MessageKey, Translate } from '../i18n/index';

/**
 * `verify <export.zip>`: the offline check of a resident's export (see docs/verification.md,
 * "The resident's export"). The archive is read twice: once for the manifest, then every
 * entry is hashed as it streams, keeping in memory only the small evidence files.
 */

/** The local file headers of a ZIP start with "PK\3\4". */
export const isZip = (head: Buffer) => head.length >= 4 && head.readUInt32LE(0) === 0x04034b50;

class ArchiveError extends Error {}

function openArchive(file: string): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    // Raw names: yauzl's own name checks would abort the whole reading at the first odd entry.
    yauzl.open(
      file,
      { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false },
      (error, zip) => (error ? reject(new ArchiveError(error.message)) : resolve(zip)),
    ),
  );
}

/** Hashes every entry; keeps the bytes of those `keep` asks for (up to `maxBytes`). */
async function readArchive(
  file: string,
  keep: (path: string) => number | undefined,
  only?: string,
): Promise<ArchiveItem[]> {
  const zip = await openArchive(file);
  const items: ArchiveItem[] = [];
  try {
    for (;;) {
      let entry;
      try {
        entry = await nextZipEntry(zip);
      } catch (error) {
        throw new ArchiveError((error as Error).message);
      }
      if (!entry) break;
      const path = zipEntryName(entry);
      if (path.endsWith('/') || (only !== undefined && path !== only)) continue;
      const limit = keep(path);
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let size = 0;
      let crc = 0;
      try {
        for await (const chunk of await openZipEntry(zip, entry)) {
          const bytes = chunk as Buffer;
          hash.update(bytes);
          crc = crc32(bytes, crc);
          size += bytes.length;
          if (limit !== undefined && size <= limit) chunks.push(bytes);
        }
        // yauzl does not check the CRC-32 the archive records: a damaged archive is told apart from an edited one.
        if (crc !== entry.crc32)
          throw new Error(
            `CRC-32 ${crc.toString(16).padStart(8, '0')} instead of ${entry.crc32.toString(16).padStart(8, '0')}`,
          );
        const kept = limit !== undefined && size <= limit ? { bytes: Buffer.concat(chunks) } : {};
        items.push({ path, sha256: hash.digest('hex'), size, ...kept });
      } catch (error) {
        // A damaged entry (bad CRC, bad deflate data): named, and the rest is still read.
        items.push({ path, sha256: '', size, error: (error as Error).message });
      }
    }
  } finally {
    zip.close();
  }
  return items;
}

export async function verifyExportFile(
  file: string,
  trust: { trustedCaPems: string[]; verifier: NoteVerifier },
): Promise<ExportVerification> {
  try {
    const first = await readArchive(
      file,
      (p) => (p === MANIFEST_PATH ? MAX_MANIFEST_BYTES : undefined),
      MANIFEST_PATH,
    );
    const read = readManifest(first.find((i) => i.path === MANIFEST_PATH)?.bytes);
    const wanted = 'manifest' in read ? evidencePaths(read.manifest) : new Set<string>();
    const archive = await readArchive(file, (p) =>
      p === MANIFEST_PATH ? MAX_MANIFEST_BYTES : wanted.has(p) ? MAX_EVIDENCE_BYTES : undefined,
    );
    return await verifyExport(archive, trust);
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    return {
      valid: false,
      general: [{ key: 'export.zip.unreadable', params: { detail: error.message }, ok: false }],
      items: [],
      counts: { files: 0, receipts: 0, proofs: 0 },
    };
  }
}

const mark = (ok: boolean) => (ok ? '[OK]' : '[!!]');

/** The report: the verdict with every failure first, then each file with its findings. */
export function printExportVerification(
  v: ExportVerification,
  t: Translate,
  out: (line: string) => void,
): void {
  out(t(v.valid ? 'export.cli.valid' : 'export.cli.invalid'));
  for (const f of v.general) out(`  - ${findingText(t, f)}`);
  for (const item of v.items)
    for (const f of item.findings.filter((x) => !x.ok)) out(`  - ${item.path}: ${findingText(t, f)}`);
  out('');
  for (const item of v.items) {
    const kind = item.kind ? ` (${t(`export.kind.${item.kind}` as MessageKey)})` : '';
    out(`${mark(item.findings.every((f) => f.ok))} ${item.path}${kind}`);
    for (const f of item.findings) out(`     ${mark(f.ok)} ${findingText(t, f)}`);
  }
  for (const notice of v.manifest?.awaiting ?? [])
    out(`[--] ${t('export.cli.awaiting', { office: notice.officeName, sentAt: notice.sentAt })}`);
  if (v.items.length > 0) out(t('export.cli.summary', v.counts));
}
