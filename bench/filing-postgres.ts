import pg from 'pg';
import { samplePdf } from '../test/helpers/sample-files';
import {
  BenchInstallation,
  fmt,
  interleaved,
  load,
  machine,
  multipartBody,
  ROUNDS,
  type Child,
  type LoadResult,
} from './lib';

/**
 * Small filings through the API on PostgreSQL, one node and two nodes sharing one database,
 * with group commit (the default) against the same installation with `GROUP_COMMIT=false`
 * (one durable commit, and one hold of the log's append lock, per filing), in interleaved
 * rounds. Filings per commit are the nodes' own count (`groupCommitStats()`), which each
 * node logs when it shuts down.
 */
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
export const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const PATH = '/api/v1/boxes/umczestochowa/skrytka/documents';

export interface Commits {
  /** Receipts committed (the filings). */
  filings: number;
  commits: number;
}

export interface Installation {
  nodes: Child[];
  token: string;
  /** Stops the nodes and returns their receipts and commits, summed. */
  stop(): Promise<Commits>;
}

/** The group-commit figures a node logs as it shuts down. */
function loggedCommits(node: Child): Commits {
  for (const line of node.output().split('\n').reverse()) {
    if (!line.includes('"groupCommit"')) continue;
    const { groupCommit } = JSON.parse(line) as { groupCommit: { committed: number; commits: number } };
    return { filings: groupCommit.committed, commits: groupCommit.commits };
  }
  throw new Error('a node did not log its group-commit figures on shutdown');
}

function databaseUrl(): string {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url)
    throw new Error(
      'filing-postgres: set BENCH_DATABASE_URL (a PostgreSQL database the benchmark may create schemas in)',
    );
  return url;
}

async function admin<T>(query: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    return await query(client);
  } finally {
    await client.end();
  }
}

export async function startInstallation(
  name: string,
  nodeCount: number,
  groupCommit: boolean,
): Promise<Installation> {
  const schema = `bench_filing_${name}_${Date.now()}`;
  await admin((c) => c.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(databaseUrl());
  url.searchParams.set('options', `-c search_path=${schema}`);
  // The nodes share the data directory (keys, secrets, blobs), as nodes of one installation do.
  const installation = new BenchInstallation(`filing-${name}`, {
    DATABASE_URL: url.toString(),
    GROUP_COMMIT: String(groupCommit),
    // The figures come in the shutdown line, logged at info; no drain wait before it.
    LOG_LEVEL: 'info',
    SHUTDOWN_DRAIN_SECONDS: '0',
  });
  const token = installation.token('submit');
  const nodes: Child[] = [];
  for (let i = 0; i < nodeCount; i++) nodes.push(await installation.serve());
  return {
    nodes,
    token,
    async stop() {
      await Promise.all(nodes.map((node) => node.stop()));
      const figures = nodes.map(loggedCommits);
      installation.remove();
      await admin((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
      return {
        filings: figures.reduce((sum, f) => sum + f.filings, 0),
        commits: figures.reduce((sum, f) => sum + f.commits, 0),
      };
    },
  };
}

/** Small filings for one round, the requests spread over the nodes like a round-robin balancer. */
export function fileAcross(
  installation: Installation,
  body: { body: Buffer; contentType: string },
): Promise<LoadResult> {
  const { nodes, token } = installation;
  return load(
    nodes[0]!.url,
    (i) => ({
      url: nodes[i % nodes.length]!.url,
      path: PATH,
      headers: { authorization: `Bearer ${token}`, 'content-type': body.contentType },
      body: body.body,
    }),
    { concurrency: CONCURRENCY, seconds: SECONDS / ROUNDS, expect: 201 },
  );
}

export async function benchFilingPostgres(): Promise<void> {
  console.log(
    `# filing on PostgreSQL, group commit on / off — ${machine()}, ${SECONDS} s per case, ${CONCURRENCY} concurrent clients`,
  );
  const pdf = samplePdf('Wniosek', 10 * 1024);
  const body = multipartBody([
    { field: 'title', content: 'Wniosek' },
    { field: 'document', name: 'wniosek.pdf', type: 'application/pdf', content: pdf },
  ]);
  const run = (installation: Installation) => fileAcross(installation, body);
  const line = (label: string, r: LoadResult, c: Commits) =>
    console.log(
      `  ${label}: ${fmt(r.perSecond)} filings/s, p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms; ${fmt(c.filings / c.commits, 1)} filings per commit (${c.filings} in ${c.commits}); failed ${r.errors} of ${r.requests} (${JSON.stringify(r.statuses)})`,
    );

  for (const count of [1, 2]) {
    const on = await startInstallation(`on${count}`, count, true);
    const off = await startInstallation(`off${count}`, count, false);
    let result: { on: LoadResult; off: LoadResult };
    try {
      result = await interleaved(ROUNDS, { on: () => run(on), off: () => run(off) });
    } catch (error) {
      await on.stop().catch(() => undefined);
      await off.stop().catch(() => undefined);
      throw error;
    }
    // The nodes log their commits as they stop.
    const commitsOn = await on.stop();
    const commitsOff = await off.stop();
    console.log(
      `\n${count === 1 ? 'one node' : 'two nodes'}, ~10 KB PDF letter (medians of ${ROUNDS} interleaved rounds of ${fmt(SECONDS / ROUNDS)} s)`,
    );
    line('group commit on ', result.on, commitsOn);
    line('group commit off', result.off, commitsOff);
    console.log(
      `  ratio on/off: throughput ${fmt(result.on.perSecond / result.off.perSecond, 2)}, p50 ${fmt(result.on.p50 / result.off.p50, 2)}, p99 ${fmt(result.on.p99 / result.off.p99, 2)}`,
    );
  }
}
