import { sql } from 'kysely';
import { AppError, type FieldError } from '../domain/errors';
import {
  appendSiblings,
  consistencyProof as buildConsistencyProof,
  formatCheckpoint,
  HASH_SIZE,
  inclusionProof as buildInclusionProof,
  leafHash,
  nodesCreatedByAppend,
  rangeNodes,
  signNote,
  treeRoot,
  verifierKeyString,
  TILE_HEIGHT,
  type HashSource,
  type TileRef,
  type NodeId,
} from '../domain/tlog/index';
import type { Database, Dialect, Tx } from '../ports/database';
import { compiledOnce, compiledRows } from './compiled-once';
import { insertRows } from './deferred-inserts';
import type { ServiceDeps } from './deps';
import { KeyMismatchError } from './nodes';

/**
 * The public transparency log of every receipt and proof the installation issues. Appends
 * happen inside the issuing transaction; checkpoints are signed by a timer; proofs read
 * O(log n) stored subtree hashes. See docs/transparency-log.md.
 */

/** pg_advisory_xact_lock key that serialises appends across processes ("tlog" in ASCII). */
const APPEND_LOCK = 0x746c6f67;

/** Transactions that hold the log's append lock (PostgreSQL). */
const lockHolders = new WeakSet<Tx>();

/**
 * Takes the log's append lock for the rest of the transaction (re-entrant: a batch of receipts
 * takes it once before its first append, see group-commit.ts).
 */
export async function lockLogForAppend(tx: Tx, dialect: Dialect): Promise<void> {
  // On SQLite the write transaction holds the only connection, which already serialises.
  // A transaction that holds the lock keeps it to its end (savepoints do not release it), so it
  // is not asked for again: that would be one more round trip while every other node waits.
  if (dialect !== 'postgres' || lockHolders.has(tx)) return;
  await sql`select pg_advisory_xact_lock(${sql.lit(APPEND_LOCK)})`.execute(tx);
  lockHolders.add(tx);
}

/**
 * Where a transaction that holds the log's lock appends next: the next index, the index
 * reserved and not yet recorded, and the subtree hashes of the log's right edge (read with its
 * end) and of what this transaction appended. A batch of receipts (group-commit.ts) thus reads
 * the log's end once and then appends each receipt with two INSERTs, the index and the
 * siblings known in memory. Valid only while the lock is held, i.e. for the transaction's
 * life; a savepoint rolled back forgets it (`forgetLogCursor`), as the rows it knew of are gone.
 */
interface LogCursor {
  next: number;
  reserved: { index: number; createdAt: string } | undefined;
  nodes: Map<string, Buffer>;
}

const cursors = new WeakMap<Tx, LogCursor>();

const nodeKey = (id: NodeId): string => `${id.level}/${id.index}`;

const lastLeaf = compiledOnce((db) =>
  db.selectFrom('tlog_leaves').select(['leaf_index', 'entry_hash']).orderBy('leaf_index', 'desc').limit(1),
);

const insertLeaves = compiledRows(
  (db, rows: { leaf_index: number; entry_hash: string; created_at: string }[]) =>
    db
      .insertInto('tlog_leaves')
      .values(
        rows.map((r) => ({ leaf_index: r.leaf_index, entry_hash: r.entry_hash, created_at: r.created_at })),
      ),
);

const insertNodes = compiledRows((db, rows: { level: number; node_index: number; hash: string }[]) =>
  db
    .insertInto('tlog_nodes')
    .values(rows.map((r) => ({ level: r.level, node_index: r.node_index, hash: r.hash }))),
);

/**
 * PostgreSQL: the log's end with the hashes of its right edge — the complete subtree of each
 * one bit of the size, which are the siblings any append in this transaction will need that it
 * does not make itself — in one round trip under the log's lock instead of two or more. For
 * logs of up to 2^48 entries.
 */
const logEndWithSiblings = compiledOnce(
  () => sql<{
    leaf_index: number;
    entry_hash: string | null;
    level: number | null;
    node_index: number | null;
    hash: string | null;
  }>`select l.leaf_index, l.entry_hash, n.level, n.node_index, n.hash
    from (select leaf_index, entry_hash from tlog_leaves order by leaf_index desc limit 1) l
    left join lateral (
      select t.level, t.node_index, t.hash
      from generate_series(0, 47) as s(level)
      join tlog_nodes t on t.level = s.level and t.node_index = ((l.leaf_index::bigint + 1) >> s.level) - 1
      where ((l.leaf_index::bigint + 1) >> s.level) & 1 = 1
    ) n on true`,
);

