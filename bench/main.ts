/** `npm run bench`: every benchmark, each printing its figures and its ratio to a floor measured in the same run. */
import os from 'node:os';
import { printSigningBenchmark, runSigningBenchmark } from './signing';

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`Node ${process.version}, ${os.availableParallelism()} CPUs, ${cpu}`);
console.log('\n== signing receipts (one core)');
printSigningBenchmark(await runSigningBenchmark());
