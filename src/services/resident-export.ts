import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import yazl from 'yazl';
import {
  EXPORT_FORMAT,
  MANIFEST_PATH,
  manifestText,
  type AwaitingNotice,
  type ExportFile,
  type ExportLetter,
  type ExportManifest,
} from '../domain/export/manifest';
import { translate } from '../i18n/index';
import { audit } from './audit';
import { addresseeMaySeeContent } from './deliver-letter';
import type { ServiceDeps } from './deps';
import { inclusionProof, logVerifierKey, signCheckpointIfGrown } from './transparency-log';

/**
 * Everything of a resident's in one ZIP: filed letters with their files and receipts, letters
 * received from offices (received or deemed) with their files and proofs, the newest signed
 * checkpoint of the log with an inclusion proof per receipt, the trust anchors as copies to
 * compare, a manifest and a README. Letters that still await receipt are only notices.
 * See docs/verification.md, "The resident's export".
 */

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A name safe as a path element in any unzipper: no separators, controls, reserved characters or leading dots. */
export function safeFileName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  return [...(cleaned || 'plik')].slice(0, 120).join('');
}

type Source = { bytes: Buffer } | { blob: string };

interface PlannedFile {
  entry: ExportFile;
  source: Source;
}

export interface ResidentExport {
  fileName: string;
  manifest: ExportManifest;
  /** The ZIP, produced as it is read: blobs are opened one at a time. */
  stream: Readable;
}

const RECEIPT_PREFIX = { UPP: 'UPP', sending: 'DW', UPD: 'UPD' } as const;

