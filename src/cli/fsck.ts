import type { FsckReport } from '../services/fsck';

/** The human-readable report of `cli fsck`: one line per problem, then what was checked and the verdict. */
export function printFsck(report: FsckReport, out: (line: string) => void): void {
  for (const problem of report.problems) out(`[!!] ${problem.check}: ${problem.detail}`);
  const c = report.counts;
  out(
    `checked ${c.documents} documents (${c.documentFiles} files), ${c.deliveries} deliveries (${c.deliveryFiles} files), ` +
      `${c.blobsChecked} distinct blobs (${report.mode === 'quick' ? 'presence only' : 're-hashed'}), ${c.receipts} receipts, ` +
      `${c.logEntries} log entries, ${c.checkpointSize === null ? 'no checkpoint' : `checkpoint of size ${c.checkpointSize}`}`,
  );
  if (report.clean) {
    out('OK: no inconsistencies found');
    return;
  }
  const byCheck = new Map<string, number>();
  for (const p of report.problems) byCheck.set(p.check, (byCheck.get(p.check) ?? 0) + 1);
  out(
    `INCONSISTENT: ${report.problems.length} problems (${[...byCheck].map(([check, n]) => `${check} ${n}`).join(', ')})`,
  );
}
