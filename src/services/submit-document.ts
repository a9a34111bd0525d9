import { SENDER_AUTHENTICATION_NOTE } from '../domain/receipts/model';
import type { NationalAuthEvidence } from '../ports/national-node';
import { describeAuthentication } from './national-login';
import { createHash, randomUUID } from 'node:crypto';
import {
  verifyUploadedSignatures,
  type SignatureReport,
} from '../domain/signatures/verify-uploaded-signatures';
import { AppError } from '../domain/errors';
import type { LetterKind } from '../domain/letters/letter-kind';
import {
  checkFiles,
  collectChunks,
  filesRefused,
  type CheckedFile,
  type IncomingFile,
} from '../domain/validation/index';
import type { StagedBlob } from '../ports/blob-store';
import type { DocumentFilesTable, DocumentsTable } from '../ports/database';
import { compiledRows } from './compiled-once';
import { insertRows } from './deferred-inserts';
import { indexDocumentWords } from './box-search';
import type { ServiceDeps } from './deps';
import { inReceiptTransaction, receiptsDurable } from './group-commit';
import { issueReceipt } from './issue-receipt';
import { boxAddress, getOffice } from './offices';
import { emitEvent } from './webhooks';
import type { WebhookEventData } from '../domain/webhooks/events';

export interface Sender {
  type: 'account' | 'token';
  /** Account id or token id. */
  ref: string;
  name: string;
}

export interface SubmittedFile {
  /** `document` for the main document, `attachment` for the others. */
  field: 'document' | 'attachment';
  name: string;
  staged: StagedBlob;
}

export interface SubmitInput {
  officeId: string;
  boxName: string;
  sender: Sender;
  files: SubmittedFile[];
  title?: string | undefined;
  kind?: LetterKind | undefined;
  idempotencyKey?: string | undefined;
  /** The sender logged in through login.gov.pl in this session: recorded and stated on the UPP. */
  authentication?: NationalAuthEvidence | undefined;
}

export interface SubmitResult {
  documentId: string;
  receiptId: string;
  receivedAt: string;
  /** True when an earlier submission with the same idempotency key and content was returned. */
  replayed: boolean;
}

