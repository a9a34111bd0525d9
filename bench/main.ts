import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { benchBox } from './box';
import { benchFiling, benchFilingLarge } from './filing';
import { benchFilingPostgres } from './filing-postgres';
import { benchFilingScaling } from './filing-scaling';
import { benchLoad } from './load';
import { benchPages } from './pages';
import { benchPull } from './pull';
import { benchSoapPull } from './soap-pull';
import { benchWebhooks } from './webhooks';
import { machine } from './lib';
import { printSigningBenchmark, runSigningBenchmark } from './signing';
import { benchStart } from './start';
import { benchValidator } from './validator';

/**
 * `npm run bench` runs every case; `npm run bench -- <case>` runs one. Each prints its figures
 * and the ratio to a floor measured in the same run.
 */
const CASES: Record<string, () => Promise<void>> = {
  signing: async () => {
    console.log(`# signing receipts (one core) — ${machine()}`);
    printSigningBenchmark(await runSigningBenchmark());
  },
  filing: benchFiling,
  'filing-large': benchFilingLarge,
  'filing-postgres': benchFilingPostgres,
  'filing-scaling': benchFilingScaling,
  box: benchBox,
  pull: benchPull,
  'soap-pull': benchSoapPull,
  webhooks: benchWebhooks,
  load: benchLoad,
  pages: benchPages,
  start: benchStart,
  validator: benchValidator,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !CASES[name]);
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${Object.keys(CASES).join(', ')}`);
  process.exit(2);
}
/**
 * Every run keeps its raw output in bench/results/, headed by the commit (marked when the tree
 * has changes), the date and the machine, so a figure quoted in docs/performance.md can be
 * traced to the run and the code that produced it.
 */
function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
const started = new Date();
const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
const commit = `${git(['rev-parse', 'HEAD'])}${dirty ? ' (with uncommitted changes)' : ''}`;
const names = wanted.length > 0 ? wanted : Object.keys(CASES);
const resultsDir = path.resolve('bench/results');
fs.mkdirSync(resultsDir, { recursive: true });
const rawFile = path.join(
  resultsDir,
  `${started.toISOString().replace(/[:.]/g, '-')}-${names.join('-')}.txt`,
);
const raw = fs.createWriteStream(rawFile);
raw.write(
  `# commit ${commit}\n# date ${started.toISOString()}\n# machine ${machine()}\n# cases ${names.join(' ')}\n`,
);
const print = console.log;
console.log = (...args: unknown[]) => {
  print(...args);
  raw.write(`${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`);
};
try {
  for (const name of names) await CASES[name]!();
} finally {
  console.log = print;
  await new Promise((resolve) => raw.end(resolve));
  print(`raw output: ${path.relative(process.cwd(), rawFile)}`);
}
