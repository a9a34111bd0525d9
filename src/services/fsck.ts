import { createHash } from 'node:crypto';
import { verifyReceipt, type ReceiptFile, type ReceiptReport } from '../domain/receipts/index';
import { ed25519Verifier, leafHash, NoteError, openCheckpoint, rootHash } from '../domain/tlog/index';
import { translate } from '../i18n/index';
import { BlobNotFoundError } from '../ports/blob-store';
import type { ServiceDeps } from './deps';
import { logRoot, logTreeSize } from './transparency-log';

/**
 * The consistency check of an installation (`cli fsck`): every promise a receipt makes is
 * checked against what is stored. A document has its receipt and every file's bytes; a receipt
 * verifies, names exactly the stored files and is the log entry at its index; the log has no
 * gaps and its newest checkpoint is the root of the stored entries; a delivery has its files
 * and proofs; no receipt exists without what it certifies. See docs/crash-safety.md.
 */

export type FsckCheck =
  /** A file's blob is not in the blob store. */
  | 'blob-missing'
  /** A file's blob is there but its bytes do not hash to the recorded SHA-256 (or size). */
  | 'blob-corrupt'
  /** A document's receipt row is missing or belongs to something else. */
  | 'document-without-receipt'
  /** A document's own columns (file count, main digest, log position) disagree with its files or receipt. */
  | 'document-inconsistent'
  /** A receipt's signature, certificate or structure does not verify. */
  | 'receipt-invalid'
  /** A receipt's stored SHA-256 is not the hash of its XML. */
  | 'receipt-hash-mismatch'
  /** What the signed XML says (id, subject, kind, log index) is not what its row says. */
  | 'receipt-content-mismatch'
  /** The files the receipt names are not the stored files of its document or delivery. */
  | 'receipt-files-mismatch'
  /** The log has no entry at the receipt's index, or another entry there. */
  | 'receipt-not-in-log'
  /** A receipt whose document or delivery does not exist. */
  | 'receipt-without-subject'
  /** A log index below the tree size has no entry (deleted, or reserved and never recorded). */
  | 'log-gap'
  /** A log entry that no receipt accounts for. */
  | 'log-entry-without-receipt'
  /** The stored subtree hashes (what proofs are built from) do not give the root of the stored entries. */
  | 'log-nodes-mismatch'
  /** The newest checkpoint does not verify, is beyond the log, or its root is not the stored log's. */
  | 'checkpoint-inconsistent'
  /** A delivery's proof of sending or of receipt is missing. */
  | 'delivery-proof-missing';

export interface FsckProblem {
  check: FsckCheck;
  documentId?: string;
  deliveryId?: string;
  receiptId?: string;
  logIndex?: number;
  /** What is wrong, in English (an operator's tool, like the server log). */
  detail: string;
}

export interface FsckReport {
  clean: boolean;
  /** `quick`: blobs were checked for presence only, not re-hashed. */
  mode: 'full' | 'quick';
  counts: {
    documents: number;
    documentFiles: number;
    deliveries: number;
    deliveryFiles: number;
    blobsChecked: number;
    receipts: number;
    logEntries: number;
    checkpointSize: number | null;
  };
  problems: FsckProblem[];
}

/** Rows are read in pages of this many, so memory stays bounded by the log, not the documents. */
const PAGE = 200;