async function cursorOf(tx: Tx, dialect: Dialect): Promise<LogCursor> {
  let cursor = cursors.get(tx);
  if (cursor) return cursor;
  // On SQLite the transaction began IMMEDIATE (src/adapters/database.ts), holding the file's
  // write lock already: no other process can outdate what is read here.
  await lockLogForAppend(tx, dialect);
  const nodes = new Map<string, Buffer>();
  let last: { leaf_index: number; entry_hash: string | null } | undefined;
  if (dialect === 'postgres') {
    const { rows } = await logEndWithSiblings(tx, dialect, {});
    last = rows[0];
    for (const row of rows)
      if (row.level !== null)
        nodes.set(
          nodeKey({ level: row.level, index: Number(row.node_index) }),
          Buffer.from(row.hash!, 'hex'),
        );
  } else {
    [last] = (await lastLeaf(tx, dialect, {})).rows;
    const edge = rangeNodes(0, last ? last.leaf_index + 1 : 0);
    (await nodeHashes(tx, edge)).forEach((hash, i) => nodes.set(nodeKey(edge[i]!), hash));
  }
  // Left by an older version that reserved a row before recording it.
  if (last && last.entry_hash === null)
    throw new Error(`transparency log index ${last.leaf_index} was reserved but never recorded`);
  cursor = { next: last ? last.leaf_index + 1 : 0, reserved: undefined, nodes };
  cursors.set(tx, cursor);
  return cursor;
}

/**
 * Forgets what this transaction knew of the log's end: after a rollback to a savepoint the
 * appends made since are undone, so the next append reads the end again.
 */
export function forgetLogCursor(tx: Tx): void {
  cursors.delete(tx);
  // A lock first taken inside the savepoint was released with it; asking again is harmless.
  lockHolders.delete(tx);
}

/**
 * Reserves the next log index inside the caller's transaction, so that the receipt can carry
 * its own index before it is signed. The caller must call `recordLogEntry` with the hash of
 * the signed receipt in the same transaction; the lock is held until it commits.
 */
export async function reserveLogIndex(tx: Tx, dialect: Dialect, now: Date): Promise<{ index: number }> {
  const cursor = await cursorOf(tx, dialect);
  if (cursor.reserved)
    throw new Error(`transparency log index ${cursor.reserved.index} was reserved but never recorded`);
  cursor.reserved = { index: cursor.next, createdAt: now.toISOString() };
  return { index: cursor.next };
}

/** Records the entry (SHA-256 of the signed receipt) at an index reserved in this transaction. */
export async function recordLogEntry(
  tx: Tx,
  dialect: Dialect,
  index: number,
  entryHash: Buffer,
): Promise<void> {
  if (entryHash.length !== HASH_SIZE) throw new Error('a log entry is a 32-byte SHA-256 hash');
  const cursor = cursors.get(tx);
  const reserved = cursor?.reserved;
  if (!cursor || !reserved || reserved.index !== index)
    throw new Error(`transparency log index ${index} is not reserved`);
  const ids = appendSiblings(index);
  const missing = ids.filter((id) => !cursor.nodes.has(nodeKey(id)));
  // The cursor came with the log's right edge and keeps what this transaction made: a sibling
  // missing here is missing from the database.
  if (missing.length > 0)
    throw new Error(`transparency log node ${missing[0]!.level}/${missing[0]!.index} is missing`);
  const siblings = ids.map((id) => cursor.nodes.get(nodeKey(id))!);
  const created = nodesCreatedByAppend(index, leafHash(entryHash), siblings);
  // Written at the batch's end when the transaction is a batch of receipts (deferred-inserts.ts).
  await insertRows(tx, dialect, insertLeaves, [
    { leaf_index: index, entry_hash: entryHash.toString('hex'), created_at: reserved.createdAt },
  ]);
  await insertRows(
    tx,
    dialect,
    insertNodes,
    created.map((n) => ({ level: n.level, node_index: n.index, hash: n.hash.toString('hex') })),
  );
  // Only what later appends may need: the siblings used are now inside the new subtrees.
  for (const id of ids) cursor.nodes.delete(nodeKey(id));
  for (const n of created) cursor.nodes.set(nodeKey(n), n.hash);
  cursor.next = index + 1;
  cursor.reserved = undefined;
}

