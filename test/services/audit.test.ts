import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
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