/** What makes two submissions "the same content" for idempotency: text fields and file digests. */
function requestDigest(input: SubmitInput, files: CheckedFile[]): string {
  const canonical = JSON.stringify({
    office: input.officeId,
    box: input.boxName,
    title: input.title ?? null,
    kind: input.kind ?? null,
    files: files.map((f, i) => [f.field, f.name, input.files[i]?.staged.sha256]),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** A staged upload as the validators see it: in memory, or its file read through the store. */
export function receivedFile(field: string, name: string, staged: StagedBlob): IncomingFile {
  return {
    field,
    name,
    size: staged.size,
    bytes: staged.bytes,
    path: staged.path,
    read: () => staged.read(),
  };
}

/** The whole content of a staged upload, read from its file only when it is not in memory. */
async function stagedBytes(staged: StagedBlob): Promise<Buffer> {
  return staged.bytes ?? collectChunks(staged.read(), staged.size);
}

/** A new document's row: what a filing says, and the state every document starts in. */
const insertDocuments = compiledRows(
  (
    db,
    rows: Pick<
      DocumentsTable,
      | 'id'
      | 'office_id'
      | 'box_name'
      | 'sender_type'
      | 'sender_ref'
      | 'sender_name'
      | 'title'
      | 'kind'
      | 'received_at'
      | 'main_sha256'
      | 'total_size'
      | 'file_count'
      | 'signature_status'
      | 'signature_report'
      | 'idempotency_key'
      | 'request_digest'
      | 'receipt_id'
      | 'seq'
    >[],
  ) =>
    db.insertInto('documents').values(
      rows.map((d) => ({
        id: d.id,
        office_id: d.office_id,
        box_name: d.box_name,
        sender_type: d.sender_type,
        sender_ref: d.sender_ref,
        sender_name: d.sender_name,
        title: d.title,
        kind: d.kind,
        status: 'received',
        received_at: d.received_at,
        main_sha256: d.main_sha256,
        total_size: d.total_size,
        file_count: d.file_count,
        signature_status: d.signature_status,
        signature_report: d.signature_report,
        idempotency_key: d.idempotency_key,
        request_digest: d.request_digest,
        receipt_id: d.receipt_id,
        seq: d.seq,
        acked_at: null,
        lease_until: null,
        lease_owner: null,
        registration_number: null,
        registered_at: null,
        department_id: null,
        assignee_id: null,
        closed_at: null,
      })),
    ),
);

const insertDocumentFiles = compiledRows((db, rows: DocumentFilesTable[]) =>
  db.insertInto('document_files').values(
    rows.map((f) => ({
      document_id: f.document_id,
      position: f.position,
      role: f.role,
      name: f.name,
      media_type: f.media_type,
      format_id: f.format_id,
      size: f.size,
      sha256: f.sha256,
      findings: f.findings,
    })),
  ),
);

const insertAuthentications = compiledRows((db, rows: { document_id: string; evidence: string }[]) =>
  db
    .insertInto('document_authentications')
    .values(rows.map((r) => ({ document_id: r.document_id, evidence: r.evidence }))),
);

async function discardAll(files: SubmittedFile[]): Promise<void> {
  await Promise.all(files.map((f) => f.staged.discard()));
}

/**
 * Files a document into an office's box. Every file is validated against the office policy
 * before anything is stored; a rejected filing leaves nothing. Accepted files are committed to
 * the blob store first, then one transaction writes the document, its files and the signed
 * receipt (with its place in the transparency log): whoever holds a receipt holds proof that
 * the office has the exact bytes.
 */
export async function submitDocument(deps: ServiceDeps, input: SubmitInput): Promise<SubmitResult> {
  try {
    const office = await getOffice(deps, input.officeId);
    const box = office.boxes.find((b) => b.name === input.boxName);
    if (!box)
      throw new AppError({
        code: 'not_found',
        status: 404,
        key: 'filing.error.unknownBox',
        params: { box: boxAddress(input.officeId, input.boxName) },
      });
    const mains = input.files.filter((f) => f.field === 'document');
    if (mains.length !== 1) {
      throw new AppError({
        code: 'validation_failed',
        status: 422,
        key: 'filing.error.rejected',
        fieldErrors: [
          {
            field: 'document',
            key: mains.length === 0 ? 'filing.error.noDocument' : 'filing.error.manyDocuments',
          },
        ],
      });
    }
    // The main document first, then attachments in the order they came.
    const ordered = [...mains, ...input.files.filter((f) => f.field === 'attachment')];
    const checked = await checkFiles(
      office.policy,
      ordered.map((f) => receivedFile(f.field, f.name, f.staged)),
    );
    if (!checked.ok) throw filesRefused(checked.problems);
    const signatures = await checkSignatures(deps, checked.files, ordered, input.sender);
    const ordinal = { ...input, files: ordered };
    const digest = requestDigest(ordinal, checked.files);

    if (input.idempotencyKey) {
      const earlier = await findByIdempotencyKey(deps, input.sender, input.idempotencyKey);
      if (earlier) {
        await discardAll(input.files);
        // It may be a neighbour's filing committed a moment ago and not yet flushed to disk.
        await receiptsDurable(deps);
        return replay(earlier, digest);
      }
    }

    // Blobs before rows: a committed row never points to a missing file.
    for (const file of ordered) await file.staged.commit();

    const documentId = randomUUID();
    const title = input.title?.trim() || checked.files[0]!.name;
    try {
      return await inReceiptTransaction(deps, async (tx) => {
        const receivedAt = deps.clock.now();
        const receipt = await issueReceipt(tx, deps, {
          kind: 'UPP',
          documentId,
          office: { id: office.id, name: office.name, boxAddress: box.address },
          sender: {
            name: input.sender.name,
            id: input.sender.ref,
            idType: input.sender.type === 'token' ? 'Token' : 'IdentyfikatorKonta',
          },
          ...(input.authentication
            ? {
                notes: [
                  { type: SENDER_AUTHENTICATION_NOTE, value: describeAuthentication(input.authentication) },
                ],
              }
            : {}),
          enteredAt: receivedAt,
          files: checked.files.map((f, i) => ({
            role: i === 0 ? 'main' : 'attachment',
            name: f.name,
            sha256: ordered[i]!.staged.sha256,
            size: f.size,
          })),
        });
        // The rows are written at the batch's end in a batch of receipts (deferred-inserts.ts).
        await insertRows(tx, deps.dialect, insertDocuments, [
          {
            id: documentId,
            office_id: office.id,
            box_name: box.name,
            sender_type: input.sender.type,
            sender_ref: input.sender.ref,
            sender_name: input.sender.name,
            title,
            kind: input.kind ?? null,
            received_at: receivedAt.toISOString(),
            main_sha256: ordered[0]!.staged.sha256,
            total_size: ordered.reduce((sum, f) => sum + f.staged.size, 0),
            file_count: ordered.length,
            signature_status: signatures.status,
            signature_report: signatures.findings.length > 0 ? JSON.stringify(signatures.findings) : null,
            idempotency_key: input.idempotencyKey ?? null,
            request_digest: digest,
            receipt_id: receipt.id,
            seq: receipt.logIndex,
          },
        ]);
        if (input.authentication)
          await insertRows(tx, deps.dialect, insertAuthentications, [
            { document_id: documentId, evidence: JSON.stringify(input.authentication) },
          ]);
        await indexDocumentWords(tx, deps.dialect, {
          officeId: office.id,
          seq: receipt.logIndex,
          title,
          senderName: input.sender.name,
        });
        await insertRows(
          tx,
          deps.dialect,
          insertDocumentFiles,
          checked.files.map((f, position) => ({
            document_id: documentId,
            position,
            role: position === 0 ? 'main' : 'attachment',
            name: f.name,
            media_type: f.mediaType,
            format_id: f.formatId,
            size: f.size,
            sha256: ordered[position]!.staged.sha256,
            findings: JSON.stringify(f.findings),
          })),
        );
        await emitEvent(tx, deps, {
          type: 'document.received',
          officeId: office.id,
          data: {
            documentId,
            boxName: box.name,
            receiptId: receipt.id,
            receivedAt: receivedAt.toISOString(),
            mainSha256: ordered[0]!.staged.sha256,
            // The verdicts only (event data is flat); who signed comes through the pull API.
            ...signatureSummary(signatures),
          },
        });
        return { documentId, receiptId: receipt.id, receivedAt: receivedAt.toISOString(), replayed: false };
      });
    } catch (error) {
      // Two requests with one idempotency key raced: the other one won; answer as it did.
      if (input.idempotencyKey) {
        const earlier = await findByIdempotencyKey(deps, input.sender, input.idempotencyKey);
        if (earlier) return replay(earlier, digest);
      }
      throw error;
    }
  } catch (error) {
    await discardAll(input.files);
    throw error;
  }
}

/** Verifies the signatures the sender's files carry; the result is shown to the office, never a reason to refuse. */
async function checkSignatures(
  deps: Pick<ServiceDeps, 'db' | 'seals' | 'clock' | 'trust' | 'config' | 'revocationFetcher'>,
  files: CheckedFile[],
  staged: SubmittedFile[],
  sender: Sender,
): Promise<SignatureReport> {
  const candidates = [];
  for (const [i, file] of files.entries()) {
    if (!SIGNABLE_FORMATS.has(file.formatId)) continue;
    candidates.push({
      name: file.name,
      formatId: file.formatId,
      bytes: await stagedBytes(staged[i]!.staged),
    });
  }
  if (candidates.length === 0) return { status: 'none', findings: [] };
  const trust = deps.trust ? await deps.trust.anchors() : await deps.seals.trustedCaPems();
  const fetcher = deps.revocationFetcher;
  return verifyUploadedSignatures(candidates, trust, deps.clock.now(), {
    ...(await senderPesel(deps, sender)),
    ...(fetcher ? { fetchRevocation: (cert, issuer) => fetcher.fetch(cert, issuer) } : {}),
  });
}

/**
 * The signature fields of the `document.received` event: the overall status, the kinds of the
 * valid signatures (comma-separated) and whether a signer's PESEL matched the sender's.
 */
function signatureSummary(
  report: SignatureReport,
): Pick<
  WebhookEventData['document.received'],
  'signatureStatus' | 'signatureCategories' | 'signaturePeselMatch'
> {
  const valid = report.findings.filter((f) => f.status === 'valid' && f.category);
  const compared = report.findings.filter((f) => f.peselMatch !== undefined);
  return {
    signatureStatus: report.status,
    signatureCategories: valid.length > 0 ? [...new Set(valid.map((f) => f.category))].join(',') : null,
    signaturePeselMatch:
      compared.length === 0 ? null : compared.every((f) => f.peselMatch) ? 'match' : 'mismatch',
  };
}

/**
 * The sender's PESEL, to compare with the signer's: the one the national node vouched for, else
 * (where the local register is on) that of a confirmed local profile.
 */
async function senderPesel(
  deps: Pick<ServiceDeps, 'db' | 'config'>,
  sender: Sender,
): Promise<{ senderPesel?: string }> {
  if (sender.type !== 'account') return {};
  const bound = await deps.db
    .selectFrom('national_identities')
    .select('pesel')
    .where('account_id', '=', sender.ref)
    .executeTakeFirst();
  if (bound) return { senderPesel: bound.pesel };
  if (!deps.config.localTrustedProfiles) return {};
  const row = await deps.db
    .selectFrom('trusted_profiles')
    .select('pesel')
    .where('account_id', '=', sender.ref)
    .where('status', '=', 'confirmed')
    .executeTakeFirst();
  return row ? { senderPesel: row.pesel } : {};
}

const SIGNABLE_FORMATS = new Set(['xml', 'xades', 'pdf', 'pades', 'cades']);

interface Earlier {
  id: string;
  receipt_id: string;
  received_at: string;
  request_digest: string | null;
}

async function findByIdempotencyKey(
  deps: Pick<ServiceDeps, 'db'>,
  sender: Sender,
  key: string,
): Promise<Earlier | undefined> {
  return deps.db
    .selectFrom('documents')
    .select(['id', 'receipt_id', 'received_at', 'request_digest'])
    .where('sender_type', '=', sender.type)
    .where('sender_ref', '=', sender.ref)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

function replay(earlier: Earlier, digest: string): SubmitResult {
  if (earlier.request_digest !== digest) {
    throw new AppError({
      code: 'idempotency_conflict',
      status: 409,
      key: 'filing.error.idempotencyConflict',
    });
  }
  return {
    documentId: earlier.id,
    receiptId: earlier.receipt_id,
    receivedAt: earlier.received_at,
    replayed: true,
  };
}