/** Appends an entry whose hash is already known: reserve and record in one step. */
export async function appendToLog(
  tx: Tx,
  dialect: Dialect,
  entryHash: Buffer,
  now: Date,
): Promise<{ index: number }> {
  if (entryHash.length !== HASH_SIZE) throw new Error('a log entry is a 32-byte SHA-256 hash');
  const { index } = await reserveLogIndex(tx, dialect, now);
  await recordLogEntry(tx, dialect, index, entryHash);
  return { index };
}

async function nodeHashes(db: Database | Tx, ids: readonly NodeId[]): Promise<Buffer[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('tlog_nodes')
    .select(['level', 'node_index', 'hash'])
    .where((eb) =>
      eb.or(ids.map((id) => eb.and([eb('level', '=', id.level), eb('node_index', '=', id.index)]))),
    )
    .execute();
  const found = new Map(rows.map((r) => [`${r.level}/${r.node_index}`, r.hash]));
  return ids.map((id) => {
    const hash = found.get(`${id.level}/${id.index}`);
    if (!hash) throw new Error(`transparency log node ${id.level}/${id.index} is missing`);
    return Buffer.from(hash, 'hex');
  });
}

/** The stored complete-subtree hashes as a source for roots and proofs. */
export function storedHashSource(db: Database | Tx): HashSource {
  return { get: (ids) => nodeHashes(db, ids) };
}

