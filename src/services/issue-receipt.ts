import { hash, randomUUID } from 'node:crypto';
import type { ReceiptInput } from '../domain/receipts/index';
import { signReceipt } from '../domain/receipts/index';
import type { ReceiptsTable, Tx } from '../ports/database';
import { compiledRows } from './compiled-once';
import { insertRows } from './deferred-inserts';
import type { ServiceDeps } from './deps';
import { recordLogEntry, reserveLogIndex } from './transparency-log';

export interface IssuedReceipt {
  id: string;
  xml: string;
  sha256: string;
  logIndex: number;
  issuedAt: string;
}

const insertReceipts = compiledRows((db, rows: ReceiptsTable[]) =>
  db.insertInto('receipts').values(
    rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      office_id: row.office_id,
      document_id: row.document_id,
      issued_at: row.issued_at,
      sha256: row.sha256,
      log_index: row.log_index,
      xml: row.xml,
    })),
  ),
);

/**
 * Makes a signed receipt (UPP, proof of sending or proof of receipt) inside the caller's
 * transaction: its place in the transparency log is reserved first so the receipt can name it,
 * then the receipt is sealed and its SHA-256 becomes the log entry. The receipt exists only if
 * the whole transaction commits.
 */
export async function issueReceipt(
  tx: Tx,
  deps: Pick<ServiceDeps, 'clock' | 'dialect' | 'seals'>,
  input: Omit<ReceiptInput, 'receiptId' | 'issuedAt' | 'logIndex'>,
): Promise<IssuedReceipt> {
  const id = randomUUID();
  const issuedAt = deps.clock.now();
  const seal = await deps.seals.forOffice(input.office.id, input.office.name);
  const entry = await reserveLogIndex(tx, deps.dialect, issuedAt);
  const xml = signReceipt({ ...input, receiptId: id, issuedAt, logIndex: entry.index }, seal);
  const sha256 = hash('sha256', xml, 'buffer');
  await recordLogEntry(tx, deps.dialect, entry.index, sha256);
  await insertRows(tx, deps.dialect, insertReceipts, [
    {
      id,
      kind: input.kind,
      office_id: input.office.id,
      document_id: input.documentId,
      issued_at: issuedAt.toISOString(),
      sha256: sha256.toString('hex'),
      log_index: entry.index,
      xml,
    },
  ]);
  return { id, xml, sha256: sha256.toString('hex'), logIndex: entry.index, issuedAt: issuedAt.toISOString() };
}
