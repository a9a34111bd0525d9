export type { ReceiptFile, ReceiptInput, ReceiptKind, ReceiptParty, SigningKey } from './model';
export { RECEIPT_KINDS } from './model';
export { receiptDocument, signReceipt } from './sign-receipt';
export { verifyReceipt, MAX_RECEIPT_BYTES, type ReceiptReason, type ReceiptReport } from './verify-receipt';