/** Number of entries committed to the log. */
export async function logTreeSize(deps: Pick<ServiceDeps, 'db'>): Promise<number> {
  const last = await deps.db
    .selectFrom('tlog_leaves')
    .select('leaf_index')
    .orderBy('leaf_index', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last ? last.leaf_index + 1 : 0;
}

/** The entry (SHA-256 of a signed receipt) at an index, if the log has it. */
export async function logEntry(deps: Pick<ServiceDeps, 'db'>, index: number): Promise<Buffer | undefined> {
  const row = await deps.db
    .selectFrom('tlog_leaves')
    .select('entry_hash')
    .where('leaf_index', '=', index)
    .executeTakeFirst();
  return row?.entry_hash ? Buffer.from(row.entry_hash, 'hex') : undefined;
}

export async function logRoot(deps: Pick<ServiceDeps, 'db'>, size: number): Promise<Buffer> {
  return treeRoot(storedHashSource(deps.db), size);
}

/** The newest signed checkpoint (a C2SP signed note), if one has been signed. */
export async function latestCheckpoint(deps: Pick<ServiceDeps, 'db'>): Promise<string | undefined> {
  const row = await deps.db
    .selectFrom('tlog_checkpoints')
    .select('note')
    .orderBy('tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.note;
}

function requireSigner(deps: Pick<ServiceDeps, 'logSigner'>) {
  if (!deps.logSigner) throw new Error('the transparency log has no signing key in this process');
  return deps.logSigner;
}

/**
 * Signs a checkpoint of the current tree when the log has grown since the last one (or when
 * there is none yet). Several processes may race: the first checkpoint of a size wins.
 */
export async function signCheckpointIfGrown(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'logSigner'>,
): Promise<{ signed: boolean; size: number }> {
  const signer = requireSigner(deps);
  const size = await logTreeSize(deps);
  const latest = await deps.db
    .selectFrom('tlog_checkpoints')
    .select('tree_size')
    .orderBy('tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (latest && latest.tree_size >= size) return { signed: false, size: latest.tree_size };
  const rootHash = await logRoot(deps, size);
  const note = signNote(formatCheckpoint({ origin: signer.name, size, rootHash }), [signer]);
  const inserted = await deps.db
    .insertInto('tlog_checkpoints')
    .values({
      tree_size: size,
      root_hash: rootHash.toString('hex'),
      note,
      created_at: deps.clock.now().toISOString(),
    })
    .onConflict((oc) => oc.column('tree_size').doNothing())
    .executeTakeFirst();
  return { signed: Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0, size };
}

const LOG_KEY_META = 'tlog-verifier-key';

/**
 * Records the log's key in the database on first start and refuses a process whose key is
 * another: every node of an installation must sign checkpoints with the same key (monitors
 * would reject the others). Key rotation is not supported.
 */
export async function checkLogKeyIsShared(deps: Pick<ServiceDeps, 'db' | 'logSigner'>): Promise<void> {
  const key = logVerifierKey(deps);
  await deps.db
    .insertInto('meta')
    .values({ key: LOG_KEY_META, value: key })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const recorded = await deps.db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', LOG_KEY_META)
    .executeTakeFirstOrThrow();
  if (recorded.value !== key) {
    throw new KeyMismatchError(
      { key: 'error.keyMismatch.logKey' },
      key,
      recorded.value,
      'error.keyMismatch.log',
    );
  }
}

/** The log's public key as a C2SP signed-note verifier key. */
export function logVerifierKey(deps: Pick<ServiceDeps, 'logSigner'>): string {
  return verifierKeyString(requireSigner(deps));
}

const proofError = (fieldErrors: FieldError[]): AppError =>
  new AppError({ code: 'bad_proof_request', status: 400, key: 'tlog.error.proofRequest', fieldErrors });

/** RFC 9162 inclusion proof of the entry at `index` in the tree of `size` entries. */
export async function inclusionProof(
  deps: Pick<ServiceDeps, 'db'>,
  index: number,
  size: number,
): Promise<{ index: number; size: number; hashes: Buffer[] }> {
  const treeSize = await logTreeSize(deps);
  if (size > treeSize)
    throw proofError([
      { field: 'size', key: 'tlog.error.beyondLog', params: { field: 'size', value: size, treeSize } },
    ]);
  if (index >= size)
    throw proofError([{ field: 'index', key: 'tlog.error.indexNotBelowSize', params: { index, size } }]);
  return { index, size, hashes: await buildInclusionProof(storedHashSource(deps.db), index, size) };
}

/** RFC 9162 consistency proof between the trees of `from` and `to` entries. */
export async function consistencyProof(
  deps: Pick<ServiceDeps, 'db'>,
  from: number,
  to: number,
): Promise<{ from: number; to: number; hashes: Buffer[] }> {
  const treeSize = await logTreeSize(deps);
  if (to > treeSize)
    throw proofError([
      { field: 'to', key: 'tlog.error.beyondLog', params: { field: 'to', value: to, treeSize } },
    ]);
  if (from > to) throw proofError([{ field: 'from', key: 'tlog.error.fromAboveTo', params: { from, to } }]);
  return { from, to, hashes: await buildConsistencyProof(storedHashSource(deps.db), from, to) };
}

/**
 * A C2SP tlog-tiles resource: the hashes of tree level 8·L (or, for an entry bundle, the
 * entries with a 2-byte length prefix) from index N·256 on, `width` of them; undefined when
 * the log does not have them all yet.
 */
export async function logTile(deps: Pick<ServiceDeps, 'db'>, tile: TileRef): Promise<Buffer | undefined> {
  const first = tile.index * 256;
  if (!Number.isSafeInteger(first + tile.width)) return undefined;
  if (tile.level === 'entries') {
    const rows = await deps.db
      .selectFrom('tlog_leaves')
      .select('entry_hash')
      .where('leaf_index', '>=', first)
      .where('leaf_index', '<', first + tile.width)
      .where('entry_hash', 'is not', null)
      .orderBy('leaf_index')
      .execute();
    if (rows.length !== tile.width) return undefined;
    return Buffer.concat(
      rows.map((r) => Buffer.concat([Buffer.from([0, HASH_SIZE]), Buffer.from(r.entry_hash!, 'hex')])),
    );
  }
  const rows = await deps.db
    .selectFrom('tlog_nodes')
    .select('hash')
    .where('level', '=', tile.level * TILE_HEIGHT)
    .where('node_index', '>=', first)
    .where('node_index', '<', first + tile.width)
    .orderBy('node_index')
    .execute();
  if (rows.length !== tile.width) return undefined;
  return Buffer.concat(rows.map((r) => Buffer.from(r.hash, 'hex')));
}
