import {
  MAX_MANIFEST_BYTES,
  MANIFEST_PATH,
  ManifestError,
  parseManifest,
  type ExportFile,
  type ExportManifest,
} from '../export/manifest';
import { MAX_RECEIPT_BYTES, verifyReceipt } from '../receipts/index';
import {
  NoteError,
  openCheckpoint,
  parseInclusionProof,
  ProofFormatError,
  type NoteVerifier,
} from '../tlog/index';
import {
  checkLogInclusion,
  fileFindings,
  logFinding,
  matchFiles,
  type Finding,
  type GivenFile,
} from './index';

/**
 * The offline check of a resident's export: every file against the manifest, every receipt's
 * signature and certificate, the files each receipt lists, each receipt's inclusion proof
 * under the checkpoint, and the checkpoint's signature by the log key. The ZIP is read by the
 * caller; this module judges what was read. See docs/verification.md.
 */

/** An entry of the archive as read: its digest, and its bytes when it is small evidence. */
export interface ArchiveItem {
  path: string;
  sha256: string;
  size: number;
  /** Kept for the manifest, receipts, proofs and the checkpoint. */
  bytes?: Buffer;
  /** The entry could not be read (a damaged archive). */
  error?: string;
}

export interface ExportTrust {
  trustedCaPems: string[];
  verifier: NoteVerifier;
}

/** The findings about one file of the export. */
export interface ItemReport {
  path: string;
  /** From the manifest; undefined for a file the manifest does not list. */
  kind?: ExportFile['kind'];
  findings: Finding[];
}

export interface ExportVerification {
  valid: boolean;
  /** Problems of the archive or the manifest as a whole. */
  general: Finding[];
  items: ItemReport[];
  manifest?: ExportManifest;
  counts: { files: number; receipts: number; proofs: number };
}

/** The paths whose bytes the check needs (the caller keeps them while reading the archive). */
export function evidencePaths(manifest: ExportManifest): Set<string> {
  return new Set(
    manifest.files
      .filter((f) => f.kind === 'receipt' || f.kind === 'inclusion-proof' || f.kind === 'checkpoint')
      .map((f) => f.path),
  );
}

/** The largest evidence file worth keeping in memory: anything larger is invalid anyway. */
export const MAX_EVIDENCE_BYTES = MAX_RECEIPT_BYTES;

/** Reads the manifest from its bytes; a finding when it cannot be used. */
export function readManifest(bytes: Buffer | undefined): { manifest: ExportManifest } | { finding: Finding } {
  if (!bytes) return { finding: { key: 'export.manifest.missing', ok: false } };
  if (bytes.length > MAX_MANIFEST_BYTES)
    return { finding: { key: 'export.manifest.tooLarge', params: { max: MAX_MANIFEST_BYTES }, ok: false } };
  try {
    return { manifest: parseManifest(bytes.toString('utf8')) };
  } catch (error) {
    if (error instanceof ManifestError)
      return { finding: { key: error.key, params: error.params, ok: false } };
    throw error;
  }
}

