import type { Kysely, Transaction } from 'kysely';

/**
 * The database port: one Kysely schema used on SQLite and PostgreSQL alike.
 * Times are ISO 8601 strings in UTC (sortable as text on both engines); booleans are 0/1 integers;
 * structured values are JSON text.
 */
export interface OfficesTable {
  id: string;
  name: string;
  /** Prefix of registration numbers, e.g. UMCZ. */
  short_code: string;
  address: string;
  email: string | null;
  phone: string | null;
  website: string | null;
  /** JSON of StoredPolicy. */
  policy: string;
  created_at: string;
}

export interface BoxesTable {
  office_id: string;
  name: string;
  title: string;
  created_at: string;
}

export interface OfficeExternalAddressesTable {
  office_id: string;
  position: number;
  /** e.g. "ePUAP", "e-Doręczenia". */
  platform: string;
  address: string;
}

export interface ConfirmationPointsTable {
  id: string;
  name: string;
  address: string;
  opening_hours: string;
  phone: string | null;
  retired_at: string | null;
  created_at: string;
}

export interface PollAnswersTable {
  /** SHA-256 of the random browser token: anonymous, and one answer per browser. */
  browser_hash: string;
  poll: string;
  answer: string;
  answered_at: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export type TokenScope = 'submit' | 'pull' | 'deliver';

export interface IntegrationTokensTable {
  id: string;
  office_id: string;
  scope: TokenScope;
  /** Sender name shown for documents filed with this token. */
  name: string;
  /** SHA-256 of the secret token; the token itself is shown once and never stored. */
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface DocumentsTable {
  id: string;
  office_id: string;
  box_name: string;
  sender_type: 'account' | 'token';
  sender_ref: string;
  sender_name: string;
  title: string;
  kind: string | null;
  status: string;
  /** When the document and every file were durably stored (pos:DataDoreczenia). */
  received_at: string;
  main_sha256: string;
  total_size: number;
  file_count: number;
  /** 'none' | 'valid' | 'invalid' | 'indeterminate' */
  signature_status: string;
  signature_report: string | null;
  idempotency_key: string | null;
  request_digest: string | null;
  receipt_id: string;
  /** Taken by the office's system (pull queue acknowledgement). */
  acked_at: string | null;
  lease_until: string | null;
  /** Token that holds the lease. */
  lease_owner: string | null;
}

export interface DocumentFilesTable {
  document_id: string;
  position: number;
  role: 'main' | 'attachment';
  name: string;
  media_type: string;
  format_id: string;
  size: number;
  sha256: string;
  /** JSON list of findings ({ key, params }) shown to the clerk. */
  findings: string;
}

export interface ReceiptsTable {
  id: string;
  /** 'UPP' | 'sending' | 'UPD' */
  kind: string;
  office_id: string;
  document_id: string;
  issued_at: string;
  /** SHA-256 of the signed XML: the entry of the transparency log. */
  sha256: string;
  log_index: number | null;
  xml: string;
}

export interface LetterDraftsTable {
  id: string;
  account_id: string;
  office_id: string;
  kind: string;
  title: string;
  place: string;
  body: string;
  created_at: string;
  updated_at: string;
  /** Set once the draft was filed. */
  document_id: string | null;
}

export interface LetterDraftFilesTable {
  draft_id: string;
  position: number;
  name: string;
  media_type: string;
  size: number;
  sha256: string;
}

/** One entry of the transparency log: the SHA-256 of a signed receipt or proof, nothing else. */
export interface TlogLeavesTable {
  leaf_index: number;
  /** Hex; NULL only while the index is reserved inside the issuing transaction. */
  entry_hash: string | null;
  created_at: string;
}

/** Hash (hex) of the complete subtree of leaves [node_index·2^level, (node_index+1)·2^level). */
export interface TlogNodesTable {
  level: number;
  node_index: number;
  hash: string;
}

/** A signed tree head: C2SP tlog-checkpoint as a C2SP signed note. */
export interface TlogCheckpointsTable {
  tree_size: number;
  root_hash: string;
  note: string;
  created_at: string;
}

export interface Schema {
  letter_drafts: LetterDraftsTable;
  letter_draft_files: LetterDraftFilesTable;
  integration_tokens: IntegrationTokensTable;
  documents: DocumentsTable;
  document_files: DocumentFilesTable;
  receipts: ReceiptsTable;
  offices: OfficesTable;
  boxes: BoxesTable;
  office_external_addresses: OfficeExternalAddressesTable;
  confirmation_points: ConfirmationPointsTable;
  poll_answers: PollAnswersTable;
  meta: MetaTable;
  tlog_leaves: TlogLeavesTable;
  tlog_nodes: TlogNodesTable;
  tlog_checkpoints: TlogCheckpointsTable;
}

export type Database = Kysely<Schema>;
export type Tx = Transaction<Schema>;
export type Dialect = 'sqlite' | 'postgres';
