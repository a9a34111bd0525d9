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
}

export interface Schema {
  offices: OfficesTable;
  boxes: BoxesTable;
  office_external_addresses: OfficeExternalAddressesTable;
  confirmation_points: ConfirmationPointsTable;
  poll_answers: PollAnswersTable;
  meta: MetaTable;
  accounts: AccountsTable;
  account_roles: AccountRolesTable;
  sessions: SessionsTable;
  account_tokens: AccountTokensTable;
  login_failures: LoginFailuresTable;
  recovery_codes: RecoveryCodesTable;
  trusted_profiles: TrustedProfilesTable;
  fresh_challenges: FreshChallengesTable;
  audit_log: AuditLogTable;
}

export type Database = Kysely<Schema>;
export type Tx = Transaction<Schema>;
export type Dialect = 'sqlite' | 'postgres';
