import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Dialect, Tx } from '../ports/database';
import type { ServiceDeps } from './deps';
import { sha256 } from './secrets';

type Details = Record<string, string | number | boolean | null>;

/**
 * Every event the audit log knows, by action. Later areas add their own members; details
 * never carry a password, a token or a full PESEL (use maskPesel).
 */
export type AuditEvent =
  | { action: 'account.registered'; actorId: string | null; subject: string }
  | { action: 'account.re-registered'; actorId: null; subject: string }
  | { action: 'account.email-verified'; actorId: string; subject: string }
  | { action: 'login.succeeded'; actorId: string; subject: string }
  | {
      action: 'login.national';
      actorId: string;
      subject: string;
      details: { levelOfAssurance: string; authority: string; assertionId: string; created: boolean };
    }
  | {
      action: 'login.failed';
      actorId: null;
      subject: string | null;
      details: { reason: 'credentials' | 'locked' | 'unknown-account' | 'second-factor' };
    }
  | { action: 'account.locked'; actorId: null; subject: string; details: { until: string; scope?: 'client' } }
  | { action: 'logout'; actorId: string; subject: string }
  | { action: 'password.reset-requested'; actorId: null; subject: string }
  | { action: 'password.reset'; actorId: string; subject: string }
  | { action: 'password.changed'; actorId: string; subject: string }
  | { action: 'second-factor.enabled'; actorId: string | null; subject: string }
  | { action: 'second-factor.disabled'; actorId: string; subject: string }
  | { action: 'second-factor.recovery-code-used'; actorId: string; subject: string }
  | {
      action: 'fresh-confirmation.succeeded';
      actorId: string;
      subject: string;
      details: { purpose: string; method: string };
    }
  | {
      action: 'fresh-confirmation.failed';
      actorId: string;
      subject: string;
      details: { purpose: string; attempts: number };
    }
  | { action: 'profile.applied'; actorId: string; subject: string; details: { pesel: string } }
  | {
      action: 'profile.confirmed';
      actorId: string;
      subject: string;
      details: { pointId: string; documentType: string; validUntil: string };
    }
  | {
      action: 'profile.rejected';
      actorId: string;
      subject: string;
      details: { pointId: string; reason: string };
    }
  | { action: 'profile.extended'; actorId: string; subject: string; details: { validUntil: string } }
  | { action: 'profile.revoked'; actorId: string; subject: string; details: { reason: string } }
  | {
      action: 'role.granted';
      actorId: string | null;
      subject: string;
      details: { role: string; officeId: string | null; department: string | null; pointId: string | null };
    }
  | {
      action: 'role.revoked';
      actorId: string | null;
      subject: string;
      details: { role: string; officeId: string | null; department: string | null; pointId: string | null };
    }
  | { action: 'point.created' | 'point.updated' | 'point.retired'; actorId: string | null; subject: string }
  | { action: 'office.created' | 'office.updated'; actorId: string; subject: string }
  | {
      action: 'document.opened' | 'document.closed';
      actorId: string;
      subject: string;
      details: { officeId: string };
    }
  | {
      action: 'document.file-downloaded';
      actorId: string;
      subject: string;
      details: { officeId: string; position: number };
    }
  | {
      action: 'document.registered';
      actorId: string;
      subject: string;
      details: { officeId: string; registrationNumber: string };
    }
  | {
      action: 'document.assigned';
      actorId: string;
      subject: string;
      details: { officeId: string; departmentId: string; assigneeId: string | null };
    }
  | {
      action: 'document.note-added';
      actorId: string;
      subject: string;
      details: { officeId: string; noteId: string };
    }
  /** A resident downloaded the export of everything of theirs (counts only). */
  | {
      action: 'account.exported';
      actorId: string;
      subject: string;
      details: { filed: number; received: number; awaiting: number; files: number };
    }
  | {
      action: 'journal.exported';
      actorId: string;
      subject: string;
      details: { from: string; to: string; rows: number };
    }
  /** Webhook configuration of an office; actorId is null when an integration token acted (its id is in details). */
  | {
      action: 'webhook.endpoint-created' | 'webhook.endpoint-disabled' | 'webhook.delivery-replayed';
      actorId: string | null;
      subject: string;
      details: { officeId: string; tokenId: string | null };
    }
  /** The office admin switched deemed delivery (the 14-day fiction) on or off for letters sent from now on. */
  | {
      action: 'office.deemed-delivery-set';
      actorId: string;
      subject: string;
      details: { deemedDelivery: boolean };
    }
  /** Integration tokens; actorId is null when the command line acted. */
  | {
      action: 'token.created' | 'token.revoked';
      actorId: string | null;
      subject: string;
      details: { officeId: string; scope: string; expiresAt: string | null };
    };