export async function verifyExport(
  archive: ArchiveItem[],
  trust: ExportTrust,
  options: { now?: Date } = {},
): Promise<ExportVerification> {
  const counts = { files: 0, receipts: 0, proofs: 0 };
  const seen = new Map<string, ArchiveItem>();
  const duplicates = new Set<string>();
  for (const item of archive) {
    if (seen.has(item.path)) duplicates.add(item.path);
    seen.set(item.path, item);
  }
  const read = readManifest(seen.get(MANIFEST_PATH)?.bytes);
  if ('finding' in read) {
    const damaged = seen.get(MANIFEST_PATH)?.error;
    const finding: Finding = damaged
      ? { key: 'export.check.damaged', params: { detail: damaged }, ok: false }
      : read.finding;
    return { valid: false, general: [finding], items: [], counts };
  }
  const { manifest } = read;
  const items = new Map<string, ItemReport>();
  const report = (path: string, finding: Finding, kind?: ExportFile['kind']) => {
    const item = items.get(path) ?? { path, ...(kind ? { kind } : {}), findings: [] };
    // A file of a received letter is listed by two proofs: the same finding is said once.
    const same = (f: Finding) =>
      f.key === finding.key &&
      f.ok === finding.ok &&
      JSON.stringify(f.params) === JSON.stringify(finding.params);
    if (!item.findings.some(same)) item.findings.push(finding);
    items.set(path, item);
  };
  /** Bytes of an evidence file, only when they are the ones the manifest lists. */
  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  const evidence = (path: string | undefined): Buffer | undefined => {
    const item = path === undefined ? undefined : seen.get(path);
    // Missing or damaged is reported with the digests; anything else without bytes was too large to be evidence.
    if (item && !item.error && !item.bytes)
      report(item.path, { key: 'export.check.tooLarge', params: { max: MAX_EVIDENCE_BYTES }, ok: false });
    return item?.bytes;
  };

  // 1. Every file against the manifest, and nothing in the archive the manifest does not list.
  for (const file of manifest.files) {
    counts.files += 1;
    const item = seen.get(file.path);
    if (!item) report(file.path, { key: 'export.check.missing', ok: false }, file.kind);
    else if (item.error)
      report(
        file.path,
        { key: 'export.check.damaged', params: { detail: item.error }, ok: false },
        file.kind,
      );
    else if (item.sha256 !== file.sha256 || item.size !== file.size)
      report(
        file.path,
        {
          key: 'export.check.changed',
          params: {
            expected: file.sha256,
            expectedSize: file.size,
            actual: item.sha256,
            actualSize: item.size,
          },
          ok: false,
        },
        file.kind,
      );
    else report(file.path, { key: 'export.check.digest', ok: true }, file.kind);
    if (duplicates.has(file.path)) report(file.path, { key: 'export.check.duplicate', ok: false });
  }
  for (const item of archive) {
    if (item.path !== MANIFEST_PATH && !listed.has(item.path))
      report(item.path, { key: 'export.check.unlisted', ok: false });
  }

  // 2. The checkpoint, signed by the log key the holder trusts.
  const checkpointNote = evidence(manifest.log.checkpoint)?.toString('utf8') ?? '';
  try {
    const checkpoint = openCheckpoint(checkpointNote, trust.verifier);
    report(manifest.log.checkpoint, {
      key: 'export.check.checkpoint',
      params: { origin: checkpoint.origin, size: checkpoint.size },
      ok: true,
    });
    if (checkpoint.size !== manifest.log.size)
      report(manifest.log.checkpoint, {
        key: 'export.check.sizeMismatch',
        params: { expected: manifest.log.size, actual: checkpoint.size },
        ok: false,
      });
  } catch (error) {
    if (!(error instanceof NoteError)) throw error;
    report(manifest.log.checkpoint, {
      key: 'export.check.checkpointBad',
      params: { detail: error.message },
      ok: false,
    });
  }

  // 3. Every receipt: itself, the files it lists, its place in the log.
  for (const entry of manifest.files.filter((f) => f.kind === 'receipt')) {
    counts.receipts += 1;
    const xml = evidence(entry.path);
    if (!xml) continue; // already reported as missing or damaged
    const receipt = await verifyReceipt(xml, {
      trustedCaPems: trust.trustedCaPems,
      ...(options.now ? { now: options.now } : {}),
    });
    if (receipt.valid)
      report(entry.path, {
        key: 'export.check.receipt',
        params: { receiptId: receipt.receiptId ?? '' },
        ok: true,
      });
    for (const reason of receipt.reasons)
      report(entry.path, { key: reason.key, ...(reason.params ? { params: reason.params } : {}), ok: false });
    const described: [string, unknown, unknown][] = [
      ['receiptId', entry.receiptId, receipt.receiptId],
      ['receiptKind', entry.receiptKind, receipt.kind],
      ['documentId', entry.documentId, receipt.documentId],
      ['logIndex', entry.logIndex, receipt.logIndex],
    ];
    for (const [field, expected, actual] of described) {
      if (receipt.valid && expected !== actual)
        report(entry.path, { key: 'export.check.notAsListed', params: { field }, ok: false });
    }

    // The files of the export that say they are listed by this receipt, as they are in the archive.
    const claimed = manifest.files.filter(
      (f) =>
        f.kind === 'document-file' &&
        f.receipts?.includes(entry.path) &&
        seen.get(f.path) &&
        !seen.get(f.path)!.error,
    );
    const given: GivenFile[] = claimed.map((f) => ({
      name: f.name ?? f.path,
      sha256: seen.get(f.path)!.sha256,
      size: seen.get(f.path)!.size,
    }));
    const matches = matchFiles(receipt.files, given);
    const findings = fileFindings(receipt.files, matches);
    const changed = new Set(matches.flatMap((m) => (m.status === 'changed' ? [m.entry.name] : [])));
    for (const [i, finding] of findings.entries()) {
      // A file the receipt lists is part of the export: one that is not there is missing, not
      // skipped (a changed one is already reported on the file).
      if (finding.skipped && changed.has(String(finding.params?.entry))) continue;
      if (finding.skipped)
        report(entry.path, {
          key: 'export.check.entryMissing',
          params: { entry: String(finding.params?.entry ?? '') },
          ...(finding.roleKey ? { roleKey: finding.roleKey } : {}),
          ok: false,
        });
      else report(claimed[i]!.path, finding);
    }

    if (entry.inclusionProof === undefined) {
      report(entry.path, { key: 'export.check.noProof', ok: false });
      continue;
    }
    counts.proofs += 1;
    const proofBytes = evidence(entry.inclusionProof);
    if (!proofBytes) continue;
    let proof;
    try {
      proof = parseInclusionProof(proofBytes.toString('utf8'));
    } catch (error) {
      if (!(error instanceof ProofFormatError)) throw error;
      report(entry.inclusionProof, {
        key: 'export.check.badProof',
        params: { detail: error.message },
        ok: false,
      });
      continue;
    }
    const log = logFinding(
      checkLogInclusion(receipt, { checkpointNote, verifier: trust.verifier, proof }),
      receipt.logIndex,
    );
    report(entry.path, log);
    if (!log.ok) report(entry.inclusionProof, log);
  }

  const all = [...items.values()];
  const valid = all.every((i) => i.findings.every((f) => f.ok));
  return { valid, general: [], items: all, manifest, counts };
}
