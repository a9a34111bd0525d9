/**
 * The power-loss test (`npm run test:power`; a short run in `npm test -- crash`): the embedded
 * node (SQLite and filesystem blobs) files under load with its data directory recorded by an
 * LD_PRELOAD layer (scripts/power-loss/shim.c, compiled here with gcc) that logs every write,
 * fsync, rename, link, unlink and mkdir under it. The log is then replayed
 * (scripts/power-loss/replay.ts) and, at many random cuts, the directory is rebuilt as a power
 * cut at that moment would leave it: only fsynced bytes and fsynced directory entries survive.
 * On each rebuilt directory the node's service layer starts and every filing acknowledged
 * (201) before the cut must be there with its files and receipt, and fsck must be clean.
 * See docs/crash-safety.md.
 *
 * Settings (environment): POWER_CUTS (200), POWER_SECONDS (filing time, 40), POWER_CLIENTS (4),
 * POWER_DROP_DIR / POWER_DROP_FILE (fsyncs to leave out, see shim.c: the test must then fail).
 * `--short`: 15 cuts of 10 s of filing, then the same with the blob directories' fsyncs left
 * out, which must be caught (the run `npm test -- crash` makes).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServiceLayer } from '../src/app';
import { loadConfig } from '../src/config';
import {
  BOX,
  CLI,
  freePort,
  OFFICE,
  ROOT,
  sampleFiling,
  setting,
  startServe,
  type FileRecord,
} from './lib/filing-load';
import { parseLog, PowerModel, type LogRecord } from './power-loss/replay';

const SHORT = process.argv.includes('--short');

const CUTS = setting('POWER_CUTS', SHORT ? 15 : 200);
const SECONDS = setting('POWER_SECONDS', SHORT ? 10 : 40);
const CLIENTS = setting('POWER_CLIENTS', 4);

interface Acknowledged {
  documentId: string;
  receiptId: string;
  files: FileRecord[];
  /** Size of the operation log when the answer arrived: the filing's fsyncs are all before it. */
  logOffset: number;
}
interface Run {
  drop: Record<string, string>;
  label: string;
  /** Stop at the first cut that loses something (the self-check needs only one). */
  stopAtFirst?: boolean;
}

function compileShim(dir: string): string {
  const out = path.join(dir, 'power-shim.so');
  const cc = spawnSync(
    'gcc',
    [
      '-shared',
      '-fPIC',
      '-O2',
      '-Wall',
      '-o',
      out,
      path.join(ROOT, 'scripts/power-loss/shim.c'),
      '-ldl',
      '-lpthread',
    ],
    { encoding: 'utf8' },
  );
  if (cc.status !== 0) throw new Error(`gcc failed: ${cc.stderr}`);
  return out;
}

