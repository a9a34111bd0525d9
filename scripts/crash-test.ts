/**
 * The crash test (`npm run test:crash`): clients file continuously through the API while a
 * node is killed with SIGKILL at random moments and restarted; afterwards every filing that got
 * 201 must exist with all its files, its receipt must verify and be in the log, no receipt may
 * exist without its document, and `cli fsck` must find nothing. Runs the embedded setup (SQLite
 * and filesystem blobs, one node) and, with TEST_DATABASE_URL, PostgreSQL with two nodes sharing
 * one schema and one S3 bucket (s3rver on loopback). See docs/crash-safety.md.
 *
 * Settings (environment): CRASH_SETUPS (embedded,postgres), CRASH_SECONDS (filing time per
 * setup at most, 90), CRASH_KILLS (5), CRASH_CLIENTS (6), CRASH_BLOB_ENV (JSON of blob store settings
 * given to every node of the PostgreSQL setup, e.g. S3_* of another object store; default: a
 * bucket of s3rver started here).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { CHECKPOINT_LEASE, createServiceLayer } from '../src/app';
import { loadConfig } from '../src/config';
import { verifyReceipt } from '../src/domain/receipts/index';
import { parseInclusionProof, parseVerifierKey } from '../src/domain/tlog/index';
import { checkLogInclusion } from '../src/domain/verification/index';
import { xmlsecVerifies } from '../test/helpers/receipts';
import { startS3 } from '../test/helpers/s3';
import {
  BOX,
  CLI,
  freePort,
  OFFICE,
  ROOT,
  sampleFiling,
  setting,
  sha256,
  startServe,
  type FileRecord,
} from './lib/filing-load';

const SECONDS = setting('CRASH_SECONDS', 90);
const KILLS = setting('CRASH_KILLS', 5);
const CLIENTS = setting('CRASH_CLIENTS', 6);
const BLOB_ENV = process.env.CRASH_BLOB_ENV
  ? (JSON.parse(process.env.CRASH_BLOB_ENV) as Record<string, string>)
  : undefined;

interface Acknowledged {
  documentId: string;
  receiptId: string;
  files: FileRecord[];
}
interface Figures {
  setup: string;
  nodes: number;
  acknowledged: number;
  stored: number;
  kills: number;
  serverErrors: number;
  connectionErrors: number;
  otherStatuses: number;
  seconds: number;
  verifySeconds: number;
}

/** One `serve` process on a fixed port, which it keeps across restarts. */
class Node {
  private child: ChildProcess | undefined;
  readonly url: string;

  constructor(
    readonly name: string,
    private readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    this.child = await startServe(this.name, { ...this.env, PORT: String(this.port) }, this.logFile);
  }

  async kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
    this.child = undefined;
  }
}

