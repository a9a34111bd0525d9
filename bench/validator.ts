/**
 * The format check of one ~10 KB PDF, per second, against a floor measured in the same run:
 * SHA-256 of the same bytes (what every filing pays anyway). Rounds interleaved, medians printed.
 * The whole filing must fit 300/s on two cores; the check reads only the file's head and should
 * take a small share of that budget (target: ≥ 1,000 checks per second).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { buildPolicy } from '../src/domain/policy';
import { checkFiles } from '../src/domain/validation/index';
import * as samples from '../test/helpers/sample-files';
import { machine, ROUNDS } from './lib';

async function perSecond(runs: number, work: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < runs; i += 1) await work();
  return runs / ((performance.now() - started) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchValidator(): Promise<void> {
  console.log(`# format check of a small PDF — ${machine()}`);
  const staged = new samples.StagedFiles();
  try {
    const policy = buildPolicy();
    const pdf = await samples.pdf('Wniosek '.repeat(1500));
    const file = staged.file('wniosek.pdf', pdf);
    const check = async () => {
      const result = await checkFiles(policy, [file]);
      if (!result.ok) throw new Error('the sample PDF was refused');
    };
    const floor = () => createHash('sha256').update(fs.readFileSync(file.path!)).digest();
    for (let i = 0; i < 50; i += 1) await check(); // warm-up
    const ours: number[] = [];
    const floors: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      if (round % 2 === 0) {
        ours.push(await perSecond(1000, check));
        floors.push(await perSecond(1000, floor));
      } else {
        floors.push(await perSecond(1000, floor));
        ours.push(await perSecond(1000, check));
      }
    }
    const checks = median(ours);
    const hashes = median(floors);
    console.log(`rounds: ${ours.map((v, i) => `${v.toFixed(0)}/${floors[i]!.toFixed(0)}`).join(' ')}`);
    console.log(`validator: ${checks.toFixed(0)} checks/s of a ${pdf.length}-byte PDF (target ≥ 1000)`);
    console.log(
      `floor (read + SHA-256 of the same file): ${hashes.toFixed(0)}/s; ratio ${(checks / hashes).toFixed(2)}`,
    );
  } finally {
    staged.cleanup();
  }
}