function cli(args: string[], env: Record<string, string>): string {
  const run = spawnSync(process.execPath, [...CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`cli ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return run.stdout;
}

/** One client filing small documents (every fifth with attachments, one shared by content). */
async function client(
  id: number,
  url: string,
  token: string,
  logFile: string,
  until: () => boolean,
  acknowledged: Acknowledged[],
  others: string[],
): Promise<void> {
  for (let n = 1; !until(); n++) {
    const filing = sampleFiling(id, n);
    const res = await fetch(`${url}/api/v1/boxes/${OFFICE}/${BOX}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: filing.body(),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    if (res.status !== 201) {
      others.push(`${res.status} ${text.slice(0, 300)}`);
      continue;
    }
    const logOffset = fs.statSync(logFile).size;
    const body = JSON.parse(text) as { documentId: string; receiptId: string };
    acknowledged.push({
      documentId: body.documentId,
      receiptId: body.receiptId,
      files: filing.records(),
      logOffset,
    });
  }
}

/** The checks of one rebuilt directory; returns the problems found. */
async function checkCut(
  dir: string,
  env: Record<string, string>,
  acknowledged: Acknowledged[],
): Promise<string[]> {
  const problems: string[] = [];
  let layer: Awaited<ReturnType<typeof createServiceLayer>>;
  try {
    layer = await createServiceLayer(loadConfig({ ...env, DATA_DIR: dir, LOG_LEVEL: 'silent' }));
  } catch (error) {
    return [`the node does not start: ${(error as Error).message}`];
  }
  try {
    const { db } = layer.database;
    for (const filing of acknowledged) {
      const where = `acknowledged document ${filing.documentId}`;
      const receipt = await db
        .selectFrom('receipts')
        .select(['id', 'document_id'])
        .where('id', '=', filing.receiptId)
        .executeTakeFirst();
      if (receipt?.document_id !== filing.documentId)
        problems.push(`${where}: receipt ${filing.receiptId} missing`);
      const files = await db
        .selectFrom('document_files')
        .select(['name', 'size', 'sha256'])
        .where('document_id', '=', filing.documentId)
        .orderBy('position')
        .execute();
      const stored = JSON.stringify(files.map((f) => `${f.name} ${Number(f.size)} ${f.sha256}`));
      const sent = JSON.stringify(filing.files.map((f) => `${f.name} ${f.size} ${f.sha256}`));
      if (stored !== sent) problems.push(`${where}: files ${stored}, filed ${sent}`);
    }
    const report = await layer.services.fsck();
    for (const p of report.problems)
      problems.push(`fsck ${p.check}: ${p.documentId ?? p.receiptId ?? p.logIndex ?? ''} ${p.detail}`);
  } finally {
    await layer.database.close();
  }
  return problems;
}

/** Records one run and checks it at random cuts; returns the violations. */
async function runOnce(run: Run, shim: string, work: string): Promise<string[]> {
  const violations: string[] = [];
  const dataDir = fs.realpathSync(fs.mkdtempSync(path.join(work, 'data-')));
  const opLog = path.join(work, `ops-${path.basename(dataDir)}.bin`);
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    HOST: '127.0.0.1',
    PUBLIC_URL: 'http://localhost:3000',
    LOG_ORIGIN: 'power-test.localhost/log',
    LOG_LEVEL: 'warn',
    API_RATE_LIMIT_PER_MINUTE: '1000000',
  };
  const recorded = {
    ...env,
    LD_PRELOAD: shim,
    POWER_ROOT: dataDir,
    POWER_LOG: opLog,
    UV_USE_IO_URING: '0',
    ...run.drop,
  };
  // Everything from the empty directory on is recorded: keys, secrets, the database, the demo office.
  cli(['demo'], recorded);
  const token = /token: (\S+)/.exec(
    cli(['tokens', 'create', '--office', OFFICE, '--scope', 'submit', '--name', 'Power'], recorded),
  )![1]!;
  const port = await freePort();
  const node = await startServe('serve', { ...recorded, PORT: String(port) }, path.join(work, 'node.log'));
  const servingFrom = fs.statSync(opLog).size;
  const acknowledged: Acknowledged[] = [];
  const others: string[] = [];
  const started = Date.now();
  let stopping = false;
  const clients = Array.from({ length: CLIENTS }, (_, i) =>
    client(i + 1, `http://127.0.0.1:${port}`, token, opLog, () => stopping, acknowledged, others),
  );
  await sleep(SECONDS * 1000);
  stopping = true;
  await Promise.all(clients);
  // The last cut: the process dies, the page cache (the real directory) keeps everything.
  const exited = new Promise((resolve) => node.once('exit', resolve));
  node.kill('SIGKILL');
  await exited;
  for (const other of new Set(others)) violations.push(`a valid filing was answered ${other}`);

  const records = parseLog(fs.readFileSync(opLog));
  const model = new PowerModel(dataDir);
  for (const r of records) model.apply(r);
  // The log must account for every byte the program wrote, or it proves nothing.
  const missed = model.compare();
  for (const m of missed) violations.push(`the operation log missed a change: ${m}`);
  console.log(
    `  ${run.label}: ${acknowledged.length} filings acknowledged in ${Math.round((Date.now() - started) / 1000)} s; ` +
      `${records.length} operations recorded (${Object.entries(model.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}); ` +
      `replay ${missed.length === 0 ? 'matches' : 'differs from'} the directory`,
  );

  // Cuts at random operations of the serving phase, checked in log order on one replay.
  const serving = records.filter((r) => r.end > servingFrom);
  const cuts = new Set<LogRecord>();
  while (cuts.size < Math.min(CUTS, serving.length))
    cuts.add(serving[Math.floor(Math.random() * serving.length)]!);
  const replay = new PowerModel(dataDir);
  let failedCuts = 0;
  let checkedFilings = 0;
  let checkedCuts = 0;
  const checkStarted = Date.now();
  for (const r of records) {
    replay.apply(r);
    if (!cuts.has(r)) continue;
    const cutDir = fs.mkdtempSync(path.join(work, 'cut-'));
    replay.materialize(cutDir);
    const due = acknowledged.filter((a) => a.logOffset <= r.end);
    checkedFilings += due.length;
    checkedCuts++;
    const problems = await checkCut(cutDir, env, due);
    if (problems.length > 0) {
      failedCuts++;
      violations.push(
        `cut after byte ${r.end} of the operation log (${due.length} filings acknowledged): ` +
          problems
            .slice(0, 2)
            .map((p) => p.slice(0, 240))
            .join('; ') +
          (problems.length > 2 ? ` (and ${problems.length - 2} more)` : ''),
      );
    }
    fs.rmSync(cutDir, { recursive: true, force: true });
    if (run.stopAtFirst && failedCuts > 0) break;
  }
  console.log(
    `  ${run.label}: ${checkedCuts} cuts checked (${checkedFilings} acknowledged filings looked up in all), ` +
      `${failedCuts} lost something; checking ${Math.round((Date.now() - checkStarted) / 1000)} s`,
  );
  return violations;
}

