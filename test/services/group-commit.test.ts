import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../src/domain/errors';
import { leafHash, rootHash, verifyInclusion } from '../../src/domain/tlog/index';
import { sql } from 'kysely';
import { inReceiptTransaction, type GroupCommitStats } from '../../src/services/group-commit';
import { lockLogForAppend } from '../../src/services/transparency-log';
import { issueReceipt } from '../../src/services/issue-receipt';
import type { Office } from '../../src/services/offices';
import type { Tx } from '../../src/ports/database';
import { startTestApp, type TestApp } from '../helpers/app';
import { recordPostgresStatements, testDialects } from '../helpers/databases';

const OFFICE = 'umczestochowa';

const mainFile = (n: number) => {
  const bytes = Buffer.from(`pismo ${n}`);
  return {
    role: 'main' as const,
    name: 'pismo.txt',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
  };
};

for (const dialect of testDialects()) {
  describe(`group commit of receipts (${dialect})`, () => {
    let app: TestApp;
    let filer: string;

    before(async () => {
      app = await startTestApp(dialect, { demo: true });
      filer = (
        await app.database.db
          .selectFrom('accounts')
          .select('id')
          .where('email', '=', 'punkt@example.pl')
          .executeTakeFirstOrThrow()
      ).id;
    });
    after(() => app.dispose());

    const stats = (): GroupCommitStats => app.services.groupCommitStats();
    const since = (before: GroupCommitStats) => {
      const now = stats();
      return { commits: now.commits - before.commits, committed: now.committed - before.committed };
    };

    const file = async (text: string, idempotencyKey?: string) =>
      app.services.submitDocument({
        officeId: OFFICE,
        boxName: 'skrytka',
        sender: { type: 'account', ref: filer, name: 'Jan Kowalski' },
        files: [
          { field: 'document', name: 'wniosek.txt', staged: await app.deps.blobs.stage(Buffer.from(text)) },
        ],
        title: 'Wniosek',
        ...(idempotencyKey ? { idempotencyKey } : {}),
      });

    /** A UPP for an n-th made-up document, issued in `tx`. */
    const testReceipt = (tx: Tx, office: Office, n: number) =>
      issueReceipt(tx, app.deps, {
        kind: 'UPP',
        documentId: randomUUID(),
        office: { id: office.id, name: office.name, boxAddress: office.boxes[0]!.address },
        sender: { name: `Nadawca ${n}`, id: filer, idType: 'IdentyfikatorKonta' },
        enteredAt: app.deps.clock.now(),
        files: [mainFile(n)],
      });

    /** The whole log from the database, its root computed here from the entries alone. */
    const wholeLog = async () => {
      const leaves = await app.database.db
        .selectFrom('tlog_leaves')
        .select(['leaf_index', 'entry_hash'])
        .orderBy('leaf_index')
        .execute();
      leaves.forEach((l, i) => {
        assert.equal(l.leaf_index, i, 'no gaps in the log');
        assert.ok(l.entry_hash, `entry ${i} recorded`);
      });
      const entries = leaves.map((l) => Buffer.from(l.entry_hash!, 'hex'));
      return { entries, root: rootHash(entries.map(leafHash)) };
    };

    /** Each receipt is the log's entry at its index, with an inclusion proof to the independent root. */
    const assertInLog = async (receiptIds: string[]) => {
      const { entries, root } = await wholeLog();
      const rows = await app.database.db
        .selectFrom('receipts')
        .select(['id', 'xml', 'log_index'])
        .where('id', 'in', receiptIds)
        .execute();
      assert.equal(rows.length, receiptIds.length);
      assert.equal(new Set(rows.map((r) => r.log_index)).size, rows.length, 'distinct log indexes');
      for (const row of rows) {
        const entry = createHash('sha256').update(row.xml, 'utf8').digest();
        assert.deepEqual(entries[row.log_index!], entry, `receipt ${row.id} is its log entry`);
        const proof = await app.services.inclusionProof(row.log_index!, entries.length);
        assert.ok(
          verifyInclusion(row.log_index!, entries.length, leafHash(entry), proof.hashes, root),
          `inclusion of ${row.log_index}`,
        );
      }
    };

    test('concurrent filings get distinct receipts, all in the log with valid inclusion', async () => {
      const before = stats();
      assert.equal(before.enabled, true, 'on by default');
      const results = await Promise.all(Array.from({ length: 24 }, (_, i) => file(`wniosek ${i}`)));
      assert.equal(new Set(results.map((r) => r.documentId)).size, 24);
      assert.equal(new Set(results.map((r) => r.receiptId)).size, 24);
      await assertInLog(results.map((r) => r.receiptId));
      const counted = since(before);
      assert.equal(counted.committed, 24, 'every filing counted once');
      assert.ok(counted.commits >= 1 && counted.commits <= 24);
      const documents = await app.database.db
        .selectFrom('documents')
        .select('receipt_id')
        .where(
          'receipt_id',
          'in',
          results.map((r) => r.receiptId),
        )
        .execute();
      assert.equal(documents.length, 24, 'every acknowledged filing is stored');
    });

    test('receipts queued behind a commit share the next one; a failing one fails alone', async () => {
      // Read before the held commit: on SQLite it holds the one connection.
      const office = await app.services.getOffice(OFFICE);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const before = stats();
      // A commit under way: what arrives meanwhile waits for it and then forms one batch.
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const held = inReceiptTransaction(app.deps, () => {
        started();
        return gate;
      });
      await running;
      const receipt = (n: number) =>
        inReceiptTransaction(app.deps, async (tx) => {
          const issued = await testReceipt(tx, office, n);
          // The fourth has written its receipt and log entry when it fails: all of it must go.
          if (n === 3) throw new Error('the fourth receipt fails');
          return issued;
        });
      const queued = Array.from({ length: 10 }, (_, n) => receipt(n));
      assert.equal(stats().queued, 10, 'ten callers wait for the commit under way');
      release();
      await held;
      const settled = await Promise.allSettled(queued);
      const failed = settled.flatMap((s, n) => (s.status === 'rejected' ? [n] : []));
      assert.deepEqual(failed, [3], 'only the failing one is refused');
      assert.match(String((settled[3] as PromiseRejectedResult).reason), /the fourth receipt fails/);
      const issued = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      assert.equal(new Set(issued.map((r) => r.logIndex)).size, 9);
      const counted = since(before);
      assert.deepEqual(counted, { commits: 2, committed: 10 }, 'the held commit, then the nine in one');
      assert.ok(stats().largestBatch >= 9);
      assert.equal(stats().queued, 0);
      assert.equal(stats().failed - before.failed, 1);
      assert.equal(stats().rerunIsolated - before.rerunIsolated, 1, 'the batch ran again isolated, once');
      // The failed receipt left nothing: its index went to the next one.
      const indexes = issued.map((r) => r.logIndex).sort((a, b) => a - b);
      assert.equal(indexes[8]! - indexes[0]!, 8, 'consecutive indexes, no hole where the fourth was');
      await assertInLog(issued.map((r) => r.id));
    });

    // The append lock is PostgreSQL's (on SQLite the one connection serialises).
    if (dialect === 'postgres')
      test('callers that arrive while another node holds the log lock join the batch waiting for it', async () => {
        const office = await app.services.getOffice(OFFICE);
        const receipt = (n: number) => inReceiptTransaction(app.deps, (tx) => testReceipt(tx, office, n));
        // Another node's batch holds the log's append lock until `release`.
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        let locked!: () => void;
        const lockHeld = new Promise<void>((resolve) => (locked = resolve));
        const otherNode = app.database.db.transaction().execute(async (tx) => {
          await lockLogForAppend(tx, 'postgres');
          locked();
          await gate;
        });
        await lockHeld;
        const before = stats();
        const first = receipt(0);
        // Wait until this node's batch waits for the lock in PostgreSQL.
        for (;;) {
          const { rows } = await sql<{ waiting: string }>`select count(*) as waiting from pg_locks
            where locktype = 'advisory' and not granted`.execute(app.database.db);
          if (Number(rows[0]!.waiting) > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        const later = Array.from({ length: 4 }, (_, n) => receipt(n + 1));
        assert.equal(stats().queued, 5, 'the waiting caller and the four after it are queued');
        release();
        await otherNode;
        const issued = await Promise.all([first, ...later]);
        assert.deepEqual(since(before), { commits: 1, committed: 5 }, 'all five in the commit that waited');
        await assertInLog(issued.map((r) => r.id));
      });

    test('one bad filing among concurrent ones fails alone with its own answer', async () => {
      // Six filings under one idempotency key with different contents: one is stored, the
      // other five are told of the conflict, whether or not they met the winner in its batch.
      const key = `klucz-${randomUUID()}`;
      const settled = await Promise.allSettled([
        ...Array.from({ length: 6 }, (_, i) => file(`wersja ${i}`, key)),
        ...Array.from({ length: 10 }, (_, i) => file(`sasiad ${i}`)),
      ]);
      const keyed = settled.slice(0, 6);
      const won = keyed.filter((s) => s.status === 'fulfilled');
      assert.equal(won.length, 1, 'one filing under the key is stored');
      for (const s of keyed.filter((r) => r.status === 'rejected')) {
        const reason = (s as PromiseRejectedResult).reason as unknown;
        assert.ok(reason instanceof AppError, String(reason));
        assert.equal(reason.code, 'idempotency_conflict');
        assert.equal(reason.status, 409);
      }
      const neighbours = settled.slice(6);
      assert.ok(
        neighbours.every((s) => s.status === 'fulfilled'),
        'the neighbours are all accepted',
      );
      const receiptIds = [...won, ...neighbours].map(
        (s) => (s as PromiseFulfilledResult<{ receiptId: string }>).value.receiptId,
      );
      await assertInLog(receiptIds);
    });

    test('with GROUP_COMMIT off every receipt has a commit of its own', async () => {
      const deps = { ...app.deps, config: { ...app.deps.config, groupCommit: false } };
      const before = stats();
      const office = await app.services.getOffice(OFFICE);
      const issued = await Promise.all(
        Array.from({ length: 6 }, (_, n) =>
          inReceiptTransaction(deps, (tx) =>
            issueReceipt(tx, deps, {
              kind: 'UPP',
              documentId: randomUUID(),
              office: { id: office.id, name: office.name, boxAddress: office.boxes[0]!.address },
              sender: { name: `Nadawca ${n}`, id: filer, idType: 'IdentyfikatorKonta' },
              enteredAt: deps.clock.now(),
              files: [mainFile(n)],
            }),
          ),
        ),
      );
      assert.deepEqual(since(before), { commits: 6, committed: 6 });
      await assertInLog(issued.map((r) => r.id));
    });

    if (dialect === 'postgres')
      test("a transaction asks for the log's lock once, however many receipts it appends", async () => {
        const office = await app.services.getOffice(OFFICE);
        // Every statement on the wire, by connection: the batch's transaction is the span from
        // its BEGIN to its COMMIT on the connection that inserted the log's leaves.
        const recording = recordPostgresStatements();
        try {
          await inReceiptTransaction(app.deps, async (tx) => {
            for (let n = 0; n < 3; n++) await testReceipt(tx, office, 100 + n);
          });
        } finally {
          recording.stop();
        }
        const { sent } = recording;
        const leaves = sent.find((s) => /insert into "tlog_leaves"/.test(s.text));
        assert.ok(leaves, 'the receipts appended to the log');
        const own = sent.filter((s) => s.client === leaves.client).map((s) => s.text.trim().toLowerCase());
        const span = own.slice(
          own.lastIndexOf(
            'begin',
            own.findIndex((t) => t.includes('tlog_leaves')),
          ),
        );
        const locks = span
          .slice(0, span.indexOf('commit') + 1)
          .filter((t) => t.includes('pg_advisory_xact_lock'));
        assert.equal(locks.length, 1, span.join('\n'));
      });
  });
}
