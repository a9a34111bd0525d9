import { benchBox } from './box';
import { benchFiling } from './filing';
import { benchLoad } from './load';
import { benchPull } from './pull';
import { benchSoapPull } from './soap-pull';
import { benchWebhooks } from './webhooks';
import { machine } from './lib';
import { printSigningBenchmark, runSigningBenchmark } from './signing';

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
  box: benchBox,
  pull: benchPull,
  'soap-pull': benchSoapPull,
  webhooks: benchWebhooks,
  load: benchLoad,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !CASES[name]);
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${Object.keys(CASES).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(CASES)) await CASES[name]!();
