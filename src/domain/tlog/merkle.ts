import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 §2.1 (as in RFC 6962) with SHA-256: hashing, proof generation
 * over any source of complete-subtree hashes, and proof verification exactly as RFC 9162
 * §2.1.3.2 and §2.1.4.2 describe. Pure: the same code runs in the server, the offline verifier
 * and residents' exports.
 *
 * Sizes and indices are JavaScript numbers (exact up to 2^53); no 32-bit bitwise operators are
 * used on them.
 */

export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** A complete subtree: leaves [index·2^level, (index+1)·2^level). Level 0 is a leaf. */
export interface NodeId {
  level: number;
  index: number;
}

/** Where proofs get complete-subtree hashes from; answers in the order asked. */
export interface HashSource {
  get(ids: readonly NodeId[]): Promise<Buffer[]>;
}

/** SHA-256 of the empty string: the root of the empty tree. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

export function leafHash(entry: Buffer): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

const half = (x: number): number => Math.floor(x / 2);
const isOdd = (x: number): boolean => x % 2 === 1;
const isPowerOfTwo = (x: number): boolean => x > 0 && 2 ** Math.round(Math.log2(x)) === x;

function isCount(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0;
}

/** The largest power of two strictly smaller than n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH of RFC 9162 §2.1.1 over leaf hashes already computed. */
export function rootHash(leafHashes: readonly Buffer[]): Buffer {
  const mth = (start: number, end: number): Buffer => {
    const n = end - start;
    if (n === 0) return EMPTY_ROOT;
    if (n === 1) return leafHashes[start] as Buffer;
    const k = splitPoint(n);
    return nodeHash(mth(start, start + k), mth(start + k, end));
  };
  return mth(0, leafHashes.length);
}

/**
 * The complete subtrees that make up leaves [start, end), largest first. For every range that
 * RFC 9162's recursion produces, folding their hashes from the right gives MTH of the range.
 */
export function rangeNodes(start: number, end: number): NodeId[] {
  const nodes: NodeId[] = [];
  let at = start;
  while (at < end) {
    let level = 0;
    while (at % 2 ** (level + 1) === 0 && at + 2 ** (level + 1) <= end) level++;
    nodes.push({ level, index: at / 2 ** level });
    at += 2 ** level;
  }
  return nodes;
}

function foldRight(hashes: readonly Buffer[]): Buffer {
  let acc = hashes[hashes.length - 1] as Buffer;
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i] as Buffer, acc);
  return acc;
}

/** Fetches every node a plan needs in one request and folds each element. */
async function resolve(source: HashSource, plan: NodeId[][]): Promise<Buffer[]> {
  const ids = plan.flat();
  if (ids.length === 0) return [];
  const hashes = await source.get(ids);
  if (hashes.length !== ids.length) throw new Error('hash source answered a different number of nodes');
  let at = 0;
  return plan.map((element) => {
    const part = hashes.slice(at, at + element.length);
    at += element.length;
    return foldRight(part);
  });
}

/** Root of the tree of the first `size` leaves: O(log size) node reads. */
export async function treeRoot(source: HashSource, size: number): Promise<Buffer> {
  if (!isCount(size)) throw new RangeError(`invalid tree size ${size}`);
  if (size === 0) return EMPTY_ROOT;
  const [root] = await resolve(source, [rangeNodes(0, size)]);
  return root as Buffer;
}

/** The nodes of PATH(index, D[0:size]) of RFC 9162 §2.1.3.1, deepest first. */
export function inclusionPlan(index: number, size: number): NodeId[][] {
  if (!isCount(index) || !isCount(size) || index >= size)
    throw new RangeError(`no inclusion proof for index ${index} in size ${size}`);
  const plan: NodeId[][] = [];
  const path = (m: number, start: number, n: number): void => {
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      path(m, start, k);
      plan.push(rangeNodes(start + k, start + n));
    } else {
      path(m - k, start + k, n - k);
      plan.push(rangeNodes(start, start + k));
    }
  };
  path(index, 0, size);
  return plan;
}

