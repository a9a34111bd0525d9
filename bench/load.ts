import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { UrzadClient } from '../src/client/index';
import { samplePdf } from '../test/helpers/sample-files';
import { startS3 } from '../test/helpers/s3';
import {
  fmt,
  load,
  logInAsClerk,
  machine,
  medianOf,
  multipartBody,
  percentile,
  SERVER,
  startChild,
  tokenSecret,
  type Child,
  type LoadResult,
} from './lib';

/**
 * A mixed workload for 60 s: 80 % box reads by a clerk, 15 % filings, 5 % pulls (next + ack),
 * against one node on embedded defaults, one node on PostgreSQL + S3 and two nodes sharing them
 * (the client spreads requests over the nodes like a round-robin balancer). Prints throughput,
 * p50/p99 and errors per operation, the two-node scaling ratio, and the ratio of the filings to
 * the bare filing floor measured in the same run.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const PASSWORD = 'bench-password-123';
const OFFICE = 'umczestochowa';

/**
 * The mix on one embedded node as issue 16 recorded it before group commit and the cheaper
 * pages (2 vCPUs, 32 clients): the target is three times this. Kept as a reference
 * figure, since the code it measured is no longer here to run beside ours.
 */
const RECORDED_BEFORE = {
  operationsPerSecond: 133.7,
  source: 'docs/performance.md, "Mixed load", first table',
};

type Operation = 'read' | 'file' | 'pull';
/** One cycle of 20 operations: 16 reads, 3 filings, 1 pull. */
const CYCLE: Operation[] = [...Array<Operation>(16).fill('read'), 'file', 'file', 'file', 'pull'];

interface Setup {
  label: string;
  nodes: Child[];
  submitToken: string;
  pullToken: string;
  cookie: string;
  stop(): Promise<void>;
}

interface Figures {
  seconds: number;
  operations: number;
  perOperation: Record<Operation, { count: number; errors: number; p50: number; p99: number }>;
}

async function startSetup(
  label: string,
  env: Record<string, string>,
  nodeCount: number,
  cleanup: () => Promise<void>,
): Promise<Setup> {
  const cli = (args: string[]) =>
    execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    }).trim();
  const demo = cli(['demo', '--password', PASSWORD]);
  const token = (scope: string) =>
    tokenSecret(cli(['tokens', 'create', '--office', OFFICE, '--scope', scope, '--name', 'Benchmark']));
  const submitToken = token('submit');
  const pullToken = token('pull');
  const nodes: Child[] = [];
  for (let i = 0; i < nodeCount; i++)
    nodes.push(
      await startChild(SERVER, ['serve'], {
        ...env,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      }),
    );
  const cookie = await logInAsClerk(nodes[0]!.url, PASSWORD, demo);
  return {
    label,
    nodes,
    submitToken,
    pullToken,
    cookie,
    async stop() {
      await Promise.all(nodes.map((node) => node.stop()));
      await cleanup();
    },
  };
}

async function run(setup: Setup): Promise<Figures> {
  const pdf = samplePdf('Wniosek', 10 * 1024);
  const filing = multipartBody([
    { field: 'title', content: 'Wniosek o wydanie zaświadczenia' },
    { field: 'document', name: 'wniosek.pdf', type: 'application/pdf', content: pdf },
  ]);
  const filingBody = new Uint8Array(filing.body);
  const clients = setup.nodes.map((node) => new UrzadClient({ baseUrl: node.url, token: setup.pullToken }));
  const samples: Record<Operation, number[]> = { read: [], file: [], pull: [] };
  const errors: Record<Operation, number> = { read: 0, file: 0, pull: 0 };
  let next = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const started = performance.now();

  async function one(i: number): Promise<void> {
    const operation = CYCLE[i % CYCLE.length]!;
    // Round robin, shifted every cycle so that each operation kind reaches every node.
    const node = (i + Math.floor(i / CYCLE.length)) % setup.nodes.length;
    const url = setup.nodes[node]!.url;
    const t0 = performance.now();
    let ok = false;
    try {
      if (operation === 'read') {
        const res = await fetch(`${url}/urzad/${OFFICE}/skrzynka`, { headers: { cookie: setup.cookie } });
        await res.arrayBuffer();
        ok = res.status === 200;
      } else if (operation === 'file') {
        const res = await fetch(`${url}/api/v1/boxes/${OFFICE}/skrytka/documents`, {
          method: 'POST',
          headers: { authorization: `Bearer ${setup.submitToken}`, 'content-type': filing.contentType },
          body: filingBody,
        });
        await res.arrayBuffer();
        ok = res.status === 201;
      } else {
        const { document } = await clients[node]!.next(OFFICE, 'skrytka');
        if (document) await clients[node]!.ack(document.documentId, document.files[0]!.sha256);
        ok = true;
      }
    } catch {
      ok = false;
    }
    // Throughput and latencies count the answers that succeeded; failures are counted apart.
    if (ok) samples[operation].push(performance.now() - t0);
    else errors[operation] += 1;
  }

  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) await one(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const perOperation = {} as Figures['perOperation'];
  for (const operation of ['read', 'file', 'pull'] as const) {
    const sorted = samples[operation].sort((a, b) => a - b);
    perOperation[operation] = {
      count: sorted.length,
      errors: errors[operation],
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
    };
  }
  return { seconds, operations: next, perOperation };
}

