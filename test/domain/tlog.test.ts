import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  EMPTY_ROOT,
  consistencyProof,
  ed25519PrivateKeyFromSeed,
  ed25519Signer,
  formatCheckpoint,
  inclusionProof,
  leafHash,
  memoryHashSource,
  nodeHash,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  rootHash,
  signNote,
  treeRoot,
  verifierKeyString,
  verifyConsistency,
  verifyInclusion,
  appendSiblings,
  nodesCreatedByAppend,
  formatTileIndex,
  formatTilePath,
  parseTilePath,
  inclusionPlan,
} from '../../src/domain/tlog/index';

const hex = (h: string): Buffer => Buffer.from(h, 'hex');

/*
 * RFC 6962 test vectors published with Trillian (google/trillian, merkle/testonly/constants.go)
 * and transparency-dev/merkle (proof/verify_test.go), the successors of the
 * certificate-transparency-go Merkle tests.
 */
const LEAF_INPUTS = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(hex);
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(hex);
const LEAF_HASHES_LEVEL0 = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
  '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
  '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
  'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
  'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
  '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
].map(hex);
// Vectors as published: leaf numbers there are 1-based, here converted to 0-based indices.
const INCLUSION_VECTORS: Array<{ index: number; size: number; proof: string[] }> = [
  { index: 0, size: 1, proof: [] },
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];
const CONSISTENCY_VECTORS: Array<{ from: number; to: number; proof: string[] }> = [
  { from: 1, to: 1, proof: [] },
  {
    from: 1,
    to: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    from: 6,
    to: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    from: 2,
    to: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    from: 6,
    to: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

const LEAVES = LEAF_INPUTS.map(leafHash);
const SOURCE = memoryHashSource(LEAVES);

function flipBit(buffers: readonly Buffer[], which: number, bit: number): Buffer[] {
  return buffers.map((b, i) => {
    if (i !== which) return b;
    const copy = Buffer.from(b);
    copy[Math.floor(bit / 8)]! ^= 1 << (bit % 8);
    return copy;
  });
}

describe('Merkle tree (RFC 9162) against the published RFC 6962 vectors', () => {
  test('leaf hashes and roots for every size 0..8', async () => {
    assert.deepEqual(LEAVES, LEAF_HASHES_LEVEL0);
    for (let size = 0; size <= 8; size++) {
      assert.equal(
        rootHash(LEAVES.slice(0, size)).toString('hex'),
        ROOTS[size]!.toString('hex'),
        `MTH of ${size} leaves`,
      );
      assert.equal(
        (await treeRoot(SOURCE, size)).toString('hex'),
        ROOTS[size]!.toString('hex'),
        `root of ${size} from subtrees`,
      );
    }
    assert.deepEqual(EMPTY_ROOT, ROOTS[0]);
  });

  test('inclusion proofs are generated as published and verify; corruptions do not', async () => {
    for (const v of INCLUSION_VECTORS) {
      const proof = await inclusionProof(SOURCE, v.index, v.size);
      assert.deepEqual(
        proof.map((p) => p.toString('hex')),
        v.proof,
        `proof ${v.index} in ${v.size}`,
      );
      const root = ROOTS[v.size]!;
      const leaf = LEAVES[v.index]!;
      assert.ok(verifyInclusion(v.index, v.size, leaf, proof, root));
      // The probes of transparency-dev/merkle's corruptInclusionProof.
      assert.ok(!verifyInclusion(v.index - 1, v.size, leaf, proof, root), 'index - 1');
      assert.ok(!verifyInclusion(v.index + 1, v.size, leaf, proof, root), 'index + 1');
      assert.ok(!verifyInclusion(v.index ^ 2, v.size, leaf, proof, root), 'index ^ 2');
      assert.ok(!verifyInclusion(v.index, v.size * 2, leaf, proof, root), 'size * 2');
      assert.ok(!verifyInclusion(v.index, Math.floor(v.size / 2), leaf, proof, root), 'size / 2');
      assert.ok(
        !verifyInclusion(v.index, v.size, leafHash(Buffer.from('WrongLeaf')), proof, root),
        'wrong leaf',
      );
      assert.ok(!verifyInclusion(v.index, v.size, leaf, proof, EMPTY_ROOT), 'empty root');
      assert.ok(!verifyInclusion(v.index, v.size, leaf, [...proof, root], root), 'trailing root');
      assert.ok(!verifyInclusion(v.index, v.size, leaf, [root, ...proof], root), 'preceding root');
      assert.ok(
        !verifyInclusion(v.index, v.size, leaf, [...proof, Buffer.alloc(0)], root),
        'trailing garbage',
      );
      for (let i = 0; i < proof.length; i++)
        assert.ok(
          !verifyInclusion(v.index, v.size, leaf, flipBit(proof, i, 3), root),
          `bit flipped in proof[${i}]`,
        );
      if (proof.length > 0)
        assert.ok(!verifyInclusion(v.index, v.size, leaf, proof.slice(0, -1), root), 'removed component');
    }
  });

  test('consistency proofs are generated as published and verify; corruptions do not', async () => {
    for (const v of CONSISTENCY_VECTORS) {
      const proof = await consistencyProof(SOURCE, v.from, v.to);
      assert.deepEqual(
        proof.map((p) => p.toString('hex')),
        v.proof,
        `proof ${v.from} → ${v.to}`,
      );
      const r1 = ROOTS[v.from]!;
      const r2 = ROOTS[v.to]!;
      assert.ok(verifyConsistency(v.from, v.to, r1, r2, proof));
      if (proof.length === 0) continue;
      assert.ok(!verifyConsistency(v.from - 1, v.to, r1, r2, proof), 'from - 1');
      assert.ok(!verifyConsistency(v.from + 1, v.to, r1, r2, proof), 'from + 1');
      assert.ok(!verifyConsistency(v.from ^ 2, v.to, r1, r2, proof), 'from ^ 2');
      assert.ok(!verifyConsistency(v.from, v.to * 2, r1, r2, proof), 'to * 2');
      assert.ok(!verifyConsistency(v.from, Math.floor(v.to / 2), r1, r2, proof), 'to / 2');
      assert.ok(!verifyConsistency(v.from, v.to, r2, r1, proof), 'swapped roots');
      assert.ok(!verifyConsistency(v.from, v.to, EMPTY_ROOT, r2, proof), 'wrong first root');
      assert.ok(!verifyConsistency(v.from, v.to, r1, EMPTY_ROOT, proof), 'wrong second root');
      assert.ok(!verifyConsistency(v.from, v.to, r1, r2, []), 'empty proof');
      assert.ok(!verifyConsistency(v.from, v.to, r1, r2, [...proof, r1]), 'trailing root1');
      assert.ok(!verifyConsistency(v.from, v.to, r1, r2, [...proof, r2]), 'trailing root2');
      assert.ok(!verifyConsistency(v.from, v.to, r1, r2, [r1, ...proof]), 'preceding root1');
      assert.ok(!verifyConsistency(v.from, v.to, r1, r2, [proof[0]!, ...proof]), 'preceding proof[0]');
      assert.ok(!verifyConsistency(v.from, v.to, r1, r2, proof.slice(0, -1)), 'truncated proof');
      for (let i = 0; i < proof.length; i++)
        assert.ok(
          !verifyConsistency(v.from, v.to, r1, r2, flipBit(proof, i, 4)),
          `bit flipped in proof[${i}]`,
        );
    }
  });

  test('trivial consistency: equal sizes need equal roots and no proof; the empty tree precedes any tree', () => {
    const [r1, r2] = [ROOTS[1]!, ROOTS[2]!];
    assert.ok(verifyConsistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, []));
    assert.ok(verifyConsistency(0, 2, EMPTY_ROOT, r2, []));
    assert.ok(verifyConsistency(1, 1, r1, r1, []));
    assert.ok(!verifyConsistency(1, 1, r1, r2, []), 'same size, other root');
    assert.ok(!verifyConsistency(2, 1, r2, r1, []), 'time travel to the past');
    assert.ok(!verifyConsistency(1, 2, r1, r2, []), 'missing proof');
    assert.ok(!verifyConsistency(0, 1, EMPTY_ROOT, r1, [EMPTY_ROOT]), 'proof where none is due');
    assert.ok(!verifyConsistency(1, 1, r1, r1, [EMPTY_ROOT]), 'proof where none is due');
  });

  test('a single-leaf tree: the root is the leaf hash and the proof is empty', () => {
    const hash = leafHash(Buffer.from('data'));
    assert.ok(verifyInclusion(0, 1, hash, [], hash));
    assert.ok(!verifyInclusion(0, 1, Buffer.alloc(0), [], hash));
    assert.ok(!verifyInclusion(0, 0, hash, [], hash));
    assert.ok(!verifyInclusion(1, 1, hash, [], hash));
  });

  test('proofs read O(log n) stored subtrees, even at a million entries and beyond', () => {
    for (const size of [1_000_000, 1_048_576, 2_147_483_647]) {
      for (const index of [0, 1, Math.floor(size / 3), size - 2, size - 1]) {
        assert.ok(
          inclusionPlan(index, size).flat().length <= 2 * Math.ceil(Math.log2(size)),
          `index ${index} of ${size}`,
        );
      }
    }
  });

  test('appending leaf by leaf creates exactly the complete subtrees', () => {
    const stored = new Map<string, Buffer>();
    LEAVES.forEach((leaf, index) => {
      const siblings = appendSiblings(index).map((id) => stored.get(`${id.level}/${id.index}`)!);
      for (const node of nodesCreatedByAppend(index, leaf, siblings))
        stored.set(`${node.level}/${node.index}`, node.hash);
    });
    assert.equal(stored.size, 8 + 4 + 2 + 1);
    assert.equal(stored.get('3/0')!.toString('hex'), ROOTS[8]!.toString('hex'));
    assert.equal(
      stored.get('1/3')!.toString('hex'),
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    );
    assert.deepEqual(nodeHash(LEAVES[0]!, LEAVES[1]!), ROOTS[2]);
  });
});

describe('Merkle proofs, property-based', () => {
  const trees = fc
    .integer({ min: 1, max: 70 })
    .map((n) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`entry ${i}`))));

  test('every inclusion proof verifies, and flipping any bit of it breaks it', async () => {
    await fc.assert(
      fc.asyncProperty(trees, fc.nat(), fc.nat(), fc.nat(), async (leaves, a, b, bit) => {
        const size = 1 + (a % leaves.length);
        const index = b % size;
        const source = memoryHashSource(leaves);
        const root = await treeRoot(source, size);
        assert.deepEqual(root, rootHash(leaves.slice(0, size)));
        const proof = await inclusionProof(source, index, size);
        assert.ok(verifyInclusion(index, size, leaves[index]!, proof, root));
        if (proof.length > 0) {
          const which = bit % proof.length;
          assert.ok(!verifyInclusion(index, size, leaves[index]!, flipBit(proof, which, bit % 256), root));
        }
        if (size > 1) assert.ok(!verifyInclusion((index + 1) % size, size, leaves[index]!, proof, root));
      }),
      { numRuns: 300 },
    );
  });

  test('every consistency proof verifies, and flipping any bit of it breaks it', async () => {
    await fc.assert(
      fc.asyncProperty(trees, fc.nat(), fc.nat(), fc.nat(), async (leaves, a, b, bit) => {
        const to = 1 + (a % leaves.length);
        const from = 1 + (b % to);
        const source = memoryHashSource(leaves);
        const [r1, r2] = [await treeRoot(source, from), await treeRoot(source, to)];
        const proof = await consistencyProof(source, from, to);
        assert.ok(verifyConsistency(from, to, r1, r2, proof));
        if (proof.length > 0) {
          assert.ok(!verifyConsistency(from, to, r1, r2, flipBit(proof, bit % proof.length, bit % 256)));
          const forked = leaves.map((l, i) => (i === bit % from ? leafHash(Buffer.from('forged')) : l));
          assert.ok(
            !verifyConsistency(from, to, rootHash(forked.slice(0, from)), r2, proof),
            'rewritten history',
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('C2SP signed-note and tlog-checkpoint', () => {
  // The example of golang.org/x/mod/sumdb/note (note.go and note_test.go): Ed25519 is
  // deterministic, so signing the same text with the same seed must give the published note.
  const GO_PRIVATE = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
  const GO_VERIFIER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
  const GO_TEXT =
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
  const GO_NOTE = `${GO_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
  const seed = Buffer.from(GO_PRIVATE.split('+').slice(4).join('+'), 'base64').subarray(1);
  const signer = ed25519Signer('PeterNeumann', ed25519PrivateKeyFromSeed(seed));

  test('reproduces the published signed note and verifier key byte for byte', () => {
    assert.equal(verifierKeyString(signer), GO_VERIFIER);
    assert.equal(signNote(GO_TEXT, [signer]), GO_NOTE);
    const verifier = parseVerifierKey(GO_VERIFIER);
    assert.deepEqual(openNote(GO_NOTE, [verifier]), { text: GO_TEXT, verifiedBy: ['PeterNeumann'] });
  });

  test('a changed text, a changed signature, an unknown key or a malformed note is refused', () => {
    const verifier = parseVerifierKey(GO_VERIFIER);
    assert.throws(() => openNote(GO_NOTE.replace('cryptography', 'cryptographY'), [verifier]), {
      code: 'bad-signature',
    });
    assert.throws(() => openNote(GO_NOTE.replace('JnAM=', 'JnAA='), [verifier]), { code: 'bad-signature' });
    assert.throws(
      () => openNote(GO_NOTE.replace('x08go', 'x08gp'), [verifier]),
      { code: 'unverified' },
      'another key ID is another key',
    );
    const other = ed25519Signer('PeterNeumann', ed25519PrivateKeyFromSeed(Buffer.alloc(32, 7)));
    assert.throws(
      () => openNote(signNote(GO_TEXT, [other]), [verifier]),
      { code: 'unverified' },
      'same name, other key is ignored',
    );
    assert.throws(() => openNote(GO_TEXT, [verifier]), { code: 'malformed' });
    assert.throws(() => openNote(`${GO_NOTE}junk`, [verifier]), { code: 'malformed' });
    assert.throws(() => openNote(GO_NOTE.replace('— ', '- '), [verifier]), { code: 'malformed' });
    assert.throws(() => openNote(GO_NOTE.replace('then', 'th\u0007en'), [verifier]), { code: 'malformed' });
  });

  test('verifier keys with a wrong ID, type or name are refused', () => {
    assert.throws(() => parseVerifierKey(GO_VERIFIER.replace('c74f20a3', 'c74f20a4')), { code: 'bad-key' });
    assert.throws(() => parseVerifierKey(GO_VERIFIER.replace('+ARpc', '+AhpC')), { code: 'bad-key' });
    assert.throws(
      () => parseVerifierKey(`Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW`),
      { code: 'bad-key' },
    );
    assert.throws(() => parseVerifierKey('PeterNeumann'), { code: 'bad-key' });
  });

  test('a checkpoint round-trips and is checked for its origin, size and root', () => {
    const logSigner = ed25519Signer('example.gov.pl/log', ed25519PrivateKeyFromSeed(Buffer.alloc(32, 1)));
    const body = formatCheckpoint({ origin: 'example.gov.pl/log', size: 8, rootHash: ROOTS[8]! });
    assert.equal(body, `example.gov.pl/log\n8\n${ROOTS[8]!.toString('base64')}\n`);
    const note = signNote(body, [logSigner]);
    const verifier = parseVerifierKey(verifierKeyString(logSigner));
    const opened = openCheckpoint(note, verifier);
    assert.equal(opened.size, 8);
    assert.deepEqual(opened.rootHash, ROOTS[8]);
    assert.throws(() => openCheckpoint(note.replace('\n8\n', '\n9\n'), verifier), { code: 'bad-signature' });
    const otherOrigin = ed25519Signer('other.example/log', ed25519PrivateKeyFromSeed(Buffer.alloc(32, 1)));
    assert.throws(
      () => openCheckpoint(signNote(body, [otherOrigin]), parseVerifierKey(verifierKeyString(otherOrigin))),
      /origin/,
    );
    assert.throws(() => parseCheckpoint('o\n08\nAAAA\n'), /tree size/);
    assert.throws(() => parseCheckpoint(`o\n1\n${Buffer.alloc(31).toString('base64')}\n`), /root hash/);
    assert.deepEqual(parseCheckpoint(`o\n1\n${ROOTS[1]!.toString('base64')}\next\n`).extensions, ['ext']);
  });
});

describe('C2SP tlog-tiles paths', () => {
  test('the example of the specification and round trips', () => {
    assert.equal(formatTileIndex(1234067), 'x001/x234/067');
    assert.deepEqual(parseTilePath('0/x001/x234/067'), { level: 0, index: 1234067, width: 256 });
    assert.deepEqual(parseTilePath('entries/067.p/112'), { level: 'entries', index: 67, width: 112 });
    assert.equal(formatTilePath({ level: 1, index: 17, width: 17 }), 'tile/1/017.p/17');
    assert.throws(() => parseTilePath('0/x000/067'), { rule: 'canonical' });
    assert.throws(() => parseTilePath('0/67'), { rule: 'index' });
    assert.throws(() => parseTilePath('x/000'), { rule: 'level' });
  });
});
