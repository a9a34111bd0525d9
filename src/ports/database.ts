import type { Kysely, Transaction } from 'kysely';
import type { WebhookEventType } from '../domain/webhooks/events';

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
  /** The order of the office's boxes; the first is its main box. */
  position: number;
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

/** `admin`: the office's own configuration through the API (webhook endpoints). */
export type TokenScope = 'submit' | 'pull' | 'deliver' | 'admin';

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
  /** After this instant the token is refused; null: until revoked. */
  expires_at: string | null;
  /** Last authenticated request, recorded at most once a minute. */
  last_used_at: string | null;
}

export interface IntegrationSystemsTable {
  id: string;
  office_id: string;
  name: string;
  certificate_pem: string;
  /** SHA-256 (hex) of the certificate's DER. */
  certificate_sha256: string;
  /** JSON list of the box names the system may use. */
  boxes: string;
  created_at: string;
  revoked_at: string | null;
}

/** Signatures of SOAP requests already accepted, kept until their freshness window ends. */
export interface SoapSeenSignaturesTable {
  digest: string;
  expires_at: string;
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
  /** Position of the document's receipt in the transparency log: the order documents entered. */
  seq: number;
  /** Taken by the office's system (pull queue acknowledgement). */
  acked_at: string | null;
  lease_until: string | null;
  /** Token that holds the lease. */
  lease_owner: string | null;
  /** Journal number, e.g. UMCZ/2026/000123, once registered. */
  registration_number: string | null;
  registered_at: string | null;
  department_id: string | null;
  /** Account id of the clerk the document is assigned to. */
  assignee_id: string | null;
  closed_at: string | null;
}

/*
 * The box's full-text index, `document_search` (migration 240-box-full-text), is not in this
 * schema: it is an FTS5 table on SQLite and a tsvector table on PostgreSQL, read and written
 * only by src/services/box-search.ts in each engine's own SQL.
 */

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

export interface DepartmentsTable {
  id: string;
  office_id: string;
  name: string;
  created_at: string;
}

/** The last registration number given by an office in a year. */
export interface JournalCountersTable {
  office_id: string;
  year: number;
  last_number: number;
}

export interface DocumentNotesTable {
  id: string;
  document_id: string;
  author_id: string;
  body: string;
  created_at: string;
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

export interface AccountsTable {
  id: string;
  /** Lower-cased. */
  email: string;
  /** argon2id. */
  password_hash: string;
  display_name: string;
  email_verified_at: string | null;
  terms_accepted_at: string;
  /** Base32 TOTP secret; set during setup, active once totp_enabled_at is set. */
  totp_secret: string | null;
  totp_enabled_at: string | null;
  /** The newest TOTP time step accepted (30-second steps since 1970): a code is used once. */
  totp_last_step: number | null;
  locked_until: string | null;
  created_at: string;
}

export interface AccountRolesTable {
  id: string;
  account_id: string;
  /** RoleName: clerk, confirmation-officer, office-admin, platform-admin. */
  role: string;
  office_id: string | null;
  department: string | null;
  point_id: string | null;
  created_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the random token held in the `session` cookie. */
  id: string;
  account_id: string;
  /** 1 while the password was right but the second factor is still to be given. */
  second_factor_pending: number;
  created_at: string;
  last_seen_at: string;
  /** The absolute timeout. */
  expires_at: string;
}

export interface AccountTokensTable {
  /** SHA-256 of the token sent by e-mail. */
  id: string;
  account_id: string;
  /** 'verify-email' | 'reset-password'. */
  purpose: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface LoginFailuresTable {
  account_id: string;
  failed_at: string;
  /** Digest of the client a wrong password came from; null for second-factor and fresh codes. */
  client: string | null;
}

export interface RecoveryCodesTable {
  account_id: string;
  code_hash: string;
  used_at: string | null;
}

export interface TrustedProfilesTable {
  /** The application number, e.g. PZ-7K3M-9QXA. */
  id: string;
  account_id: string;
  first_names: string;
  surname: string;
  pesel: string;
  /** YYYY-MM-DD. */
  birth_date: string;
  email: string;
  phone: string;
  /** 'pending' | 'confirmed' | 'rejected' | 'revoked'; lapse and expiry follow from the dates. */
  status: string;
  applied_at: string;
  pending_until: string;
  decided_at: string | null;
  officer_id: string | null;
  point_id: string | null;
  document_type: string | null;
  rejection_reason: string | null;
  valid_until: string | null;
  extended_at: string | null;
  revoked_at: string | null;
  revocation_reason: string | null;
}

export interface FreshChallengesTable {
  id: string;
  account_id: string;
  purpose: string;
  /** 'email' | 'totp'. */
  method: string;
  /** SHA-256 of the e-mailed code; null for TOTP. */
  code_hash: string | null;
  attempts: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  subject: string | null;
  /** Canonical JSON of the event's details (personal data masked). */
  details: string;
  prev_hash: string;
  /** SHA-256 of prev_hash + canonical JSON of the entry. */
  hash: string;
  /** HMAC of seq and hash under the audit key (kept outside the database); null before migration 170. */
  mac: string | null;
}

/** The newest audit entry, MAC'd under the audit key: deleting the newest entries shows. One row, id 1. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  mac: string;
}

export interface JobsTable {
  id: string;
  kind: string;
  /** JSON given to the handler. */
  payload: string;
  /** Unique when set: a timer with this key is scheduled once. */
  dedupe_key: string | null;
  run_at: string;
  /** Times the job was claimed (a crash mid-run counts too). */
  attempts: number;
  locked_until: string | null;
  locked_by: string | null;
  finished_at: string | null;
  outcome: 'done' | 'failed' | null;
  last_error: string | null;
  created_at: string;
}

export type { WebhookEventType };

export interface WebhookEndpointsTable {
  id: string;
  office_id: string;
  url: string;
  /** JSON array of WebhookEventType. */
  events: string;
  description: string;
  /** `whsec_…` (Standard Webhooks); needed to sign, so kept readable. */
  secret: string;
  created_at: string;
  disabled_at: string | null;
}

export interface WebhookDeliveriesTable {
  /** The `webhook-id`: the same for every attempt of one message. */
  id: string;
  endpoint_id: string;
  office_id: string;
  event_type: WebhookEventType;
  /** The exact JSON body that is signed and sent. */
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  created_at: string;
  give_up_at: string;
  delivered_at: string | null;
}

export interface WebhookAttemptsTable {
  delivery_id: string;
  attempt: number;
  started_at: string;
  duration_ms: number;
  response_status: number | null;
  error: string | null;
}

export interface IdempotencyKeysTable {
  token_id: string;
  key: string;
  /** SHA-256 of method, path and body: the same key with another request is a conflict. */
  request_digest: string;
  created_at: string;
  response_status: number | null;
  response_type: string | null;
  response_body: string | null;
}

/** Requests counted per limit, client and fixed time window (shared by every node). */
export interface RateLimitCountersTable {
  key: string;
  window_start: string;
  hits: number;
  expires_at: string;
}

/** Who runs a singleton periodic task (e.g. checkpoint signing), until when. */
export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: string;
}

