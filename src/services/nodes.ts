import { createHash, X509Certificate } from 'node:crypto';
import { LANGS, translate } from '../i18n/index';
import type { Database } from '../ports/database';
import type { Seal, Seals } from '../ports/seals';
import type { ServiceDeps } from './deps';

/** How a node describes itself to the others (and to `doctor`). */
export interface NodeDescription {
  nodeName: string;
  hostname: string;
  pid: number;
  version: string;
  migrationLevel: string;
  /** Setting name → value; secrets only as a digest, so that equal can be told from different. */
  settings: Record<string, string>;
  /** Key name → fingerprint (SHA-256 of the certificate or public key). */
  keys: Record<string, string>;
}

export interface RegisteredNode extends NodeDescription {
  nodeId: string;
  startedAt: string;
  seenAt: string;
}

/** A node that has not said it is alive for this long is not counted as running. */
export const NODE_STALE_MS = 60_000;

export const fingerprint = (der: Buffer | string): string => createHash('sha256').update(der).digest('hex');

export const sealFingerprint = (seal: Seal): string => fingerprint(seal.certificateDer);

/** Certificate fingerprint of a PEM certificate. */
export const certificateFingerprint = (pem: string): string => fingerprint(new X509Certificate(pem).raw);

const PLATFORM_SEAL_META = 'seal:platform';
const officeSealMeta = (officeId: string) => `seal:office:${officeId}`;

/** Which key differs, and what to do about it, as the message catalogue names them. */
export type KeyMismatchName =
  | { key: 'error.keyMismatch.platformSeal' }
  | { key: 'error.keyMismatch.officeSeal'; officeId: string }
  | { key: 'error.keyMismatch.logKey' };

/** Raised when this node's key is not the one the installation recorded; the message in Polish and English. */
export class KeyMismatchError extends Error {
  constructor(
    readonly keyName: KeyMismatchName,
    mine: string,
    recorded: string,
    hint: 'error.keyMismatch.seals' | 'error.keyMismatch.log',
  ) {
    super(
      LANGS.map((lang) => {
        const { key, ...params } = keyName;
        return translate(lang, 'error.keyMismatch', {
          keyName: translate(lang, key, params),
          mine,
          recorded,
          hint: translate(lang, hint),
        });
      }).join(' / '),
    );
    this.name = 'KeyMismatchError';
  }
}

/** Records `value` under `key` unless something is there; returns what is recorded. */
async function recordOnce(db: Database, key: string, value: string): Promise<string> {
  await db
    .insertInto('meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}

/** A recorded fingerprint is re-read this often: a rotation reaches every node within it. */
const RECHECK_MS = 5_000;

/**
 * Seals whose fingerprints the database keeps: the first node to use a seal records it, and a
 * node holding another one for the same name reloads its seals (a rotation: `seals rotate`
 * recorded the new one) and, if it still differs, refuses to seal with it, naming the seal.
 *
 * Only a seal's first use waits for that check. Later checks (every RECHECK_MS) run beside the
 * callers, who go on with the seal checked last: a receipt is sealed inside the transaction
 * that holds the transparency log's lock, and a check waiting there for a second pooled
 * connection stalled the node whenever its other connections were waiting for that lock.
 */
export function sharedSeals(inner: Seals, db: Database, now: () => number = Date.now): Seals {
  const checkedAt = new Map<string, number>();
  const refused = new Map<string, KeyMismatchError>();
  const underWay = new Map<string, Promise<void>>();
  const check = async (
    metaKey: string,
    keyName: KeyMismatchName,
    load: () => Promise<Seal>,
  ): Promise<void> => {
    let seal = await load();
    let recorded = await recordOnce(db, metaKey, sealFingerprint(seal));
    if (recorded !== sealFingerprint(seal)) {
      inner.reload();
      seal = await load();
      recorded = await recordOnce(db, metaKey, sealFingerprint(seal));
      if (recorded !== sealFingerprint(seal)) {
        refused.set(
          metaKey,
          new KeyMismatchError(
            keyName,
            `SHA-256 ${sealFingerprint(seal).slice(0, 16)}…`,
            `SHA-256 ${recorded.slice(0, 16)}…`,
            'error.keyMismatch.seals',
          ),
        );
        checkedAt.set(metaKey, now());
        return;
      }
    }
    refused.delete(metaKey);
    checkedAt.set(metaKey, now());
  };
  const checkOnce = (metaKey: string, keyName: KeyMismatchName, load: () => Promise<Seal>): Promise<void> => {
    let running = underWay.get(metaKey);
    if (!running) {
      running = check(metaKey, keyName, load).finally(() => underWay.delete(metaKey));
      underWay.set(metaKey, running);
    }
    return running;
  };
  const checked = async (
    metaKey: string,
    keyName: KeyMismatchName,
    load: () => Promise<Seal>,
  ): Promise<Seal> => {
    const last = checkedAt.get(metaKey);
    if (last === undefined) await checkOnce(metaKey, keyName, load);
    // A failed check (the database away for a moment) is tried again at the next use.
    else if (now() - last >= RECHECK_MS) void checkOnce(metaKey, keyName, load).catch(() => undefined);
    const refusal = refused.get(metaKey);
    if (refusal) throw refusal;
    return load();
  };
  return {
    forOffice: (officeId, officeName) =>
      checked(officeSealMeta(officeId), { key: 'error.keyMismatch.officeSeal', officeId }, () =>
        inner.forOffice(officeId, officeName),
      ),
    platform: () =>
      checked(PLATFORM_SEAL_META, { key: 'error.keyMismatch.platformSeal' }, () => inner.platform()),
    trustedCaPems: () => inner.trustedCaPems(),
    reload() {
      checkedAt.clear();
      inner.reload();
    },
  };
}

/**
 * `seals rotate`: records the seal now on disk (after the operator replaced its files, or
 * after a new one was generated) as the installation's; every node picks it up within seconds.
 * Returns the old and new fingerprints.
 */
export async function recordRotatedSeal(
  deps: Pick<ServiceDeps, 'db'>,
  seals: Seals,
  target: { officeId: string; officeName: string } | 'platform',
): Promise<{ before: string | undefined; after: string }> {
  seals.reload();
  const seal =
    target === 'platform'
      ? await seals.platform()
      : await seals.forOffice(target.officeId, target.officeName);
  const key = target === 'platform' ? PLATFORM_SEAL_META : officeSealMeta(target.officeId);
  const before = await deps.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  const after = sealFingerprint(seal);
  await deps.db
    .insertInto('meta')
    .values({ key, value: after })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: after }))
    .execute();
  return { before: before?.value, after };
}

