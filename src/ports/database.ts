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
