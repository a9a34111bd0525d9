import type { MessageKey, Params } from '../../i18n/index';

/**
 * The manifest of a resident's export (`manifest.json` in the ZIP): every file with its
 * SHA-256, size and what it is, and the letters still awaiting receipt as notices. The
 * `verify` command checks the export against it; see docs/verification.md.
 */

export const EXPORT_FORMAT = 'urzad-online-export/1';
export const MANIFEST_PATH = 'manifest.json';
/** Larger manifests are refused before parsing (about 10 000 files). */
export const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

export type ExportFileKind =
  | 'readme'
  /** The newest signed checkpoint of the transparency log. */
  | 'checkpoint'
  /** A copy of the log's verifier key, to compare with the one the office publishes. */
  | 'log-key'
  /** A copy of a CA certificate the installation trusts, to compare likewise. */
  | 'ca-certificate'
  /** UPP, proof of sending or UPD: signed XML. */
  | 'receipt'
  /** RFC 9162 inclusion proof of a receipt under the checkpoint, as the API serves it. */
  | 'inclusion-proof'
  /** A file of a filed letter or of a letter received from an office. */
  | 'document-file';

export interface ExportFile {
  path: string;
  kind: ExportFileKind;
  /** Lower-case hex SHA-256 of the file. */
  sha256: string;
  size: number;
  /** receipt: its kind, id and the id of the document or delivery it is about. */
  receiptKind?: 'UPP' | 'sending' | 'UPD';
  receiptId?: string;
  documentId?: string;
  /** receipt: its position in the log; inclusion-proof: the receipt it proves. */
  logIndex?: number;
  /** receipt: the path of its inclusion proof. */
  inclusionProof?: string;
  /** inclusion-proof: the path of the receipt it proves. */
  receipt?: string;
  /** document-file: the name and role the receipts give it, and the receipts that list it. */
  name?: string;
  role?: 'main' | 'attachment';
  receipts?: string[];
}

/** A filed letter or a received letter, for the reader: which files belong together. */
export interface ExportLetter {
  /** Document id (filed) or delivery id (received). */
  id: string;
  officeId: string;
  officeName: string;
  title: string;
  /** Filed: entered the box. Received: sent by the office. */
  at: string;
  status: string;
  receipts: string[];
  files: string[];
}

/** A letter from an office that awaits receipt: only that it exists, never its content. */
export interface AwaitingNotice {
  deliveryId: string;
  officeId: string;
  officeName: string;
  sentAt: string;
}

export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  createdAt: string;
  installation: string;
  account: { id: string; email: string; name: string };
  log: { origin: string; size: number; checkpoint: string; key?: string };
  files: ExportFile[];
  filed: ExportLetter[];
  received: ExportLetter[];
  awaiting: AwaitingNotice[];
}

/** The exact bytes of a manifest: two-space JSON and a final newline (verify requires this form). */
export function manifestText(manifest: ExportManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Why a manifest cannot be used: a message key (Polish and English) and its parameters. */
export class ManifestError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: Params = {},
  ) {
    super(key);
  }
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const SHA256_HEX = /^[0-9a-f]{64}$/;
const KINDS: readonly string[] = [
  'readme',
  'checkpoint',
  'log-key',
  'ca-certificate',
  'receipt',
  'inclusion-proof',
  'document-file',
] satisfies ExportFileKind[];

/**
 * Reads a manifest and checks its shape: every path once, digests and sizes well formed,
 * references between entries pointing at entries of the right kind. The manifest is not
 * signed: what it says of files is checked against the files, the receipts and the log.
 */
export function parseManifest(text: string): ExportManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ManifestError('export.manifest.notJson');
  }
  if (!isObject(value) || value.format !== EXPORT_FORMAT)
    throw new ManifestError('export.manifest.format', { format: EXPORT_FORMAT });
  for (const part of ['files', 'filed', 'received', 'awaiting'] as const) {
    if (!Array.isArray(value[part])) throw new ManifestError('export.manifest.shape', { part });
  }
  if (!isObject(value.log)) throw new ManifestError('export.manifest.shape', { part: 'log' });
  const manifest = value as unknown as ExportManifest;
  // Any edit that keeps the JSON valid but not byte for byte what the export wrote shows here.
  if (manifestText(manifest) !== text) throw new ManifestError('export.manifest.form');
  const byPath = new Map<string, ExportFile>();
  for (const [i, file] of (manifest.files as unknown[]).entries()) {
    if (
      !isObject(file) ||
      typeof file.path !== 'string' ||
      !KINDS.includes(String(file.kind)) ||
      !SHA256_HEX.test(String(file.sha256)) ||
      !Number.isSafeInteger(file.size) ||
      (file.size as number) < 0
    ) {
      throw new ManifestError('export.manifest.entry', {
        entry: isObject(file) && typeof file.path === 'string' ? `"${file.path}"` : `#${i + 1}`,
      });
    }
    const entry = file as unknown as ExportFile;
    if (entry.path === MANIFEST_PATH || byPath.has(entry.path))
      throw new ManifestError('export.manifest.twice', { path: entry.path });
    byPath.set(entry.path, entry);
  }
  const kindOf = (path: unknown) => (typeof path === 'string' ? byPath.get(path)?.kind : undefined);
  for (const file of manifest.files) {
    const bad =
      (file.kind === 'receipt' &&
        file.inclusionProof !== undefined &&
        kindOf(file.inclusionProof) !== 'inclusion-proof') ||
      (file.kind === 'inclusion-proof' && kindOf(file.receipt) !== 'receipt') ||
      (file.kind === 'document-file' &&
        (!Array.isArray(file.receipts) ||
          file.receipts.length === 0 ||
          file.receipts.some((r) => kindOf(r) !== 'receipt')));
    if (bad) throw new ManifestError('export.manifest.reference', { path: file.path });
  }
  if (kindOf(manifest.log.checkpoint) !== 'checkpoint')
    throw new ManifestError('export.manifest.noCheckpoint');
  return manifest;
}