/** An account bound to the PESEL the national node vouched for. */
export interface NationalIdentitiesTable {
  pesel: string;
  account_id: string;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  created_at: string;
  last_login_at: string;
}

/** Artifacts and assertion ids already used, remembered until they could no longer be valid. */
export interface OneTimeIdsTable {
  id: string;
  expires_at: string;
}

/** How the person behind a session was authenticated (JSON of NationalAuthEvidence). */
export interface SessionAuthenticationsTable {
  session_id: string;
  evidence: string;
}

/** The same evidence, recorded on each document filed in that session. */
export interface DocumentAuthenticationsTable {
  document_id: string;
  evidence: string;
}

/** A running node as it described itself (see `doctor`). */
export interface NodesTable {
  node_id: string;
  node_name: string;
  hostname: string;
  pid: number;
  version: string;
  migration_level: string;
  settings: string;
  keys: string;
  started_at: string;
  seen_at: string;
}

export interface Schema {
  nodes: NodesTable;
  rate_limit_counters: RateLimitCountersTable;
  leases: LeasesTable;
  idempotency_keys: IdempotencyKeysTable;
  jobs: JobsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  letter_drafts: LetterDraftsTable;
  letter_draft_files: LetterDraftFilesTable;
  integration_tokens: IntegrationTokensTable;
  integration_systems: IntegrationSystemsTable;
  soap_seen_signatures: SoapSeenSignaturesTable;
  documents: DocumentsTable;
  deliveries: DeliveriesTable;
  delivery_files: DeliveryFilesTable;
  departments: DepartmentsTable;
  journal_counters: JournalCountersTable;
  document_notes: DocumentNotesTable;
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
  accounts: AccountsTable;
  account_roles: AccountRolesTable;
  sessions: SessionsTable;
  national_identities: NationalIdentitiesTable;
  one_time_ids: OneTimeIdsTable;
  session_authentications: SessionAuthenticationsTable;
  document_authentications: DocumentAuthenticationsTable;
  account_tokens: AccountTokensTable;
  login_failures: LoginFailuresTable;
  recovery_codes: RecoveryCodesTable;
  trusted_profiles: TrustedProfilesTable;
  fresh_challenges: FreshChallengesTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
}

export type Database = Kysely<Schema>;
export type Tx = Transaction<Schema>;
export type Dialect = 'sqlite' | 'postgres';
/**
 * SQLite only: makes everything committed so far durable — an fdatasync of the write-ahead log
 * on libuv's thread pool, so the event loop is not blocked while the disk works.
 */
export type FlushCommits = () => Promise<void>;

/** A letter from an office to a resident. */
export interface DeliveriesTable {
  id: string;
  office_id: string;
  recipient_account_id: string;
  /** Who sent it on the office's behalf (clerk's name or integration token name). */
  sender_name: string;
  title: string;
  /** The filed document this answers. */
  in_reply_to: string | null;
  /** 'awaiting' | 'received' | 'deemed'. */
  status: string;
  sent_at: string;
  received_at: string | null;
  deemed_at: string | null;
  sending_proof_id: string;
  receipt_proof_id: string | null;
  /** Sent by an EZD through SOAP: the office box the proof of receipt goes back to. */
  reply_box: string | null;
  /** The EZD's own document and case ids, echoed with the proof of receipt. */
  ezd_document_id: string | null;
  ezd_case_id: string | null;
  /** The document the proof of receipt became in the reply box. */
  reply_document_id: string | null;
}

export interface DeliveryFilesTable {
  delivery_id: string;
  position: number;
  /** 'main' | 'attachment'. */
  role: string;
  name: string;
  media_type: string;
  size: number;
  sha256: string;
}