export async function registerNode(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  nodeId: string,
  description: NodeDescription,
): Promise<void> {
  const now = deps.clock.now().toISOString();
  const row = {
    node_name: description.nodeName,
    hostname: description.hostname,
    pid: description.pid,
    version: description.version,
    migration_level: description.migrationLevel,
    settings: JSON.stringify(description.settings),
    keys: JSON.stringify(description.keys),
    seen_at: now,
  };
  await deps.db
    .insertInto('nodes')
    .values({ node_id: nodeId, started_at: now, ...row })
    .onConflict((oc) => oc.column('node_id').doUpdateSet(row))
    .execute();
  // Nodes gone for a day are forgotten.
  const dayAgo = new Date(deps.clock.now().getTime() - 24 * 3600_000).toISOString();
  await deps.db.deleteFrom('nodes').where('seen_at', '<', dayAgo).execute();
}

export async function touchNode(deps: Pick<ServiceDeps, 'db' | 'clock'>, nodeId: string): Promise<void> {
  await deps.db
    .updateTable('nodes')
    .set({ seen_at: deps.clock.now().toISOString() })
    .where('node_id', '=', nodeId)
    .execute();
}

export async function unregisterNode(deps: Pick<ServiceDeps, 'db'>, nodeId: string): Promise<void> {
  await deps.db.deleteFrom('nodes').where('node_id', '=', nodeId).execute();
}

/** Nodes that said they were alive within NODE_STALE_MS. */
export async function runningNodes(deps: Pick<ServiceDeps, 'db' | 'clock'>): Promise<RegisteredNode[]> {
  const since = new Date(deps.clock.now().getTime() - NODE_STALE_MS).toISOString();
  const rows = await deps.db
    .selectFrom('nodes')
    .selectAll()
    .where('seen_at', '>=', since)
    .orderBy('started_at')
    .execute();
  return rows.map((r) => ({
    nodeId: r.node_id,
    nodeName: r.node_name,
    hostname: r.hostname,
    pid: r.pid,
    version: r.version,
    migrationLevel: r.migration_level,
    settings: JSON.parse(r.settings) as Record<string, string>,
    keys: JSON.parse(r.keys) as Record<string, string>,
    startedAt: r.started_at,
    seenAt: r.seen_at,
  }));
}

export interface NodeDifference {
  /** "version", "migration level", "setting PULL_LEASE_SECONDS", "key platform seal"… */
  what: string;
  /** Node label → its value ("(none)" when the node does not have it). */
  values: Record<string, string>;
}

/** What the running nodes do not agree on; empty when they all agree. */
export function compareNodes(nodes: RegisteredNode[]): NodeDifference[] {
  const label = (n: RegisteredNode) => `${n.nodeName} (${n.hostname}, pid ${n.pid})`;
  const differences: NodeDifference[] = [];
  const compare = (what: string, valueOf: (n: RegisteredNode) => string | undefined) => {
    const values: Record<string, string> = {};
    for (const node of nodes) values[label(node)] = valueOf(node) ?? '(none)';
    if (new Set(Object.values(values)).size > 1) differences.push({ what, values });
  };
  compare('version', (n) => n.version);
  compare('migration level', (n) => n.migrationLevel);
  const names = (pick: (n: RegisteredNode) => Record<string, string>) =>
    [...new Set(nodes.flatMap((n) => Object.keys(pick(n))))].sort();
  for (const name of names((n) => n.settings)) compare(`setting ${name}`, (n) => n.settings[name]);
  for (const name of names((n) => n.keys)) compare(`key ${name}`, (n) => n.keys[name]);
  return differences;
}