export async function exportResidentData(
  deps: ServiceDeps,
  input: { accountId: string },
): Promise<ResidentExport> {
  const now = deps.clock.now();
  const account = await deps.db
    .selectFrom('accounts')
    .select(['id', 'email', 'display_name'])
    .where('id', '=', input.accountId)
    .executeTakeFirstOrThrow();
  // The resident's rows first (only theirs: filed by this account, addressed to it)…
  const documents = await deps.db
    .selectFrom('documents')
    .select(['id', 'office_id', 'title', 'received_at', 'status', 'receipt_id'])
    .where('sender_type', '=', 'account')
    .where('sender_ref', '=', account.id)
    .orderBy('received_at')
    .orderBy('id')
    .execute();
  const deliveries = await deps.db
    .selectFrom('deliveries')
    .selectAll()
    .where('recipient_account_id', '=', account.id)
    .orderBy('sent_at')
    .orderBy('id')
    .execute();
  // …then a checkpoint of the current tree, so that every receipt read above is under it.
  if (deps.logSigner) await signCheckpointIfGrown(deps);
  const checkpoint = await deps.db
    .selectFrom('tlog_checkpoints')
    .select(['tree_size', 'note'])
    .orderBy('tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!checkpoint) throw new Error('the transparency log has no signed checkpoint yet');

  const files: PlannedFile[] = [];
  /** A small file made here (receipt, proof, checkpoint…): hashed now. */
  const add = (entry: Omit<ExportFile, 'sha256' | 'size'>, content: string): void => {
    const bytes = Buffer.from(content, 'utf8');
    files.push({ entry: { ...entry, sha256: sha256(bytes), size: bytes.length }, source: { bytes } });
  };

  const checkpointPath = 'rejestr/checkpoint.txt';
  const keyPath = 'rejestr/log.key';
  add({ path: checkpointPath, kind: 'checkpoint' }, checkpoint.note);
  // A copy of the key, to compare with the one the office publishes; verify never trusts it by itself.
  if (deps.logSigner) add({ path: keyPath, kind: 'log-key' }, `${logVerifierKey(deps)}\n`);
  for (const [i, pem] of (await deps.seals.trustedCaPems()).entries())
    add({ path: `klucze/ca-${i + 1}.pem`, kind: 'ca-certificate' }, pem);

  /** A receipt and, when it is under the checkpoint, its inclusion proof. */
  const addReceipt = async (folder: string, receiptId: string): Promise<string> => {
    const r = await deps.db
      .selectFrom('receipts')
      .selectAll()
      .where('id', '=', receiptId)
      .executeTakeFirstOrThrow();
    const kind = r.kind as 'UPP' | 'sending' | 'UPD';
    const path = `${folder}/${RECEIPT_PREFIX[kind]}-${r.id}.xml`;
    const index = r.log_index ?? undefined;
    const proofPath = `${folder}/${RECEIPT_PREFIX[kind]}-${r.id}.inclusion-proof.json`;
    const covered = index !== undefined && index < checkpoint.tree_size;
    add(
      {
        path,
        kind: 'receipt',
        receiptKind: kind,
        receiptId: r.id,
        documentId: r.document_id,
        ...(index !== undefined ? { logIndex: index } : {}),
        ...(covered ? { inclusionProof: proofPath } : {}),
      },
      r.xml,
    );
    if (covered) {
      const proof = await inclusionProof(deps, index, checkpoint.tree_size);
      const json = `${JSON.stringify({ index: proof.index, size: proof.size, hashes: proof.hashes.map((h) => h.toString('base64')) })}\n`;
      add({ path: proofPath, kind: 'inclusion-proof', receipt: path, logIndex: index }, json);
    }
    return path;
  };
  const addFiles = (
    folder: string,
    rows: { position: number; role: string; name: string; size: number; sha256: string }[],
    receipts: string[],
  ): string[] =>
    rows.map((f) => {
      const path = `${folder}/pliki/${Number(f.position) + 1}-${safeFileName(f.name)}`;
      const entry: ExportFile = {
        path,
        kind: 'document-file',
        sha256: f.sha256,
        size: Number(f.size),
        name: f.name,
        role: f.role === 'main' ? 'main' : 'attachment',
        receipts,
      };
      files.push({ entry, source: { blob: f.sha256 } });
      return path;
    });

  const officeNames = new Map(
    (await deps.db.selectFrom('offices').select(['id', 'name']).execute()).map((o) => [o.id, o.name]),
  );
  const filed: ExportLetter[] = [];
  for (const doc of documents) {
    const folder = `pisma-wyslane/${doc.id}`;
    const receipt = await addReceipt(folder, doc.receipt_id);
    const rows = await deps.db
      .selectFrom('document_files')
      .selectAll()
      .where('document_id', '=', doc.id)
      .orderBy('position')
      .execute();
    const paths = addFiles(folder, rows, [receipt]);
    filed.push({
      id: doc.id,
      officeId: doc.office_id,
      officeName: officeNames.get(doc.office_id) ?? doc.office_id,
      title: doc.title,
      at: doc.received_at,
      status: doc.status,
      receipts: [receipt],
      files: paths,
    });
  }

  const received: ExportLetter[] = [];
  const awaiting: AwaitingNotice[] = [];
  for (const d of deliveries) {
    const officeName = officeNames.get(d.office_id) ?? d.office_id;
    // The law: the content of a letter is the addressee's only once receipt is confirmed or deemed.
    if (!addresseeMaySeeContent(d.status) || !d.receipt_proof_id) {
      awaiting.push({ deliveryId: d.id, officeId: d.office_id, officeName, sentAt: d.sent_at });
      continue;
    }
    const folder = `pisma-otrzymane/${d.id}`;
    const receipts = [
      await addReceipt(folder, d.sending_proof_id),
      await addReceipt(folder, d.receipt_proof_id),
    ];
    const rows = await deps.db
      .selectFrom('delivery_files')
      .selectAll()
      .where('delivery_id', '=', d.id)
      .orderBy('position')
      .execute();
    const paths = addFiles(folder, rows, receipts);
    received.push({
      id: d.id,
      officeId: d.office_id,
      officeName,
      title: d.title,
      at: d.sent_at,
      status: d.status,
      receipts,
      files: paths,
    });
  }

  // A blob missing from the store would cut the download short: refuse before sending anything.
  for (const f of files) {
    if ('blob' in f.source && !(await deps.blobs.has(f.source.blob)))
      throw new Error(`blob ${f.source.blob} of ${f.entry.path} is missing from the store`);
  }

  const readme = ['pl', 'en']
    .map((lang) =>
      translate(lang as 'pl', 'export.readme', {
        installation: deps.config.publicUrl,
        size: checkpoint.tree_size,
      }),
    )
    .join('\n\n----------------------------------------\n\n');
  add({ path: 'README.txt', kind: 'readme' }, `${readme}\n`);

  const manifest: ExportManifest = {
    format: EXPORT_FORMAT,
    createdAt: now.toISOString(),
    installation: deps.config.publicUrl,
    account: { id: account.id, email: account.email, name: account.display_name },
    log: {
      origin: deps.config.logOrigin,
      size: checkpoint.tree_size,
      checkpoint: checkpointPath,
      ...(deps.logSigner ? { key: keyPath } : {}),
    },
    files: files.map((f) => f.entry),
    filed,
    received,
    awaiting,
  };

  await audit(deps, {
    action: 'account.exported',
    actorId: account.id,
    subject: account.id,
    details: {
      filed: filed.length,
      received: received.length,
      awaiting: awaiting.length,
      files: files.length,
    },
  });

  const zip = new yazl.ZipFile();
  const options = { mtime: now };
  zip.addBuffer(Buffer.from(manifestText(manifest), 'utf8'), MANIFEST_PATH, options);
  for (const f of files) {
    const source = f.source;
    if ('bytes' in source) zip.addBuffer(source.bytes, f.entry.path, options);
    // Stored, not deflated: documents are mostly compressed already, and it spares the CPU.
    else
      zip.addReadStreamLazy(
        f.entry.path,
        { ...options, compress: false },
        (cb) =>
          void deps.blobs.get(source.blob).then(
            (s) => cb(null, s),
            (e: Error) => cb(e, undefined as never),
          ),
      );
  }
  zip.end();
  return {
    fileName: `eksport-${now.toISOString().slice(0, 10)}.zip`,
    manifest,
    stream: zip.outputStream as Readable,
  };
}
