import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, afterEach, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { entryHash, GENESIS_HASH, keyEarlierAuditEntries } from '../../src/services/audit';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

for (const dialect of testDialects()) {
  describe(`audit log (${dialect})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(dialect, { demo: true });
    });
    after(async () => app.dispose());

    test('entries form a hash chain; PESEL appears only masked', async () => {
      const check = await app.services.verifyAuditChain();
      assert.equal(check.ok, true);
      assert.ok(check.ok && check.entries > 5, 'demo data wrote entries');
      const rows = await app.database.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
      for (const [i, row] of rows.entries()) {
        assert.equal(Number(row.seq), i + 1);
        if (i > 0) assert.equal(row.prev_hash, rows[i - 1]!.hash);
        assert.doesNotMatch(JSON.stringify(row), /44051401359/, 'no full PESEL in the audit log');
      }
      assert.ok(rows.some((r) => r.details.includes('440514*****')));
    });

    test('`audit verify` prints OK, then detects an edited entry and exits 1', async () => {
      const env = {
        ...process.env,
        DATA_DIR: app.env.config.dataDir,
        LOG_LEVEL: 'warn',
        ...(dialect === 'postgres'
          ? {
              DATABASE_URL: `${process.env.TEST_DATABASE_URL}${process.env.TEST_DATABASE_URL!.includes('?') ? '&' : '?'}options=-c%20search_path%3D${app.env.pgSchema}`,
            }
          : {}),
      };
      const ok = spawnSync(process.execPath, [...CLI, 'audit', 'verify'], { env, encoding: 'utf8' });
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stdout, /^OK/);

      await sql`update audit_log set subject = ${'tampered'} where seq = 3`.execute(app.database.db);
      const broken = spawnSync(process.execPath, [...CLI, 'audit', 'verify'], { env, encoding: 'utf8' });
      assert.equal(broken.status, 1, broken.stderr);
      assert.match(broken.stdout, /BROKEN: audit log entry 3 /);
      assert.deepEqual(await app.services.verifyAuditChain(), { ok: false, seq: 3, reason: 'hash' });
    });
  });
}

/** Row 6 of docs/security.md: someone who can write the database but has not the audit key. */
for (const dialect of testDialects()) {
  describe(`audit log anchored outside the database (${dialect}, row 6)`, () => {
    let app: TestApp;
    let snapshot: { log: AuditRow[]; head: AuditHeadRow[] };
    type AuditRow = Awaited<ReturnType<typeof readLog>>[number];
    type AuditHeadRow = { id: number; seq: number; hash: string; mac: string };
    const readLog = () => app.database.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    const readHead = () => app.database.db.selectFrom('audit_head').selectAll().execute();

    async function replaceAll(log: AuditRow[], head: AuditHeadRow[]): Promise<void> {
      await app.database.db.transaction().execute(async (tx) => {
        await tx.deleteFrom('audit_head').execute();
        await tx.deleteFrom('audit_log').execute();
        for (const row of log) await tx.insertInto('audit_log').values(row).execute();
        for (const row of head) await tx.insertInto('audit_head').values(row).execute();
      });
    }

    /** Recomputes every hash and link from `fromSeq` on, as an attacker without the key can. */
    function recomputed(log: AuditRow[], fromSeq: number): AuditRow[] {
      const out: AuditRow[] = [];
      let prev = GENESIS_HASH;
      for (const row of log) {
        if (Number(row.seq) < fromSeq) {
          out.push(row);
          prev = row.hash;
          continue;
        }
        const hash = entryHash({
          seq: Number(row.seq),
          at: row.at,
          actorId: row.actor_id,
          action: row.action,
          subject: row.subject,
          details: JSON.parse(row.details) as Record<string, string>,
          prevHash: prev,
        });
        out.push({ ...row, prev_hash: prev, hash });
        prev = hash;
      }
      return out;
    }

    before(async () => {
      app = await startTestApp(dialect, { demo: true });
      snapshot = {
        log: await readLog(),
        head: (await readHead()).map((h) => ({ ...h, seq: Number(h.seq) })),
      };
      assert.ok(snapshot.log.length > 5, 'demo data wrote entries');
    });
    afterEach(async () => replaceAll(snapshot.log, snapshot.head));
    after(async () => app.dispose());

    test('every entry carries a MAC and the head names the newest entry', async () => {
      assert.deepEqual(await app.services.verifyAuditChain(), { ok: true, entries: snapshot.log.length });
      assert.ok(snapshot.log.every((row) => /^[0-9a-f]{64}$/.test(row.mac ?? '')));
      assert.equal(snapshot.head.length, 1);
      assert.equal(snapshot.head[0]!.seq, snapshot.log.length);
      assert.equal(snapshot.head[0]!.hash, snapshot.log.at(-1)!.hash);
    });

    test('an edited entry with the chain recomputed after it is detected by its MAC', async () => {
      const log = snapshot.log.map((row) => (Number(row.seq) === 3 ? { ...row, subject: 'tampered' } : row));
      const rewritten = recomputed(log, 3);
      const last = rewritten.at(-1)!;
      // Even the head follows the new chain; only its MAC cannot.
      await replaceAll(rewritten, [{ ...snapshot.head[0]!, hash: last.hash }]);
      assert.deepEqual(await app.services.verifyAuditChain(), { ok: false, seq: 3, reason: 'mac' });
    });

    test('the newest entry deleted (the rest of the chain holds) is detected by the head', async () => {
      await replaceAll(snapshot.log.slice(0, -1), snapshot.head);
      assert.deepEqual(await app.services.verifyAuditChain(), {
        ok: false,
        seq: snapshot.log.length,
        reason: 'head',
      });
    });

    test('the newest entry deleted and the head moved back without the key is detected', async () => {
      const kept = snapshot.log.slice(0, -1);
      const last = kept.at(-1)!;
      // The head row of an entry: seq and hash right, the entry's own MAC copied in.
      await replaceAll(kept, [{ id: 1, seq: Number(last.seq), hash: last.hash, mac: last.mac! }]);
      assert.deepEqual(await app.services.verifyAuditChain(), {
        ok: false,
        seq: Number(last.seq),
        reason: 'head',
      });
    });

    test('truncation: the newest half and the head deleted; and MACs stripped', async () => {
      await replaceAll(snapshot.log.slice(0, Math.floor(snapshot.log.length / 2)), []);
      const truncated = await app.services.verifyAuditChain();
      assert.equal(truncated.ok, false);
      assert.equal(!truncated.ok && truncated.reason, 'head');
      await replaceAll(
        snapshot.log.map((row) => ({ ...row, mac: null })),
        [],
      );
      assert.deepEqual(await app.services.verifyAuditChain(), { ok: false, seq: 1, reason: 'mac' });
    });

    test('`audit verify` exits 1 and names the break', async () => {
      await replaceAll(snapshot.log.slice(0, -2), snapshot.head);
      const env = {
        ...process.env,
        DATA_DIR: app.env.config.dataDir,
        LOG_LEVEL: 'warn',
        ...(dialect === 'postgres'
          ? {
              DATABASE_URL: `${process.env.TEST_DATABASE_URL}${process.env.TEST_DATABASE_URL!.includes('?') ? '&' : '?'}options=-c%20search_path%3D${app.env.pgSchema}`,
            }
          : {}),
      };
      const run = spawnSync(process.execPath, [...CLI, 'audit', 'verify'], { env, encoding: 'utf8' });
      assert.equal(run.status, 1, run.stderr);
      assert.match(
        run.stdout,
        new RegExp(
          `^BROKEN: audit log entry ${snapshot.log.length} \\(the newest entry is not the anchored head`,
        ),
      );
    });

    test('entries written before the key get their MACs once at start, if their chain holds', async () => {
      await replaceAll(
        snapshot.log.map((row) => ({ ...row, mac: null })),
        [],
      );
      assert.equal(await keyEarlierAuditEntries(app.deps), snapshot.log.length);
      assert.deepEqual(await app.services.verifyAuditChain(), { ok: true, entries: snapshot.log.length });
      assert.equal(await keyEarlierAuditEntries(app.deps), 0, 'only once');
      // A chain already broken is not blessed: entries from the break on stay without a MAC.
      await replaceAll(
        snapshot.log.map((row) => ({
          ...row,
          mac: null,
          ...(Number(row.seq) === 4 ? { subject: 'x' } : {}),
        })),
        [],
      );
      assert.equal(await keyEarlierAuditEntries(app.deps), 3);
      assert.deepEqual(await app.services.verifyAuditChain(), { ok: false, seq: 4, reason: 'hash' });
    });
  });
}