/** The nodes of PROOF(from, D[0:to]) of RFC 9162 §2.1.4.1; empty when from is 0 or equals to. */
export function consistencyPlan(from: number, to: number): NodeId[][] {
  if (!isCount(from) || !isCount(to) || from > to)
    throw new RangeError(`no consistency proof from ${from} to ${to}`);
  const plan: NodeId[][] = [];
  if (from === 0 || from === to) return plan;
  const subproof = (m: number, start: number, n: number, b: boolean): void => {
    if (m === n) {
      if (!b) plan.push(rangeNodes(start, start + n));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      subproof(m, start, k, b);
      plan.push(rangeNodes(start + k, start + n));
    } else {
      subproof(m - k, start + k, n - k, false);
      plan.push(rangeNodes(start, start + k));
    }
  };
  subproof(from, 0, to, true);
  return plan;
}

export async function inclusionProof(source: HashSource, index: number, size: number): Promise<Buffer[]> {
  return resolve(source, inclusionPlan(index, size));
}

export async function consistencyProof(source: HashSource, from: number, to: number): Promise<Buffer[]> {
  return resolve(source, consistencyPlan(from, to));
}

/** The left siblings that appending leaf `index` completes subtrees with, lowest level first. */
export function appendSiblings(index: number): NodeId[] {
  const ids: NodeId[] = [];
  let at = index;
  let level = 0;
  while (isOdd(at)) {
    ids.push({ level, index: at - 1 });
    at = half(at);
    level++;
  }
  return ids;
}

/** Every complete subtree that appending leaf `index` creates: the leaf and its new ancestors. */
export function nodesCreatedByAppend(
  index: number,
  leaf: Buffer,
  siblings: readonly Buffer[],
): Array<NodeId & { hash: Buffer }> {
  const created: Array<NodeId & { hash: Buffer }> = [{ level: 0, index, hash: leaf }];
  let hash = leaf;
  let at = index;
  siblings.forEach((sibling, level) => {
    hash = nodeHash(sibling, hash);
    at = half(at);
    created.push({ level: level + 1, index: at, hash });
  });
  return created;
}

/** A hash source over leaf hashes held in memory (offline tools and tests). */
export function memoryHashSource(leafHashes: readonly Buffer[]): HashSource {
  const cache = new Map<string, Buffer>();
  const node = (level: number, index: number): Buffer => {
    const key = `${level}/${index}`;
    let hash = cache.get(key);
    if (!hash) {
      if (level === 0) {
        hash = leafHashes[index];
        if (!hash) throw new RangeError(`no leaf ${index}`);
      } else {
        hash = nodeHash(node(level - 1, index * 2), node(level - 1, index * 2 + 1));
      }
      cache.set(key, hash);
    }
    return hash;
  };
  return { get: async (ids) => ids.map((id) => node(id.level, id.index)) };
}

const isHash = (b: Buffer): boolean => b.length === HASH_SIZE;

/** RFC 9162 §2.1.3.2: is the leaf at `index` part of the tree of `size` with this root? */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Buffer,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!isCount(index) || !isCount(size) || index >= size) return false;
  if (!isHash(leaf) || !isHash(root) || !proof.every(isHash)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/**
 * RFC 9162 §2.1.4.2: is the tree of size `second` an append-only extension of the tree of size
 * `first`? As RFC 9162 §2.1.4.1 defines no proof for them, equal sizes are consistent when the
 * roots are equal and the proof empty, and the empty tree is consistent with any tree given an
 * empty proof.
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Buffer,
  secondRoot: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (!isCount(first) || !isCount(second) || first > second) return false;
  if (!isHash(firstRoot) || !isHash(secondRoot) || !proof.every(isHash)) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Buffer;
  let sr = path[0] as Buffer;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}
