import { createWebhookSender } from '../../src/adapters/webhook-sender';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createMailer, openAndMigrate } from '../../src/app';
import { createSeals } from '../../src/adapters/keys/index';
import { createLogger } from '../../src/adapters/logger';
import { loadOrCreateLogKey } from '../../src/adapters/log-key';
import { createFsBlobStore } from '../../src/adapters/fs-blob-store';
import type { OpenDatabase } from '../../src/adapters/database';
import {
  ed25519Signer,
  inclusionProof as memoryInclusionProof,
  leafHash,
  memoryHashSource,
  openCheckpoint,
  parseVerifierKey,
  rootHash,
  verifyConsistency,
  verifyInclusion,
} from '../../src/domain/tlog/index';
import { ManualClock } from '../../src/ports/clock';
import type { ServiceDeps } from '../../src/services/deps';
import {
  appendToLog,
  consistencyProof,
  inclusionProof,
  latestCheckpoint,
  logRoot,
  logTreeSize,
  logVerifierKey,
  recordLogEntry,
  reserveLogIndex,
  signCheckpointIfGrown,
} from '../../src/services/transparency-log';
import { testDialects, testEnvironment, type TestEnvironment } from '../helpers/databases';

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

for (const dialect of testDialects()) {
  describe(`transparency log service (${dialect})`, () => {
    let env: TestEnvironment;
    let database: OpenDatabase;
    let deps: ServiceDeps;
    const clock = new ManualClock('2026-11-26T10:00:00.000Z');

    before(async () => {
      env = await testEnvironment(dialect);
      database = await openAndMigrate(env.config, env.pgSchema);
      deps = {
        db: database.db,
        dialect: database.dialect,
        blobs: createFsBlobStore(path.join(env.config.dataDir, 'blobs')),
        clock,
        config: env.config,
        logSigner: ed25519Signer(env.config.logOrigin, loadOrCreateLogKey(env.config.dataDir)),
        seals: createSeals(env.config, clock),
        mailer: createMailer(env.config, createLogger('silent')),
        webhookSender: createWebhookSender({ allowPrivate: false, timeoutMs: 1000, userAgent: 'test' }),
      };
    });
    after(async () => {
      await database.close();
      await env.cleanup();
    });

    /** Every entry hash in index order, read back from the leaves table. */
    async function storedEntries(): Promise<Buffer[]> {
      const rows = await deps.db
        .selectFrom('tlog_leaves')
        .select(['leaf_index', 'entry_hash'])
        .orderBy('leaf_index')
        .execute();
      rows.forEach((row, i) => assert.equal(row.leaf_index, i, 'indices have no gaps'));
      return rows.map((r) => Buffer.from(r.entry_hash!, 'hex'));
    }

    test('an empty log gets a signed checkpoint of the empty tree', async () => {
      assert.deepEqual(await signCheckpointIfGrown(deps), { signed: true, size: 0 });
      const verifier = parseVerifierKey(logVerifierKey(deps));
      const checkpoint = openCheckpoint((await latestCheckpoint(deps))!, verifier);
      assert.equal(checkpoint.size, 0);
      assert.equal(
        checkpoint.rootHash.toString('hex'),
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      );
      assert.equal(checkpoint.origin, 'localhost:3000/log');
      assert.deepEqual(
        await signCheckpointIfGrown(deps),
        { signed: false, size: 0 },
        'nothing new, nothing signed',
      );
    });

    test('200 concurrent transactions get indices 0..199 and the root of the whole log', async () => {
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          deps.db
            .transaction()
            .execute((tx) => appendToLog(tx, deps.dialect, sha256(`receipt ${i}`), clock.now())),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.index).sort((a, b) => a - b),
        Array.from({ length: 200 }, (_, i) => i),
      );
      const entries = await storedEntries();
      assert.equal(entries.length, 200);
      assert.equal(await logTreeSize(deps), 200);
      assert.deepEqual(
        await logRoot(deps, 200),
        rootHash(entries.map(leafHash)),
        'root from stored subtrees = root from scratch',
      );
      const nodeCount = await deps.db
        .selectFrom('tlog_nodes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(
        Number(nodeCount.n),
        200 + 100 + 50 + 25 + 12 + 6 + 3 + 1,
        'exactly the complete subtrees are stored',
      );
    });

    // SQLite is one process with one connection (better-sqlite3 blocks the thread while it waits
    // for a lock, so two connections in one process would deadlock): this is PostgreSQL's case.
    if (dialect === 'postgres')
      test('appends from several connection pools (processes) are sequenced without gaps', async () => {
        const others = await Promise.all([
          openAndMigrate(env.config, env.pgSchema),
          openAndMigrate(env.config, env.pgSchema),
        ]);
        try {
          const before = await logTreeSize(deps);
          const perPool = 60;
          await Promise.all(
            others.flatMap((other, p) =>
              Array.from({ length: perPool }, (_, i) =>
                other.db
                  .transaction()
                  .execute((tx) =>
                    appendToLog(tx, other.dialect, sha256(`pool ${p} receipt ${i}`), clock.now()),
                  ),
              ),
            ),
          );
          const entries = await storedEntries();
          assert.equal(entries.length, before + 2 * perPool);
          assert.deepEqual(await logRoot(deps, entries.length), rootHash(entries.map(leafHash)));
        } finally {
          await Promise.all(others.map((o) => o.close()));
        }
      });

    test('reserve → sign → record in one transaction; a rolled-back issue leaves nothing behind', async () => {
      const size = await logTreeSize(deps);
      const receipt = await deps.db.transaction().execute(async (tx) => {
        const { index } = await reserveLogIndex(tx, deps.dialect, clock.now());
        const signedXml = `<receipt logIndex="${index}"/>`; // stands for the signed receipt carrying its index
        await recordLogEntry(tx, deps.dialect, index, sha256(signedXml));
        return { index, signedXml };
      });
      assert.equal(receipt.index, size);
      const entries = await storedEntries();
      assert.deepEqual(entries[receipt.index], sha256(receipt.signedXml));

      await assert.rejects(
        deps.db.transaction().execute(async (tx) => {
          await reserveLogIndex(tx, deps.dialect, clock.now());
          throw new Error('signing failed');
        }),
        /signing failed/,
      );
      assert.equal(
        await logTreeSize(deps),
        size + 1,
        'the reserved index was rolled back with the transaction',
      );
      const next = await deps.db
        .transaction()
        .execute((tx) => appendToLog(tx, deps.dialect, sha256('next'), clock.now()));
      assert.equal(next.index, size + 1, 'the next receipt takes the index that was rolled back');
    });

    test('a reservation never recorded, a double record or a bad hash is refused', async () => {
      await assert.rejects(
        deps.db.transaction().execute(async (tx) => {
          await reserveLogIndex(tx, deps.dialect, clock.now());
          await reserveLogIndex(tx, deps.dialect, clock.now());
        }),
        /reserved but never recorded/,
      );
      await assert.rejects(
        deps.db.transaction().execute(async (tx) => {
          const { index } = await reserveLogIndex(tx, deps.dialect, clock.now());
          await recordLogEntry(tx, deps.dialect, index, sha256('a'));
          await recordLogEntry(tx, deps.dialect, index, sha256('b'));
        }),
        /is not reserved/,
      );
      await assert.rejects(
        deps.db
          .transaction()
          .execute((tx) => appendToLog(tx, deps.dialect, Buffer.from('short'), clock.now())),
        /32-byte/,
      );
    });

    test('checkpoints grow with the log; proofs from storage verify against them', async () => {
      const verifier = parseVerifierKey(logVerifierKey(deps));
      const first = openCheckpoint((await latestCheckpoint(deps))!, verifier);
      const signed = await signCheckpointIfGrown(deps);
      assert.equal(signed.signed, true);
      const second = openCheckpoint((await latestCheckpoint(deps))!, verifier);
      assert.equal(second.size, await logTreeSize(deps));
      assert.ok(second.size > first.size);

      const entries = await storedEntries();
      const leaves = entries.map(leafHash);
      const consistency = await consistencyProof(deps, first.size, second.size);
      assert.ok(
        verifyConsistency(first.size, second.size, first.rootHash, second.rootHash, consistency.hashes),
      );
      for (const index of [0, 1, 77, 128, second.size - 1]) {
        const proof = await inclusionProof(deps, index, second.size);
        assert.ok(
          verifyInclusion(index, second.size, leaves[index]!, proof.hashes, second.rootHash),
          `entry ${index}`,
        );
        assert.deepEqual(
          proof.hashes,
          await memoryInclusionProof(memoryHashSource(leaves), index, second.size),
        );
      }
      // Older sizes stay provable.
      const old = await inclusionProof(deps, 3, 150);
      assert.ok(verifyInclusion(3, 150, leaves[3]!, old.hashes, rootHash(leaves.slice(0, 150))));
    });

    test('proof requests beyond the log or out of order are refused with the field named', async () => {
      const size = await logTreeSize(deps);
      await assert.rejects(inclusionProof(deps, 0, size + 1), {
        status: 400,
        fieldErrors: [
          {
            field: 'size',
            key: 'tlog.error.beyondLog',
            params: { field: 'size', value: size + 1, treeSize: size },
          },
        ],
      });
      await assert.rejects(inclusionProof(deps, 5, 5), {
        status: 400,
        fieldErrors: [{ field: 'index', key: 'tlog.error.indexNotBelowSize', params: { index: 5, size: 5 } }],
      });
      await assert.rejects(consistencyProof(deps, 3, 2), { status: 400 });
      await assert.rejects(consistencyProof(deps, 1, size + 1), { status: 400 });
    });

    test('the log key is kept in DATA_DIR/keys with mode 0600 and reused', () => {
      const file = path.join(env.config.dataDir, 'keys', 'log-ed25519.pem');
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      const again = ed25519Signer(env.config.logOrigin, loadOrCreateLogKey(env.config.dataDir));
      assert.deepEqual(again.publicKey, deps.logSigner!.publicKey);
    });
  });
}