/** One client: files small documents (every fifth with attachments) until told to stop. */
async function client(
  id: number,
  nodes: Node[],
  token: string,
  until: () => boolean,
  out: {
    acknowledged: Acknowledged[];
    counts: Record<'serverErrors' | 'connectionErrors' | 'otherStatuses', number>;
    others: string[];
  },
): Promise<void> {
  let n = 0;
  while (!until()) {
    n++;
    const filing = sampleFiling(id, n);
    const node = nodes[Math.floor(Math.random() * nodes.length)]!;
    try {
      const res = await fetch(`${node.url}/api/v1/boxes/${OFFICE}/${BOX}/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: filing.body(),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      if (res.status === 201) {
        const body = JSON.parse(text) as { documentId: string; receiptId: string };
        out.acknowledged.push({
          documentId: body.documentId,
          receiptId: body.receiptId,
          files: filing.records(),
        });
      } else if (res.status >= 500) {
        out.counts.serverErrors++;
      } else {
        out.counts.otherStatuses++;
        out.others.push(`${res.status} ${text.slice(0, 300)}`);
      }
    } catch {
      // The node died under the request or is restarting: the filing may or may not be stored.
      out.counts.connectionErrors++;
      await sleep(100);
    }
  }
}

interface SetupSpec {
  name: 'embedded' | 'postgres+s3';
  nodes: number;
  databaseUrl?: string;
  /** Blob store settings for every node; none: files under the shared DATA_DIR. */
  blobEnv?: Record<string, string>;
}

async function runSetup(spec: SetupSpec, violations: string[]): Promise<Figures> {
  const violation = (text: string) => violations.push(`${spec.name}: ${text}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `urzad-crash-${spec.name}-`));
  let schema: string | undefined;
  let databaseUrl = '';
  if (spec.databaseUrl) {
    schema = `crash_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: spec.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const url = new URL(spec.databaseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    databaseUrl = url.toString();
  }
  // Every node gets the same settings: one data directory (keys, blobs), one database, one log origin.
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PUBLIC_URL: 'http://localhost:3000',
    LOG_ORIGIN: 'crash-test.localhost/log',
    LOG_LEVEL: 'warn',
    API_RATE_LIMIT_PER_MINUTE: '1000000',
    ...spec.blobEnv,
  };
  const nodes: Node[] = [];
  try {
    // The demo office and a submit token, made before any node runs.
    const layer = await createServiceLayer(loadConfig({ ...env, LOG_LEVEL: 'silent' }));
    await layer.services.createDemoData({});
    const { token } = await layer.services.createIntegrationToken({
      officeId: OFFICE,
      scope: 'submit',
      name: 'Crash test',
    });
    await layer.database.close();

    for (let i = 0; i < spec.nodes; i++) {
      const node = new Node(
        `${spec.name}-node-${i + 1}`,
        await freePort(),
        env,
        path.join(dataDir, `node-${i + 1}.log`),
      );
      // One at a time: the first start creates the keys the others then read.
      await node.start();
      nodes.push(node);
    }

    const out = {
      acknowledged: [] as Acknowledged[],
      counts: { serverErrors: 0, connectionErrors: 0, otherStatuses: 0 },
      others: [] as string[],
    };
    const started = Date.now();
    let stopping = false;
    const clients = Array.from({ length: CLIENTS }, (_, i) =>
      client(i + 1, nodes, token, () => stopping, out),
    );
    // Each kill comes at a random moment once the nodes have been filing again for a while
    // (restarting a node takes seconds): never into a node that has only just come up.
    let kills = 0;
    for (let k = 0; k < KILLS && Date.now() - started < SECONDS * 1000; k++) {
      const before = out.acknowledged.length;
      await sleep(1000 + Math.random() * 4000);
      while (out.acknowledged.length < before + 5 && Date.now() - started < SECONDS * 1000) await sleep(100);
      const victim = nodes[Math.floor(Math.random() * nodes.length)]!;
      await victim.kill('SIGKILL');
      kills++;
      console.log(
        `  ${((Date.now() - started) / 1000).toFixed(1)} s: SIGKILL ${victim.name} (${out.acknowledged.length} acknowledged so far)`,
      );
      await sleep(Math.random() * 500);
      await victim.start();
    }
    // A calm tail: filing goes on with every node up.
    await sleep(3000);
    stopping = true;
    await Promise.all(clients);
    const seconds = (Date.now() - started) / 1000;
    // A slow machine restarts slowly: fewer kills still test something, none tests nothing.
    if (kills === 0 && KILLS > 0) violation(`no kill fitted in CRASH_SECONDS=${SECONDS}`);
    else if (kills < KILLS)
      console.log(`  warning: only ${kills} of ${KILLS} kills fitted in CRASH_SECONDS=${SECONDS}`);
    for (const other of new Set(out.others)) violation(`a valid filing was answered ${other}`);

    // Checked through a running node once a checkpoint covers the whole log: a killed node may
    // have held the signer's lease, which another node takes only once it has lapsed.
    const verifyStarted = Date.now();
    await waitForCheckpoint(nodes[0]!.url, env);
    await verifyAcknowledged(nodes[0]!.url, token, out.acknowledged, violation);
    for (const node of nodes) await node.kill('SIGTERM');
    const stored = await checkNoOrphanReceipts(env, violation);

    const fsck = spawnSync(process.execPath, [...CLI, 'fsck'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    const summary = fsck.stdout.trim().split('\n');
    console.log(`  cli fsck (exit ${fsck.status}): ${summary.slice(-2).join(' | ')}`);
    if (fsck.status !== 0) violation(`cli fsck exited ${fsck.status}:\n${fsck.stdout}${fsck.stderr}`);

    return {
      setup: spec.name,
      nodes: spec.nodes,
      acknowledged: out.acknowledged.length,
      stored,
      kills,
      ...out.counts,
      seconds: Math.round(seconds),
      verifySeconds: Math.round((Date.now() - verifyStarted) / 1000),
    };
  } catch (error) {
    // Counted as a violation so that the data and node logs are kept.
    violation(`aborted: ${(error as Error).message}`);
    throw error;
  } finally {
    for (const node of nodes) await node.kill('SIGKILL');
    if (violations.length === 0) fs.rmSync(dataDir, { recursive: true, force: true });
    else console.log(`  data and node logs kept in ${dataDir}`);
    if (schema && spec.databaseUrl && violations.length === 0) {
      const admin = new pg.Client({ connectionString: spec.databaseUrl });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  }
}

/**
 * Through the API, as the sender sees it: each acknowledged document with every file (the bytes
 * downloaded and hashed), its receipt verified by the project's verifier against the office's
 * chain and proved included under the signed checkpoint; xmlsec1 checks a sample.
 */
async function verifyAcknowledged(
  base: string,
  token: string,
  acknowledged: Acknowledged[],
  violation: (text: string) => void,
): Promise<void> {
  const auth = { authorization: `Bearer ${token}` };
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${url}`, { headers });
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
    return Buffer.from(await res.arrayBuffer());
  };
  const chain = (await get(`/api/v1/offices/${OFFICE}/certificate`)).toString('utf8');
  const pems = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const caPem = pems[pems.length - 1]!;
  const verifier = parseVerifierKey((await get('/api/v1/log/key')).toString('utf8'));
  const checkpointNote = (await get('/api/v1/log/checkpoint')).toString('utf8');
  const size = Number(checkpointNote.split('\n')[1]);
  const sample = new Set(
    Array.from({ length: Math.min(5, acknowledged.length) }, () =>
      Math.floor(Math.random() * acknowledged.length),
    ),
  );

  let next = 0;
  const worker = async () => {
    while (next < acknowledged.length) {
      const i = next++;
      const filing = acknowledged[i]!;
      const where = `document ${filing.documentId}`;
      try {
        const doc = JSON.parse(
          (await get(`/api/v1/documents/${filing.documentId}`, auth)).toString('utf8'),
        ) as { receiptId: string; files: FileRecord[] };
        if (doc.receiptId !== filing.receiptId)
          violation(`${where}: receipt ${doc.receiptId}, acknowledged with ${filing.receiptId}`);
        const listed = doc.files.map((f) => `${f.name} ${f.size} ${f.sha256}`);
        const sent = filing.files.map((f) => `${f.name} ${f.size} ${f.sha256}`);
        if (JSON.stringify(listed) !== JSON.stringify(sent))
          violation(`${where}: files ${JSON.stringify(listed)}, filed ${JSON.stringify(sent)}`);
        for (const [position, file] of filing.files.entries()) {
          const bytes = await get(`/api/v1/documents/${filing.documentId}/files/${position}`, auth);
          if (sha256(bytes) !== file.sha256)
            violation(`${where}: file ${position} downloads as ${sha256(bytes)}, filed ${file.sha256}`);
        }
        const xml = await get(`/api/v1/receipts/${filing.receiptId}`, auth);
        const report = await verifyReceipt(xml, { trustedCaPems: [caPem] });
        if (!report.valid)
          violation(`${where}: receipt does not verify: ${report.reasons.map((r) => r.key).join(', ')}`);
        if (report.documentId !== filing.documentId)
          violation(`${where}: the receipt certifies ${report.documentId}`);
        if (
          JSON.stringify(report.files.map((f) => `${f.name} ${f.size} ${f.sha256}`)) !== JSON.stringify(sent)
        )
          violation(`${where}: the receipt names other files`);
        if (report.logIndex === undefined || report.logIndex >= size) {
          violation(`${where}: log index ${report.logIndex} not under the checkpoint of size ${size}`);
        } else {
          const proof = parseInclusionProof(
            (await get(`/api/v1/log/proof/inclusion?index=${report.logIndex}&size=${size}`)).toString('utf8'),
          );
          const log = checkLogInclusion(report, { checkpointNote, verifier, proof });
          if (log.status !== 'included') violation(`${where}: not proved in the log: ${JSON.stringify(log)}`);
        }
        if (sample.has(i)) {
          const xmlsec = xmlsecVerifies(xml, caPem);
          if (!xmlsec.ok) violation(`${where}: xmlsec1 does not verify the receipt: ${xmlsec.output}`);
        }
      } catch (error) {
        violation(`${where}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/**
 * In the database: no receipt certifies a document that is not there. Returns how many
 * documents are stored (acknowledged, or committed by a node that died before answering).
 */
async function waitForCheckpoint(base: string, env: Record<string, string>): Promise<void> {
  const { database, services } = await createServiceLayer(loadConfig({ ...env, LOG_LEVEL: 'silent' }));
  try {
    const size = await services.logTreeSize();
    const waitMs = CHECKPOINT_LEASE.ttlMs + 30_000;
    const deadline = Date.now() + waitMs;
    for (;;) {
      const note = await (await fetch(`${base}/api/v1/log/checkpoint`)).text();
      if (Number(note.split('\n')[1]) >= size) return;
      if (Date.now() > deadline)
        throw new Error(`no checkpoint of the whole log (${size} entries) within ${waitMs} ms`);
      await sleep(250);
    }
  } finally {
    await database.close();
  }
}

async function checkNoOrphanReceipts(
  env: Record<string, string>,
  violation: (text: string) => void,
): Promise<number> {
  const { database } = await createServiceLayer(loadConfig({ ...env, LOG_LEVEL: 'silent' }));
  try {
    const orphans = await database.db
      .selectFrom('receipts')
      .leftJoin('documents', 'documents.id', 'receipts.document_id')
      .select(['receipts.id', 'receipts.document_id'])
      .where('receipts.kind', '=', 'UPP')
      .where('documents.id', 'is', null)
      .execute();
    for (const r of orphans)
      violation(`receipt ${r.id} certifies document ${r.document_id}, which does not exist`);
    const { n } = await database.db
      .selectFrom('documents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(n);
  } finally {
    await database.close();
  }
}

async function main(): Promise<number> {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const wanted = (process.env.CRASH_SETUPS ?? 'embedded,postgres').split(',').map((s) => s.trim());
  if (wanted.includes('postgres') && !databaseUrl && process.env.CI === 'true') {
    console.error(
      'TEST_DATABASE_URL must be set under CI=true: the PostgreSQL crash test may not be skipped',
    );
    return 1;
  }
  const violations: string[] = [];
  const runAndReport = async (spec: SetupSpec): Promise<void> => {
    console.log(
      `== crash test: ${spec.name}, ${spec.nodes} node(s), ${CLIENTS} clients, ${KILLS} kills in ${SECONDS} s`,
    );
    const f = await runSetup(spec, violations);
    console.log(
      `  ${f.setup}: ${f.acknowledged} filings acknowledged (201), ${f.stored} documents stored, ${f.kills} kills, ` +
        `${f.serverErrors} 5xx and ${f.connectionErrors} connection errors seen by clients, ${f.otherStatuses} other answers; ` +
        `filing ${f.seconds} s, checking ${f.verifySeconds} s`,
    );
  };
  if (wanted.includes('embedded')) await runAndReport({ name: 'embedded', nodes: 1 });
  if (wanted.includes('postgres') && !databaseUrl)
    console.log('postgres: not run (TEST_DATABASE_URL is not set)');
  if (wanted.includes('postgres') && databaseUrl) {
    const s3 = BLOB_ENV ? undefined : await startS3();
    try {
      await runAndReport({ name: 'postgres+s3', nodes: 2, databaseUrl, blobEnv: BLOB_ENV ?? s3!.env });
    } finally {
      await s3?.stop();
    }
  }
  if (violations.length > 0) {
    console.error(`CRASH TEST FAILED: ${violations.length} violations`);
    for (const v of violations.slice(0, 50)) console.error(`  - ${v}`);
    return 1;
  }
  console.log(
    'crash test passed: every acknowledged filing is stored, verified and in the log; fsck is clean',
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
