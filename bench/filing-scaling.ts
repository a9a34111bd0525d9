import fs from 'node:fs';
import path from 'node:path';
import { samplePdf } from '../test/helpers/sample-files';
import { fmt, interleaved, machine, multipartBody, ROUNDS, type Child, type LoadResult } from './lib';
import {
  CONCURRENCY,
  fileAcross,
  SECONDS,
  startInstallation,
  type Commits,
  type Installation,
} from './filing-postgres';

/**
 * Scaling measured on one machine: each node confined to the same CPU share by a cgroup of its
 * own with a CPU quota (`BENCH_NODE_CPU`, default 0.4 of a core), PostgreSQL and the load
 * generator outside the quotas; small filings on PostgreSQL with 1, 2 and 4 nodes in
 * interleaved rounds. Without the quotas the nodes would share the same cores and their sum
 * could not grow. Needs root and the cgroup v1 `cpu` controller at /sys/fs/cgroup/cpu (or
 * cgroup v2 at /sys/fs/cgroup with the cpu controller enabled).
 */
const NODE_CPU = Number(process.env.BENCH_NODE_CPU ?? 0.4);
/**
 * The quota's period (`BENCH_NODE_PERIOD_MS`, default 100 ms, the kernel's). A node that uses
 * its quota early in a period is stopped for the rest of it, possibly holding the log's append
 * lock that the other nodes wait for; a shorter period makes such stops shorter.
 */
const PERIOD_US = Math.round(Number(process.env.BENCH_NODE_PERIOD_MS ?? 100) * 1000);

interface CpuGroup {
  add(pid: number): void;
  remove(): void;
}

function cpuGroup(name: string): CpuGroup {
  const quota = Math.round(NODE_CPU * PERIOD_US);
  const v1 = '/sys/fs/cgroup/cpu';
  if (fs.existsSync(path.join(v1, 'cpu.cfs_quota_us'))) {
    const dir = path.join(v1, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
    fs.writeFileSync(path.join(dir, 'cpu.cfs_quota_us'), String(quota));
    return {
      add: (pid) => fs.writeFileSync(path.join(dir, 'cgroup.procs'), String(pid)),
      remove: () => fs.rmdirSync(dir),
    };
  }
  const v2 = '/sys/fs/cgroup';
  if (fs.existsSync(path.join(v2, 'cgroup.subtree_control'))) {
    const dir = path.join(v2, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'cpu.max'), `${quota} ${PERIOD_US}`);
    return {
      add: (pid) => fs.writeFileSync(path.join(dir, 'cgroup.procs'), String(pid)),
      remove: () => fs.rmdirSync(dir),
    };
  }
  throw new Error('filing-scaling: no writable cgroup cpu controller (run as root)');
}

export async function benchFilingScaling(): Promise<void> {
  console.log(
    `# filing scaling on PostgreSQL, each node in a cgroup of ${NODE_CPU} of a core (period ${PERIOD_US / 1000} ms) — ${machine()}, ${SECONDS} s per case, ${CONCURRENCY} concurrent clients`,
  );
  const pdf = samplePdf('Wniosek', 10 * 1024);
  const body = multipartBody([
    { field: 'title', content: 'Wniosek' },
    { field: 'document', name: 'wniosek.pdf', type: 'application/pdf', content: pdf },
  ]);
  const counts = [1, 2, 4] as const;
  const installations = new Map<number, Installation>();
  const groups: CpuGroup[] = [];
  const confine = (nodes: Child[], count: number) => {
    for (const [i, node] of nodes.entries()) {
      const group = cpuGroup(`urzad-bench-${process.pid}-${count}-${i}`);
      groups.push(group);
      group.add(node.process.pid!);
    }
  };
  let result: Record<string, LoadResult>;
  const commits = new Map<number, Commits>();
  try {
    for (const count of counts) {
      const installation = await startInstallation(`scale${count}`, count, true);
      installations.set(count, installation);
      confine(installation.nodes, count);
    }
    result = await interleaved(
      ROUNDS,
      Object.fromEntries(
        counts.map((count) => [`n${count}`, () => fileAcross(installations.get(count)!, body)]),
      ),
    );
  } finally {
    for (const [count, installation] of installations)
      commits.set(count, await installation.stop().catch(() => ({ filings: 0, commits: 0 })));
    // A cgroup can be removed once its processes have exited.
    for (const group of groups) group.remove();
  }
  for (const count of counts) {
    const r = result[`n${count}`]!;
    const c = commits.get(count)!;
    console.log(
      `  ${count} node${count > 1 ? 's' : ''}: ${fmt(r.perSecond)} filings/s, p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms; ${fmt(c.filings / c.commits, 1)} filings per commit (${c.filings} in ${c.commits}); failed ${r.errors} of ${r.requests} (${JSON.stringify(r.statuses)})`,
    );
  }
  const one = result['n1']!.perSecond;
  console.log(
    `  scaling (medians of ${ROUNDS} interleaved rounds): 2 nodes / 1 = ${fmt(result['n2']!.perSecond / one, 2)}, 4 nodes / 1 = ${fmt(result['n4']!.perSecond / one, 2)}`,
  );
}
