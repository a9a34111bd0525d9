import { samplePdf } from '../test/helpers/sample-files';
import {
  BenchInstallation,
  cpuSeconds,
  fmt,
  interleaved,
  load,
  loadAverage,
  machine,
  multipartBody,
  peakRssMb,
  ROUNDS,
  startChild,
  type Child,
  type LoadResult,
} from './lib';

/**
 * Filing through the API on embedded defaults, against the floor measured in the same run:
 * both servers up, load sent to one then the other in interleaved rounds, medians reported.
 * `filing`: a ~10 KB PDF letter; `filing-large`: letters with 5 MB of attachments. Besides
 * throughput and latency, each server's CPU time per filing (from /proc), which a machine shared
 * with other work changes less than it changes throughput.
 * BENCH_WORKERS=n runs ours with `WORKERS=n` (n processes on one SQLite file; CPU and RSS are
 * then summed over the processes); the floor stays one process.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

interface Side {
  result: LoadResult;
  cpuMsPerFiling: number;
  peakRssMb: number;
}

function report(label: string, ours: Side, floor: Side, bytesPerRequest: number): void {
  const mbs = (r: LoadResult) => (r.perSecond * bytesPerRequest) / 2 ** 20;
  const line = (name: string, side: Side) =>
    `  ${name}: ${fmt(side.result.perSecond)} filings/s, ${fmt(mbs(side.result))} MB/s, p50 ${fmt(side.result.p50)} ms, p99 ${fmt(side.result.p99)} ms, CPU ${fmt(side.cpuMsPerFiling, 2)} ms per filing, peak RSS ${fmt(side.peakRssMb, 0)} MB; failed ${side.result.errors} of ${side.result.requests} (${JSON.stringify(side.result.statuses)})`;
  console.log(`\n${label} (medians of ${ROUNDS} interleaved rounds of ${fmt(SECONDS / ROUNDS)} s)`);
  console.log(line('ours ', ours));
  console.log(line('floor', floor));
  console.log(
    `  ratio ours/floor: throughput ${fmt(ours.result.perSecond / floor.result.perSecond, 2)}, p50 ${fmt(ours.result.p50 / floor.result.p50, 2)}, p99 ${fmt(ours.result.p99 / floor.result.p99, 2)}, CPU per filing ${fmt(ours.cpuMsPerFiling / floor.cpuMsPerFiling, 2)}`,
  );
}

async function startOurs(): Promise<{ child: Child; token: string; installation: BenchInstallation }> {
  const workers = process.env.BENCH_WORKERS;
  const installation = new BenchInstallation('filing', workers ? { WORKERS: workers } : {});
  const token = installation.token('submit');
  return { child: await installation.serve(), token, installation };
}

/** Runs `run` and adds the CPU time the process `pid` spent meanwhile to `cpu`. */
function counted(pid: number, cpu: { seconds: number; filings: number }, run: () => Promise<LoadResult>) {
  return async (): Promise<LoadResult> => {
    const before = cpuSeconds(pid);
    const result = await run();
    cpu.seconds += cpuSeconds(pid) - before;
    cpu.filings += result.requests - result.errors;
    return result;
  };
}

async function compare(
  label: string,
  body: { body: Buffer; contentType: string },
  concurrency: number,
): Promise<{ ours: Side; floor: Side }> {
  const ours = await startOurs();
  const floor = await startChild('bench/floor-server.ts', [], {});
  try {
    const seconds = SECONDS / ROUNDS;
    const cpu = { ours: { seconds: 0, filings: 0 }, floor: { seconds: 0, filings: 0 } };
    console.log(`load average before ${label}: ${loadAverage()}`);
    const result = await interleaved(ROUNDS, {
      ours: counted(ours.child.process.pid!, cpu.ours, () =>
        load(
          ours.child.url,
          () => ({
            path: '/api/v1/boxes/umczestochowa/skrytka/documents',
            headers: { authorization: `Bearer ${ours.token}`, 'content-type': body.contentType },
            body: body.body,
          }),
          { concurrency, seconds, expect: 201 },
        ),
      ),
      floor: counted(floor.process.pid!, cpu.floor, () =>
        load(
          floor.url,
          () => ({ path: '/floor', headers: { 'content-type': body.contentType }, body: body.body }),
          { concurrency, seconds, expect: 201 },
        ),
      ),
    });
    console.log(`load average after: ${loadAverage()}`);
    const side = (name: 'ours' | 'floor', pid: number): Side => ({
      result: result[name],
      cpuMsPerFiling: (cpu[name].seconds * 1000) / Math.max(1, cpu[name].filings),
      peakRssMb: peakRssMb(pid),
    });
    const sides = { ours: side('ours', ours.child.process.pid!), floor: side('floor', floor.process.pid!) };
    report(label, sides.ours, sides.floor, body.body.length);
    return sides;
  } finally {
    await ours.child.stop();
    ours.installation.remove();
    await floor.stop();
  }
}

export async function benchFiling(): Promise<void> {
  console.log(`# filing — ${machine()}, ${SECONDS} s, ours with WORKERS=${process.env.BENCH_WORKERS ?? 1}`);
  const small = multipartBody([
    { field: 'title', content: 'Wniosek' },
    {
      field: 'document',
      name: 'wniosek.pdf',
      type: 'application/pdf',
      content: samplePdf('Wniosek', 10 * 1024),
    },
  ]);
  const { ours, floor } = await compare('(a) ~10 KB PDF letter, 32 concurrent', small, 32);
  console.log(
    `  targets: throughput ≥ 1.0× the floor (${fmt(ours.result.perSecond / floor.result.perSecond, 2)}×), p99 < 100 ms (${fmt(ours.result.p99)} ms)`,
  );
}

export async function benchFilingLarge(): Promise<void> {
  console.log(
    `# filing-large — ${machine()}, ${SECONDS} s, ours with WORKERS=${process.env.BENCH_WORKERS ?? 1}`,
  );
  const pdf = samplePdf('Wniosek', 10 * 1024);
  const attachment = Buffer.alloc(Math.floor((5 * 1024 * 1024 - pdf.length) / 2) - 4096, 0x61);
  const big = multipartBody([
    { field: 'document', name: 'wniosek.pdf', type: 'application/pdf', content: pdf },
    { field: 'attachment', name: 'zalacznik-1.txt', type: 'text/plain', content: attachment },
    { field: 'attachment', name: 'zalacznik-2.txt', type: 'text/plain', content: attachment },
  ]);
  const { ours, floor } = await compare('(b) 5 MB of attachments per letter, 32 concurrent', big, 32);
  console.log(
    `  targets: MB/s ≥ 0.9× the floor's (${fmt(ours.result.perSecond / floor.result.perSecond, 2)}×), peak RSS < 300 MB (${fmt(ours.peakRssMb, 0)} MB)`,
  );
}