async function main(): Promise<number> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-power-'));
  const shim = compileShim(work);
  const drop: Record<string, string> = {};
  for (const name of ['POWER_DROP_DIR', 'POWER_DROP_FILE'])
    if (process.env[name]) drop[name] = process.env[name]!;
  let failed = false;
  try {
    console.log(`== power-loss test: embedded, ${CLIENTS} clients, ${SECONDS} s of filing, ${CUTS} cuts`);
    const violations = await runOnce(
      { drop, label: Object.keys(drop).length ? `with ${JSON.stringify(drop)}` : 'as built' },
      shim,
      work,
    );
    if (violations.length > 0) {
      failed = true;
      console.error(`POWER-LOSS TEST FAILED: ${violations.length} violations`);
      for (const v of violations.slice(0, 30)) console.error(`  - ${v}`);
    }
    if (SHORT && !failed) {
      // The test must be able to fail: without the blob directories' fsyncs, a cut loses blobs.
      const broken = { POWER_DROP_DIR: '/blobs/' };
      console.log("== power-loss test, self-check: the blob directories' fsyncs left out must be caught");
      const caught = await runOnce(
        { drop: broken, label: 'without blob directory fsyncs', stopAtFirst: true },
        shim,
        work,
      );
      if (caught.some((v) => v.includes('blob-missing'))) {
        console.log(`  caught: ${caught[0]!.slice(0, 200)}`);
      } else {
        failed = true;
        console.error(
          `POWER-LOSS TEST FAILED: leaving out the blob directories' fsyncs went unnoticed (${caught.join('; ').slice(0, 500)})`,
        );
      }
    }
  } finally {
    if (failed) console.log(`  operation logs, data and node log kept in ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
  if (!failed)
    console.log('power-loss test passed: every acknowledged filing survived every cut; fsck is clean');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
