import { samplePdf } from '../test/helpers/sample-files';
import {
  BenchInstallation,
  fmt,
  interleaved,
  load,
  machine,
  multipartBody,
  peakRssMb,
  ROUNDS,
  startChild,
  type Child,
  type LoadResult,
} from './lib';

/**
 * Filing through the API on embedded defaults: (a) a ~10 KB PDF letter, (b) letters with 5 MB
 * of attachments, each against the floor measured in the same run: both servers up, load sent
 * to one then the other in interleaved rounds, medians reported.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

function report(
  label: string,
  ours: LoadResult,
  floor: LoadResult,
  rss: { ours: number; floor: number },
  bytesPerRequest: number,
): void {
  const mbs = (r: LoadResult) => (r.perSecond * bytesPerRequest) / 2 ** 20;
  console.log(`\n${label} (medians of ${ROUNDS} interleaved rounds of ${fmt(SECONDS / ROUNDS)} s)`);
  console.log(
    `  ours : ${fmt(ours.perSecond)} filings/s, ${fmt(mbs(ours))} MB/s, p50 ${fmt(ours.p50)} ms, p99 ${fmt(ours.p99)} ms, peak RSS ${fmt(rss.ours, 0)} MB; failed ${ours.errors} of ${ours.requests} (${JSON.stringify(ours.statuses)})`,
  );
  console.log(
    `  floor: ${fmt(floor.perSecond)} filings/s, ${fmt(mbs(floor))} MB/s, p50 ${fmt(floor.p50)} ms, p99 ${fmt(floor.p99)} ms, peak RSS ${fmt(rss.floor, 0)} MB; failed ${floor.errors} of ${floor.requests}`,
  );
  console.log(
    `  ratio ours/floor: throughput ${fmt(ours.perSecond / floor.perSecond, 2)}, p50 ${fmt(ours.p50 / floor.p50, 2)}, p99 ${fmt(ours.p99 / floor.p99, 2)}`,
  );
}

async function startOurs(): Promise<{ child: Child; token: string; installation: BenchInstallation }> {
  const installation = new BenchInstallation('filing');
  const token = installation.token('submit');
  return { child: await installation.serve(), token, installation };
}

export async function benchFiling(): Promise<void> {
  console.log(`# filing — ${machine()}, ${SECONDS} s per case`);
  const pdf = samplePdf('Wniosek', 10 * 1024);
  const small = multipartBody([
    { field: 'title', content: 'Wniosek' },
    { field: 'document', name: 'wniosek.pdf', type: 'application/pdf', content: pdf },
  ]);
  const attachment = Buffer.alloc(Math.floor((5 * 1024 * 1024 - pdf.length) / 2) - 4096, 0x61);
  const big = multipartBody([
    { field: 'document', name: 'wniosek.pdf', type: 'application/pdf', content: pdf },
    { field: 'attachment', name: 'zalacznik-1.txt', type: 'text/plain', content: attachment },
    { field: 'attachment', name: 'zalacznik-2.txt', type: 'text/plain', content: attachment },
  ]);

  for (const [label, body, concurrency] of [
    ['(a) ~10 KB PDF letter, 32 concurrent', small, 32],
    ['(b) 5 MB of attachments per letter, 32 concurrent', big, 32],
  ] as const) {
    const ours = await startOurs();
    const floor = await startChild('bench/floor-server.ts', [], {});
    try {
      const seconds = SECONDS / ROUNDS;
      const result = await interleaved(ROUNDS, {
        ours: () =>
          load(
            ours.child.url,
            () => ({
              path: '/api/v1/boxes/umczestochowa/skrytka/documents',
              headers: { authorization: `Bearer ${ours.token}`, 'content-type': body.contentType },
              body: body.body,
            }),
            { concurrency, seconds, expect: 201 },
          ),
        floor: () =>
          load(
            floor.url,
            () => ({ path: '/floor', headers: { 'content-type': body.contentType }, body: body.body }),
            { concurrency, seconds, expect: 201 },
          ),
      });
      const rss = { ours: peakRssMb(ours.child.process.pid!), floor: peakRssMb(floor.process.pid!) };
      report(label, result.ours, result.floor, rss, body.body.length);
    } finally {
      await ours.child.stop();
      ours.installation.remove();
      await floor.stop();
    }
  }
}
