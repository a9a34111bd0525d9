import { AppError } from '../domain/errors';
import { addresseeMaySeeContent } from './deliver-letter';
import type { ServiceDeps } from './deps';
import type { TokenPrincipal } from './integration-tokens';

/** Who is asking to read a document or a receipt. */
export type Reader =
  { kind: 'token'; token: TokenPrincipal } | { kind: 'account'; accountId: string; clerkOfOffices: string[] };

export interface DocumentView {
  documentId: string;
  officeId: string;
  box: string;
  title: string;
  kind: string | null;
  status: string;
  receivedAt: string;
  sender: { type: string; name: string };
  receiptId: string;
  totalSize: number;
  signature: { status: string; report: unknown };
  files: {
    position: number;
    role: string;
    name: string;
    mediaType: string;
    size: number;
    sha256: string;
    findings: unknown[];
  }[];
}

const notFound = (id: string) =>
  new AppError({ code: 'not_found', status: 404, key: 'filing.error.documentNotFound', params: { id } });

/**
 * The sender (its token or account) and the office (its clerks and its office-system tokens)
 * may read a document; anyone else gets 404, so existence never leaks.
 */
function mayRead(
  reader: Reader,
  doc: { office_id: string; sender_type: string; sender_ref: string },
): boolean {
  if (reader.kind === 'token') {
    if (doc.sender_type === 'token' && doc.sender_ref === reader.token.tokenId) return true;
    return reader.token.officeId === doc.office_id && reader.token.scope === 'pull';
  }
  if (doc.sender_type === 'account' && doc.sender_ref === reader.accountId) return true;
  return reader.clerkOfOffices.includes(doc.office_id);
}

/**
 * A delivery's proofs: the office's clerks and delivering tokens always; its addressee only once
 * the letter is received or deemed.
 */
function mayReadDelivery(
  reader: Reader,
  delivery: { office_id: string; recipient_account_id: string; status: string },
): boolean {
  if (reader.kind === 'token')
    return reader.token.officeId === delivery.office_id && reader.token.scope === 'deliver';
  if (reader.clerkOfOffices.includes(delivery.office_id)) return true;
  return delivery.recipient_account_id === reader.accountId && addresseeMaySeeContent(delivery.status);
}

export async function getDocument(
  deps: Pick<ServiceDeps, 'db'>,
  reader: Reader,
  documentId: string,
): Promise<DocumentView> {
  const doc = await deps.db
    .selectFrom('documents')
    .selectAll()
    .where('id', '=', documentId)
    .executeTakeFirst();
  if (!doc || !mayRead(reader, doc)) throw notFound(documentId);
  const files = await deps.db
    .selectFrom('document_files')
    .selectAll()
    .where('document_id', '=', documentId)
    .orderBy('position')
    .execute();
  return {
    documentId: doc.id,
    officeId: doc.office_id,
    box: `/${doc.office_id}/${doc.box_name}`,
    title: doc.title,
    kind: doc.kind,
    status: doc.status,
    receivedAt: doc.received_at,
    sender: { type: doc.sender_type, name: doc.sender_name },
    receiptId: doc.receipt_id,
    totalSize: doc.total_size,
    signature: {
      status: doc.signature_status,
      report: doc.signature_report ? JSON.parse(doc.signature_report) : null,
    },
    files: files.map((f) => ({
      position: f.position,
      role: f.role,
      name: f.name,
      mediaType: f.media_type,
      size: f.size,
      sha256: f.sha256,
      findings: JSON.parse(f.findings) as unknown[],
    })),
  };
}

export interface ReceiptRecord {
  id: string;
  kind: string;
  officeId: string;
  documentId: string;
  issuedAt: string;
  sha256: string;
  logIndex: number | null;
  xml: string;
}

export async function getReceipt(
  deps: Pick<ServiceDeps, 'db'>,
  reader: Reader,
  receiptId: string,
): Promise<ReceiptRecord> {
  const receipt = await deps.db
    .selectFrom('receipts')
    .selectAll()
    .where('id', '=', receiptId)
    .executeTakeFirst();
  const doc = receipt
    ? await deps.db
        .selectFrom('documents')
        .select(['office_id', 'sender_type', 'sender_ref'])
        .where('id', '=', receipt.document_id)
        .executeTakeFirst()
    : undefined;
  // Proofs of sending and of receipt belong to a delivery, not to a filed document.
  const delivery =
    receipt && !doc
      ? await deps.db
          .selectFrom('deliveries')
          .select(['office_id', 'recipient_account_id', 'status'])
          .where('id', '=', receipt.document_id)
          .executeTakeFirst()
      : undefined;
  const allowed = doc ? mayRead(reader, doc) : delivery ? mayReadDelivery(reader, delivery) : false;
  if (!receipt || !allowed) {
    throw new AppError({
      code: 'not_found',
      status: 404,
      key: 'filing.error.receiptNotFound',
      params: { id: receiptId },
    });
  }
  return {
    id: receipt.id,
    kind: receipt.kind,
    officeId: receipt.office_id,
    documentId: receipt.document_id,
    issuedAt: receipt.issued_at,
    sha256: receipt.sha256,
    logIndex: receipt.log_index,
    xml: receipt.xml,
  };
}