function print(label: string, figures: Figures): void {
  const total = Object.values(figures.perOperation).reduce((sum, o) => sum + o.count, 0);
  const errorCount = Object.values(figures.perOperation).reduce((sum, o) => sum + o.errors, 0);
  console.log(
    `\n## ${label}: ${fmt(total / figures.seconds)} operations/s over ${fmt(figures.seconds)} s, errors ${errorCount}`,
  );
  console.log('| operation | succeeded | per second | p50 | p99 | failed |');
  console.log('|---|---|---|---|---|---|');
  for (const [operation, o] of Object.entries(figures.perOperation))
    console.log(
      `| ${operation} | ${o.count} | ${fmt(o.count / figures.seconds)} | ${fmt(o.p50)} ms | ${fmt(o.p99)} ms | ${o.errors} |`,
    );
}

const throughput = (f: Figures) =>
  Object.values(f.perOperation).reduce((sum, o) => sum + o.count, 0) / f.seconds;

function tempDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bench-load-${name}-`));
}

/** PostgreSQL in a fresh schema of BENCH_DATABASE_URL (or TEST_DATABASE_URL), S3 by s3rver. */
async function scaleEnvironment(
  name: string,
): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url)
    throw new Error(
      'load: set BENCH_DATABASE_URL (a PostgreSQL database the benchmark may create schemas in)',
    );
  const schema = `bench_load_${name}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const s3 = await startS3();
  // Nodes of one installation share the keys and secrets of one data directory.
  const dataDir = tempDir(name);
  const withSchema = new URL(url);
  withSchema.searchParams.set('options', `-c search_path=${schema}`);
  return {
    env: {
      DATA_DIR: dataDir,
      DATABASE_URL: withSchema.toString(),
      API_RATE_LIMIT_PER_MINUTE: '1000000',
      ...s3.env,
    },
    async cleanup() {
      await s3.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

export async function benchLoad(): Promise<void> {
  console.log(
    `# mixed load (80 % box reads, 15 % filings, 5 % pulls) — ${machine()}, ${SECONDS} s per setup, ${CONCURRENCY} concurrent clients`,
  );
  const results: Record<string, Figures> = {};
  // The bare filing floor, up through the whole run and measured before each setup and after
  // the last (interleaved with ours), so that it sees the same machine; its median is quoted.
  const floor = await startChild('bench/floor-server.ts', [], {});
  const pdf = samplePdf('Wniosek', 10 * 1024);
  const body = multipartBody([
    { field: 'document', name: 'wniosek.pdf', type: 'application/pdf', content: pdf },
  ]);
  const floorRounds: LoadResult[] = [];
  const floorRound = async () =>
    floorRounds.push(
      await load(
        floor.url,
        () => ({ path: '/floor', headers: { 'content-type': body.contentType }, body: body.body }),
        { concurrency: CONCURRENCY, seconds: SECONDS / 3, expect: 201 },
      ),
    );

  // BENCH_LOAD_SETUPS narrows the run (e.g. `embedded` alone, for an A/B of the mix on SQLite).
  const setups = (process.env.BENCH_LOAD_SETUPS ?? 'embedded,one,two').split(',');
  if (setups.includes('embedded')) {
    await floorRound();
    const embeddedDir = tempDir('embedded');
    const embedded = await startSetup(
      'one node, embedded (SQLite + files)',
      { DATA_DIR: embeddedDir, API_RATE_LIMIT_PER_MINUTE: '1000000' },
      1,
      async () => fs.rmSync(embeddedDir, { recursive: true, force: true }),
    );
    try {
      results.embedded = await run(embedded);
    } finally {
      await embedded.stop();
    }
    print(embedded.label, results.embedded);
  }

  for (const [key, count] of [
    ['one', 1],
    ['two', 2],
  ] as const) {
    if (!setups.includes(key)) continue;
    const { env, cleanup } = await scaleEnvironment(key);
    const setup = await startSetup(
      `${count === 1 ? 'one node' : 'two nodes'}, PostgreSQL + S3 (s3rver)`,
      env,
      count,
      cleanup,
    );
    try {
      await floorRound();
      results[key] = await run(setup);
    } finally {
      await setup.stop();
    }
    print(setup.label, results[key]);
  }
  await floorRound();
  await floor.stop();
  const floorResult = medianOf(floorRounds);

  console.log('\n## ratios');
  const { embedded, one, two } = results;
  if (one && two)
    console.log(`  two nodes / one node on PostgreSQL + S3: ${fmt(throughput(two) / throughput(one), 2)}`);
  if (one && embedded)
    console.log(
      `  one node PostgreSQL + S3 / one node embedded: ${fmt(throughput(one) / throughput(embedded), 2)}`,
    );
  if (embedded)
    console.log(
      `  one node embedded / the ${RECORDED_BEFORE.operationsPerSecond} operations/s recorded before group commit and cheap pages (${RECORDED_BEFORE.source}; another run, same machine kind — a reference, not a floor of this run): ${fmt(throughput(embedded) / RECORDED_BEFORE.operationsPerSecond, 2)} (target ≥ 3); filings p99 ${fmt(embedded.perOperation.file.p99)} ms (target < 300 ms)`,
    );
  const filingsPerSecond = (f: Figures) => f.perOperation.file.count / f.seconds;
  const withinMix = Object.entries({ embedded, 'two nodes': two })
    .filter((entry): entry is [string, Figures] => entry[1] !== undefined)
    .map(([label, f]) => `${label} ${fmt(filingsPerSecond(f) / floorResult.perSecond, 2)}`);
  console.log(
    `  filings within the mix / bare filing floor (${fmt(floorResult.perSecond)}/s alone, median of ${floorRounds.length} rounds, failed ${floorResult.errors}): ${withinMix.join(', ')}`,
  );
  const errors = Object.values(results).reduce(
    (sum, f) => sum + Object.values(f.perOperation).reduce((s, o) => s + o.errors, 0),
    0,
  );
  if (errors > 0) {
    console.log(`  errors: ${errors} (target: 0)`);
    process.exitCode = 1;
  }
}