export async function runFsck(
  deps: Pick<ServiceDeps, 'db' | 'blobs' | 'seals' | 'clock' | 'logSigner'>,
  options: { quick?: boolean } = {},
): Promise<FsckReport> {
  const problems: FsckProblem[] = [];
  const report = (problem: FsckProblem) => problems.push(problem);
  const counts: FsckReport['counts'] = {
    documents: 0,
    documentFiles: 0,
    deliveries: 0,
    deliveryFiles: 0,
    blobsChecked: 0,
    receipts: 0,
    logEntries: 0,
    checkpointSize: null,
  };

  // Blobs are shared by content: each distinct one is checked once.
  const blobResults = new Map<string, Promise<string | undefined>>();
  const checkBlob = (sha256: string, size: number): Promise<string | undefined> => {
    const key = `${sha256}/${size}`;
    let result = blobResults.get(key);
    if (!result) {
      result = examineBlob(deps, sha256, size, options.quick ?? false);
      blobResults.set(key, result);
    }
    return result;
  };

  // --- the log: every index below the tree size has an entry ---
  const entries = await readLogEntries(deps);
  counts.logEntries = entries.length;
  const gaps: number[] = [];
  entries.forEach((entry, index) => {
    if (entry === null) gaps.push(index);
  });
  for (const index of gaps)
    report({
      check: 'log-gap',
      logIndex: index,
      detail: `log index ${index} (of ${entries.length}) has no entry`,
    });
  const accounted = new Uint8Array(entries.length);

  // --- documents and their files ---
  let after = '';
  for (;;) {
    const documents = await deps.db
      .selectFrom('documents')
      .select(['id', 'receipt_id', 'seq', 'file_count', 'main_sha256', 'total_size'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (documents.length === 0) break;
    after = documents[documents.length - 1]!.id;
    const ids = documents.map((d) => d.id);
    const files = await deps.db
      .selectFrom('document_files')
      .select(['document_id', 'position', 'role', 'name', 'size', 'sha256'])
      .where('document_id', 'in', ids)
      .orderBy('document_id')
      .orderBy('position')
      .execute();
    const receipts = await deps.db
      .selectFrom('receipts')
      .select(['id', 'kind', 'document_id', 'log_index'])
      .where(
        'id',
        'in',
        documents.map((d) => d.receipt_id),
      )
      .execute();
    const receiptById = new Map(receipts.map((r) => [r.id, r]));
    for (const doc of documents) {
      counts.documents++;
      const own = files.filter((f) => f.document_id === doc.id);
      counts.documentFiles += own.length;
      const receipt = receiptById.get(doc.receipt_id);
      if (!receipt) {
        report({
          check: 'document-without-receipt',
          documentId: doc.id,
          receiptId: doc.receipt_id,
          detail: `document ${doc.id}: its receipt ${doc.receipt_id} does not exist`,
        });
      } else if (receipt.kind !== 'UPP' || receipt.document_id !== doc.id) {
        report({
          check: 'document-without-receipt',
          documentId: doc.id,
          receiptId: doc.receipt_id,
          detail: `document ${doc.id}: receipt ${doc.receipt_id} is a ${receipt.kind} of ${receipt.document_id}, not this document's UPP`,
        });
      } else if (receipt.log_index !== doc.seq) {
        report({
          check: 'document-inconsistent',
          documentId: doc.id,
          receiptId: receipt.id,
          detail: `document ${doc.id}: position ${doc.seq} but its receipt is log entry ${receipt.log_index}`,
        });
      }
      const positionsOk = own.every(
        (f, i) => f.position === i && f.role === (i === 0 ? 'main' : 'attachment'),
      );
      const totalSize = own.reduce((sum, f) => sum + f.size, 0);
      if (
        own.length !== doc.file_count ||
        !positionsOk ||
        own[0]?.sha256 !== doc.main_sha256 ||
        totalSize !== doc.total_size
      ) {
        report({
          check: 'document-inconsistent',
          documentId: doc.id,
          detail: `document ${doc.id}: ${doc.file_count} files, main ${doc.main_sha256}, ${doc.total_size} B recorded; ${own.length} file rows, main ${own[0]?.sha256 ?? 'none'}, ${totalSize} B stored`,
        });
      }
      for (const file of own) {
        const problem = await checkBlob(file.sha256, file.size);
        if (problem) {
          report({
            check: problem === 'missing' ? 'blob-missing' : 'blob-corrupt',
            documentId: doc.id,
            detail: `document ${doc.id}: file ${file.position} (${file.role} "${file.name}") SHA-256 ${file.sha256}: ${problem === 'missing' ? 'not in the blob store' : problem}`,
          });
        }
      }
    }
  }

  // --- deliveries: their files and proofs ---
  after = '';
  for (;;) {
    const deliveries = await deps.db
      .selectFrom('deliveries')
      .select(['id', 'status', 'sending_proof_id', 'receipt_proof_id'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (deliveries.length === 0) break;
    after = deliveries[deliveries.length - 1]!.id;
    const ids = deliveries.map((d) => d.id);
    const files = await deps.db
      .selectFrom('delivery_files')
      .select(['delivery_id', 'position', 'role', 'name', 'size', 'sha256'])
      .where('delivery_id', 'in', ids)
      .orderBy('delivery_id')
      .orderBy('position')
      .execute();
    const proofIds = deliveries.flatMap((d) =>
      [d.sending_proof_id, d.receipt_proof_id].filter((id): id is string => id !== null),
    );
    const proofs = await deps.db
      .selectFrom('receipts')
      .select(['id', 'kind', 'document_id'])
      .where('id', 'in', proofIds)
      .execute();
    const proofById = new Map(proofs.map((p) => [p.id, p]));
    for (const delivery of deliveries) {
      counts.deliveries++;
      const proofProblem = (id: string | null, kind: 'sending' | 'UPD'): string | undefined => {
        if (id === null)
          return kind === 'UPD' && delivery.status !== 'awaiting'
            ? `status ${delivery.status} without a proof of receipt`
            : undefined;
        const proof = proofById.get(id);
        if (!proof)
          return `its ${kind === 'sending' ? 'proof of sending' : 'proof of receipt'} ${id} does not exist`;
        if (proof.kind !== kind || proof.document_id !== delivery.id)
          return `receipt ${id} is a ${proof.kind} of ${proof.document_id}, not this delivery's ${kind}`;
        return undefined;
      };
      for (const problem of [
        proofProblem(delivery.sending_proof_id, 'sending'),
        proofProblem(delivery.receipt_proof_id, 'UPD'),
      ]) {
        if (problem)
          report({
            check: 'delivery-proof-missing',
            deliveryId: delivery.id,
            detail: `delivery ${delivery.id}: ${problem}`,
          });
      }
      for (const file of files.filter((f) => f.delivery_id === delivery.id)) {
        counts.deliveryFiles++;
        const problem = await checkBlob(file.sha256, file.size);
        if (problem) {
          report({
            check: problem === 'missing' ? 'blob-missing' : 'blob-corrupt',
            deliveryId: delivery.id,
            detail: `delivery ${delivery.id}: file ${file.position} (${file.role} "${file.name}") SHA-256 ${file.sha256}: ${problem === 'missing' ? 'not in the blob store' : problem}`,
          });
        }
      }
    }
  }
  counts.blobsChecked = blobResults.size;

  // --- receipts: each verifies, names the stored files, is in the log, and has its subject ---
  const late: {
    index: number;
    sha256: string;
    ids: Pick<FsckProblem, 'receiptId' | 'documentId' | 'deliveryId'>;
    subject: string;
  }[] = [];
  const trustedCaPems = await deps.seals.trustedCaPems();
  after = '';
  for (;;) {
    const receipts = await deps.db
      .selectFrom('receipts')
      .selectAll()
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (receipts.length === 0) break;
    after = receipts[receipts.length - 1]!.id;
    const upp = receipts.filter((r) => r.kind === 'UPP').map((r) => r.document_id);
    const proofs = receipts.filter((r) => r.kind !== 'UPP').map((r) => r.document_id);
    const documentIds = new Set(
      upp.length
        ? (await deps.db.selectFrom('documents').select('id').where('id', 'in', upp).execute()).map(
            (d) => d.id,
          )
        : [],
    );
    const deliveryIds = new Set(
      proofs.length
        ? (await deps.db.selectFrom('deliveries').select('id').where('id', 'in', proofs).execute()).map(
            (d) => d.id,
          )
        : [],
    );
    const subjects = [...upp, ...proofs];
    const storedFiles = subjects.length
      ? [
          ...(await deps.db
            .selectFrom('document_files')
            .select(['document_id as subject', 'position', 'role', 'name', 'size', 'sha256'])
            .where('document_id', 'in', subjects)
            .execute()),
          ...(await deps.db
            .selectFrom('delivery_files')
            .select(['delivery_id as subject', 'position', 'role', 'name', 'size', 'sha256'])
            .where('delivery_id', 'in', subjects)
            .execute()),
        ]
      : [];
    for (const receipt of receipts) {
      counts.receipts++;
      const isUpp = receipt.kind === 'UPP';
      const ids = {
        receiptId: receipt.id,
        ...(isUpp ? { documentId: receipt.document_id } : { deliveryId: receipt.document_id }),
      };
      const subject = `${isUpp ? 'document' : 'delivery'} ${receipt.document_id}`;
      const exists = isUpp ? documentIds.has(receipt.document_id) : deliveryIds.has(receipt.document_id);
      if (!exists)
        report({
          check: 'receipt-without-subject',
          ...ids,
          detail: `receipt ${receipt.id} (${receipt.kind}) certifies ${subject}, which does not exist`,
        });

      const xml = Buffer.from(receipt.xml, 'utf8');
      const sha256 = createHash('sha256').update(xml).digest('hex');
      if (sha256 !== receipt.sha256)
        report({
          check: 'receipt-hash-mismatch',
          ...ids,
          detail: `${subject}: receipt ${receipt.id} is stored with SHA-256 ${receipt.sha256} but its XML hashes to ${sha256}`,
        });

      const verified = await verifyReceipt(xml, { trustedCaPems, now: deps.clock.now() });
      if (!verified.valid) {
        report({
          check: 'receipt-invalid',
          ...ids,
          detail: `${subject}: receipt ${receipt.id} does not verify: ${verified.reasons.map((r) => translate('en', r.key, r.params)).join('; ')}`,
        });
      }
      const mismatch = contentMismatch(verified, receipt);
      if (mismatch)
        report({
          check: 'receipt-content-mismatch',
          ...ids,
          detail: `${subject}: receipt ${receipt.id}: ${mismatch}`,
        });
      if (exists && verified.files.length > 0) {
        const own = storedFiles
          .filter((f) => f.subject === receipt.document_id)
          .sort((a, b) => a.position - b.position);
        const difference = filesDifference(verified.files, own);
        if (difference)
          report({
            check: 'receipt-files-mismatch',
            ...ids,
            detail: `${subject}: receipt ${receipt.id}: ${difference}`,
          });
      }

      const index = receipt.log_index;
      if (index !== null && index >= entries.length) {
        // Issued after the log was read (the installation is running): looked up at the end.
        late.push({ index, sha256, ids, subject });
      } else if (index === null || index < 0 || entries[index] === null) {
        report({
          check: 'receipt-not-in-log',
          ...ids,
          ...(index !== null ? { logIndex: index } : {}),
          detail: `${subject}: receipt ${receipt.id} names log index ${index ?? 'none'}, which the log does not have`,
        });
      } else {
        accounted[index] = 1;
        if (entries[index] !== sha256) {
          report({
            check: 'receipt-not-in-log',
            ...ids,
            logIndex: index,
            detail: `${subject}: receipt ${receipt.id}: log entry ${index} is ${entries[index]}, not the receipt's SHA-256 ${sha256}`,
          });
        }
      }
    }
  }
  for (let i = 0; i < late.length; i += PAGE) {
    const batch = late.slice(i, i + PAGE);
    const leaves = await deps.db
      .selectFrom('tlog_leaves')
      .select(['leaf_index', 'entry_hash'])
      .where(
        'leaf_index',
        'in',
        batch.map((r) => r.index),
      )
      .execute();
    const byIndex = new Map(leaves.map((l) => [l.leaf_index, l.entry_hash]));
    for (const r of batch) {
      const entry = byIndex.get(r.index);
      if (entry !== r.sha256) {
        report({
          check: 'receipt-not-in-log',
          ...r.ids,
          logIndex: r.index,
          detail: `${r.subject}: receipt ${r.ids.receiptId}: log entry ${r.index} is ${entry ?? 'missing'}, not the receipt's SHA-256 ${r.sha256}`,
        });
      }
    }
  }
  entries.forEach((entry, index) => {
    if (entry !== null && accounted[index] === 0)
      report({
        check: 'log-entry-without-receipt',
        logIndex: index,
        detail: `log entry ${index} (${entry}) belongs to no receipt`,
      });
  });

  // --- the tree: stored subtree hashes and the newest checkpoint agree with the entries ---
  const computedRoot = (size: number): Buffer | undefined => {
    const prefix = entries.slice(0, size);
    return prefix.every((e): e is string => e !== null)
      ? rootHash(prefix.map((e) => leafHash(Buffer.from(e, 'hex'))))
      : undefined;
  };
  const fullRoot = computedRoot(entries.length);
  const storedRoot = await logRoot(deps, entries.length).catch((error: unknown) => error as Error);
  if (storedRoot instanceof Error) {
    report({
      check: 'log-nodes-mismatch',
      detail: `the root of the ${entries.length} entries cannot be built from the stored subtree hashes: ${storedRoot.message}`,
    });
  } else if (fullRoot && !fullRoot.equals(storedRoot)) {
    report({
      check: 'log-nodes-mismatch',
      detail: `the stored subtree hashes give root ${storedRoot.toString('hex')}, the ${entries.length} entries give ${fullRoot.toString('hex')}`,
    });
  }
  // No checkpoint may be beyond the log: the newest one read first, then the log's size now.
  const newest = await deps.db
    .selectFrom('tlog_checkpoints')
    .select('tree_size')
    .orderBy('tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
  const sizeNow = await logTreeSize(deps);
  if (newest && newest.tree_size > sizeNow) {
    report({
      check: 'checkpoint-inconsistent',
      logIndex: newest.tree_size,
      detail: `checkpoint of size ${newest.tree_size}: it is beyond the log, which has ${sizeNow} entries`,
    });
  }
  // The newest checkpoint of the log as read (a running server may have signed a larger one since).
  const checkpoint = await deps.db
    .selectFrom('tlog_checkpoints')
    .select(['tree_size', 'root_hash', 'note'])
    .where('tree_size', '<=', entries.length)
    .orderBy('tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (checkpoint) {
    counts.checkpointSize = checkpoint.tree_size;
    const problem = checkpointProblem(deps, checkpoint, computedRoot);
    if (problem)
      report({
        check: 'checkpoint-inconsistent',
        logIndex: checkpoint.tree_size,
        detail: `checkpoint of size ${checkpoint.tree_size}: ${problem}`,
      });
  }
  // No checkpoint yet is not an inconsistency: the command line appends without signing and the
  // server signs one at start; a checkpoint that lags behind the log is normal too.

  return { clean: problems.length === 0, mode: options.quick ? 'quick' : 'full', counts, problems };
}

/** Every leaf as its entry (hex), with null where an index below the tree size has none. */
async function readLogEntries(deps: Pick<ServiceDeps, 'db'>): Promise<(string | null)[]> {
  const entries: (string | null)[] = [];
  let from = 0;
  for (;;) {
    const rows = await deps.db
      .selectFrom('tlog_leaves')
      .select(['leaf_index', 'entry_hash'])
      .where('leaf_index', '>=', from)
      .orderBy('leaf_index')
      .limit(10_000)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      while (entries.length < row.leaf_index) entries.push(null);
      entries.push(row.entry_hash);
    }
    from = rows[rows.length - 1]!.leaf_index + 1;
  }
  return entries;
}

/** undefined when the blob is there with these bytes; 'missing'; or what differs. */
async function examineBlob(
  deps: Pick<ServiceDeps, 'blobs'>,
  sha256: string,
  size: number,
  quick: boolean,
): Promise<string | undefined> {
  if (quick) return (await deps.blobs.has(sha256)) ? undefined : 'missing';
  try {
    const hash = createHash('sha256');
    let read = 0;
    for await (const chunk of await deps.blobs.get(sha256)) {
      hash.update(chunk as Buffer);
      read += (chunk as Buffer).length;
    }
    const actual = hash.digest('hex');
    if (actual !== sha256) return `the stored bytes hash to ${actual}`;
    if (read !== size) return `${read} B stored, ${size} B recorded`;
    return undefined;
  } catch (error) {
    if (error instanceof BlobNotFoundError || (error as NodeJS.ErrnoException).code === 'ENOENT')
      return 'missing';
    throw error;
  }
}

function contentMismatch(
  verified: ReceiptReport,
  row: { id: string; kind: string; document_id: string; log_index: number | null },
): string | undefined {
  // A receipt that cannot be read at all is already reported as invalid.
  if (verified.receiptId === undefined) return undefined;
  const differences: string[] = [];
  if (verified.receiptId !== row.id) differences.push(`the XML names receipt ${verified.receiptId}`);
  if (verified.kind !== row.kind)
    differences.push(`the XML is a ${verified.kind ?? '?'}, the row a ${row.kind}`);
  if (verified.documentId !== row.document_id)
    differences.push(`the XML certifies ${verified.documentId ?? '?'}`);
  if ((verified.logIndex ?? null) !== row.log_index)
    differences.push(
      `the XML names log index ${verified.logIndex ?? 'none'}, the row ${row.log_index ?? 'none'}`,
    );
  return differences.length ? differences.join('; ') : undefined;
}

function filesDifference(
  named: readonly ReceiptFile[],
  stored: readonly { role: string; name: string; size: number; sha256: string }[],
): string | undefined {
  const show = (f: { role: string; name: string; size: number; sha256: string }) =>
    `${f.role} "${f.name}" ${f.size} B ${f.sha256}`;
  if (named.length !== stored.length) return `it names ${named.length} files, ${stored.length} are stored`;
  for (const [i, file] of named.entries()) {
    const row = stored[i]!;
    if (
      file.role !== row.role ||
      file.name !== row.name ||
      file.size !== row.size ||
      file.sha256 !== row.sha256
    )
      return `file ${i} is ${show(file)} in the receipt, ${show(row)} stored`;
  }
  return undefined;
}

function checkpointProblem(
  deps: Pick<ServiceDeps, 'logSigner'>,
  row: { tree_size: number; root_hash: string; note: string },
  computedRoot: (size: number) => Buffer | undefined,
): string | undefined {
  if (!deps.logSigner) return 'no log key in this process to verify it with';
  let opened;
  try {
    opened = openCheckpoint(row.note, ed25519Verifier(deps.logSigner.name, deps.logSigner.publicKey));
  } catch (error) {
    if (error instanceof NoteError) return `its signature does not verify with the log key: ${error.message}`;
    throw error;
  }
  if (opened.size !== row.tree_size || opened.rootHash.toString('hex') !== row.root_hash)
    return 'the signed note is not the size and root stored with it';
  const root = computedRoot(row.tree_size);
  if (!root) return 'its root cannot be recomputed: the log has gaps below its size';
  if (!root.equals(opened.rootHash))
    return `it signs root ${opened.rootHash.toString('hex')}, the stored entries give ${root.toString('hex')}`;
  return undefined;
}
