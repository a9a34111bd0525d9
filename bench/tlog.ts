/**
 * Transparency log benchmark: appends 10,000 entries one transaction each (as receipts are
 * issued, so each pays for a durable commit), the rest 100 per transaction (the log's own
 * cost), then measures root, inclusion and consistency proof latency over the stored subtrees.
 *   npx tsx bench/tlog.ts [entries]        (SQLite in a temporary directory)
 *   BENCH_DATABASE_URL=postgres://… npx tsx bench/tlog.ts [entries]
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openAndMigrate } from '../src/app';
import { loadConfig } from '../src/config';
import { inclusionPlan, leafHash, verifyConsistency, verifyInclusion } from '../src/domain/tlog/index';
import {
  appendToLog,
  consistencyProof,
  inclusionProof,
  logEntry,
  logRoot,
} from '../src/services/transparency-log';

const entries = Number(process.argv[2] ?? 100_000);
const url = process.env.BENCH_DATABASE_URL;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-bench-tlog-'));
let pgSchema: string | undefined;
if (url) {
  pgSchema = `bench_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE SCHEMA ${pgSchema}`);
  await client.end();
}
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(url ? { DATABASE_URL: url } : {}) });
const database = await openAndMigrate(config, pgSchema);
const deps = { db: database.db };
const now = new Date();

try {
  const concurrency = database.dialect === 'postgres' ? 8 : 1;
  const single = Math.min(entries, 10_000);
  const entryAt = (i: number) => createHash('sha256').update(`receipt ${i}`).digest();
  let next = 0;
  let started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < single) {
        const entry = entryAt(next++);
        await database.db.transaction().execute((tx) => appendToLog(tx, database.dialect, entry, now));
      }
    }),
  );
  const singleSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  for (let i = single; i < entries; i += 100) {
    await database.db.transaction().execute(async (tx) => {
      for (let j = i; j < Math.min(entries, i + 100); j++)
        await appendToLog(tx, database.dialect, entryAt(j), now);
    });
  }
  const batchedSeconds = (performance.now() - started) / 1000;

  const size = entries;
  const root = await logRoot(deps, size);
  const timings = { root: [] as number[], inclusion: [] as number[], consistency: [] as number[] };
  const samples = 500;
  for (let s = 0; s < samples; s++) {
    const index = Math.floor(Math.random() * size);
    const from = 1 + Math.floor(Math.random() * (size - 1));
    let t = performance.now();
    await logRoot(deps, size);
    timings.root.push(performance.now() - t);
    t = performance.now();
    const inclusion = await inclusionProof(deps, index, size);
    timings.inclusion.push(performance.now() - t);
    const entry = await logEntry(deps, index);
    if (!verifyInclusion(index, size, leafHash(entry!), inclusion.hashes, root))
      throw new Error(`inclusion proof ${index} does not verify`);
    t = performance.now();
    const consistency = await consistencyProof(deps, from, size);
    timings.consistency.push(performance.now() - t);
    if (!verifyConsistency(from, size, await logRoot(deps, from), root, consistency.hashes))
      throw new Error(`consistency proof ${from} does not verify`);
  }
  const pct = (xs: number[], p: number) =>
    xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!.toFixed(2);
  console.log(
    `transparency log on ${database.dialect}${concurrency > 1 ? ` (${concurrency} concurrent writers)` : ''}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}`,
  );
  console.log(
    `appends, one transaction each: ${single} in ${singleSeconds.toFixed(1)} s = ${Math.round(single / singleSeconds)} appends/s`,
  );
  if (entries > single) {
    console.log(
      `appends, 100 per transaction: ${entries - single} in ${batchedSeconds.toFixed(1)} s = ${Math.round((entries - single) / batchedSeconds)} appends/s`,
    );
  }
  for (const [name, xs] of Object.entries(timings))
    console.log(
      `${name}: median ${pct(xs, 50)} ms, p99 ${pct(xs, 99)} ms (${samples} samples, all verified)`,
    );
  console.log(
    `nodes read per inclusion proof at 2^20 entries: at most ${Math.max(...[0, 1, 524287, 1048575].map((i) => inclusionPlan(i, 1_048_576).flat().length))}`,
  );
} finally {
  await database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (url && pgSchema) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
    await client.end();
  }
}