export type AuditAction = AuditEvent['action'];

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: string | null;
  action: string;
  subject: string | null;
  details: Details;
  prevHash: string;
  hash: string;
  /** HMAC under the audit key; null for entries written before the key existed. */
  mac: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level: the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The MACs that anchor the chain outside the database: an entry's, and the head's (the newest
 * entry). Different prefixes, so an entry's MAC never passes as the head's.
 */
export function auditMac(key: Buffer, kind: 'entry' | 'head', seq: number, hash: string): string {
  return createHmac('sha256', key).update(`urzad-online audit ${kind}\n${seq}\n${hash}`).digest('hex');
}

function macMatches(expected: string, actual: string | null): boolean {
  if (actual === null || actual.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(actual));
}

function requireKey(key: Buffer | undefined): Buffer {
  if (!key) throw new Error('the audit log needs its key (deps.auditKey)');
  return key;
}

export function entryHash(entry: Omit<AuditEntry, 'hash' | 'mac'>): string {
  const { prevHash, ...rest } = entry;
  return sha256(prevHash + canonicalJson(rest));
}

async function append(tx: Tx, dialect: Dialect, key: Buffer, at: string, event: AuditEvent): Promise<void> {
  // One writer at a time extends the chain (SQLite serialises transactions by itself).
  if (dialect === 'postgres') await sql`lock table audit_log in exclusive mode`.execute(tx);
  const last = await tx
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const entry: Omit<AuditEntry, 'hash' | 'mac'> = {
    seq: (last?.seq ?? 0) + 1,
    at,
    actorId: event.actorId,
    action: event.action,
    subject: event.subject,
    details: 'details' in event ? (event.details as Details) : {},
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const hash = entryHash(entry);
  await tx
    .insertInto('audit_log')
    .values({
      seq: entry.seq,
      at: entry.at,
      actor_id: entry.actorId,
      action: entry.action,
      subject: entry.subject,
      details: canonicalJson(entry.details),
      prev_hash: entry.prevHash,
      hash,
      mac: auditMac(key, 'entry', entry.seq, hash),
    })
    .execute();
  // The head moves with every entry, in the same transaction.
  const head = { seq: entry.seq, hash, mac: auditMac(key, 'head', entry.seq, hash) };
  const moved = await tx.updateTable('audit_head').set(head).where('id', '=', 1).executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 0)
    await tx
      .insertInto('audit_head')
      .values({ id: 1, ...head })
      .execute();
}

/**
 * Appends an event to the hash-chained audit log. Pass the transaction of the change being
 * recorded when there is one, so the change and its entry commit together.
 */
export async function audit(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock' | 'auditKey'>,
  event: AuditEvent,
  tx?: Tx,
): Promise<void> {
  const at = deps.clock.now().toISOString();
  const key = requireKey(deps.auditKey);
  if (tx) return append(tx, deps.dialect, key, at, event);
  await deps.db.transaction().execute((t) => append(t, deps.dialect, key, at, event));
}

function toEntry(row: {
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  subject: string | null;
  details: string;
  prev_hash: string;
  hash: string;
  mac: string | null;
}): AuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at,
    actorId: row.actor_id,
    action: row.action,
    subject: row.subject,
    details: JSON.parse(row.details) as Details,
    prevHash: row.prev_hash,
    hash: row.hash,
    mac: row.mac,
  };
}

/**
 * - `hash`: the entry's content does not match its hash; `link`: it does not link to the entry
 *   before it; `sequence`: an entry is missing before it;
 * - `mac`: the entry's MAC under the audit key does not hold (the chain was recomputed by
 *   someone without the key), or it has none after entries that have one;
 * - `head`: the newest entry is not the one the MAC'd head names (newest entries deleted, or
 *   the head rewritten); `seq` is then the head's.
 */
export type ChainCheck =
  | { ok: true; entries: number }
  | { ok: false; seq: number; reason: 'hash' | 'link' | 'sequence' | 'mac' | 'head' };

/**
 * Walks the whole chain in order and checks it against the audit key: every entry's hash,
 * link and MAC, and that the newest entry is the MAC'd head. Reports the first failure.
 */
export async function verifyAuditChain(deps: Pick<ServiceDeps, 'db' | 'auditKey'>): Promise<ChainCheck> {
  const key = requireKey(deps.auditKey);
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let after = 0;
  for (;;) {
    const rows = await deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(1000)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const entry = toEntry(row);
      if (entry.seq !== expectedSeq) return { ok: false, seq: entry.seq, reason: 'sequence' };
      if (entry.prevHash !== prev) return { ok: false, seq: entry.seq, reason: 'link' };
      const { hash, mac, ...rest } = entry;
      if (entryHash(rest) !== hash) return { ok: false, seq: entry.seq, reason: 'hash' };
      if (!macMatches(auditMac(key, 'entry', entry.seq, hash), mac))
        return { ok: false, seq: entry.seq, reason: 'mac' };
      prev = hash;
      expectedSeq += 1;
      after = entry.seq;
    }
  }
  const entries = expectedSeq - 1;
  const head = await deps.db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirst();
  if (!head) return entries === 0 ? { ok: true, entries } : { ok: false, seq: entries, reason: 'head' };
  const headSeq = Number(head.seq);
  if (
    !macMatches(auditMac(key, 'head', headSeq, head.hash), head.mac) ||
    headSeq !== entries ||
    head.hash !== prev
  )
    return { ok: false, seq: headSeq, reason: 'head' };
  return { ok: true, entries };
}

/**
 * Entries written before the audit key existed (migration 170) get their MACs, and the head
 * is written, once, at start: only if their chain holds, so a chain already broken stays
 * broken. From then on every entry must carry a MAC (docs/security.md, row 6).
 */
export async function keyEarlierAuditEntries(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'auditKey'>,
): Promise<number> {
  const key = requireKey(deps.auditKey);
  const waiting = await deps.db
    .selectFrom('audit_log')
    .select('seq')
    .where('mac', 'is', null)
    .limit(1)
    .executeTakeFirst();
  if (!waiting) return 0;
  return deps.db.transaction().execute(async (tx) => {
    if (deps.dialect === 'postgres') await sql`lock table audit_log in exclusive mode`.execute(tx);
    const rows = await tx.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    let prev = GENESIS_HASH;
    let keyed = 0;
    for (const [i, row] of rows.entries()) {
      const entry = toEntry(row);
      const { hash, mac, ...rest } = entry;
      if (entry.seq !== i + 1 || entry.prevHash !== prev || entryHash(rest) !== hash) return keyed;
      prev = hash;
      if (mac !== null) continue;
      await tx
        .updateTable('audit_log')
        .set({ mac: auditMac(key, 'entry', entry.seq, hash) })
        .where('seq', '=', entry.seq)
        .execute();
      keyed += 1;
    }
    const last = rows.at(-1);
    const head = await tx.selectFrom('audit_head').select('id').where('id', '=', 1).executeTakeFirst();
    if (last && !head)
      await tx
        .insertInto('audit_head')
        .values({
          id: 1,
          seq: Number(last.seq),
          hash: last.hash,
          mac: auditMac(key, 'head', Number(last.seq), last.hash),
        })
        .execute();
    return keyed;
  });
}

export interface AuditPage {
  entries: (AuditEntry & { actorEmail: string | null })[];
  /** seq to pass as `before` for the next (older) page, if any. */
  nextBefore: number | undefined;
}

/** Newest first, 50 to a page, optionally filtered by action prefix. */
export async function listAudit(
  deps: Pick<ServiceDeps, 'db'>,
  options: { before?: number; action?: string } = {},
): Promise<AuditPage> {
  let query = deps.db
    .selectFrom('audit_log')
    .leftJoin('accounts', 'accounts.id', 'audit_log.actor_id')
    .selectAll('audit_log')
    .select('accounts.email as actor_email')
    .orderBy('audit_log.seq', 'desc')
    .limit(51);
  if (options.before) query = query.where('audit_log.seq', '<', options.before);
  if (options.action)
    query = query.where('audit_log.action', 'like', `${options.action.replace(/[%_\\]/g, '')}%`);
  const rows = await query.execute();
  const page = rows.slice(0, 50);
  return {
    entries: page.map((r) => ({ ...toEntry(r), actorEmail: r.actor_email })),
    nextBefore: rows.length > 50 ? page[page.length - 1]!.seq : undefined,
  };
}
