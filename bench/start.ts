import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt, machine, median } from './lib';

/**
 * `npm start` as an installation runs it: the time from launch until `/readyz` answers 200, and
 * the resident set size of the server at rest, with the process tree's command lines checked
 * for a TypeScript loader. The first start on an empty data directory (migrations, generated
 * keys and seals) is reported apart from the later starts.
 *   npm run bench -- start          (START_RUNS later starts, default 5; START_REST_SECONDS, default 10)
 */
const RUNS = Math.max(1, Number(process.env.START_RUNS ?? 5));
const REST_SECONDS = Number(process.env.START_REST_SECONDS ?? 10);

/** The process and its descendants, from /proc. */
function tree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while the table was read.
    }
  }
  const out: number[] = [];
  const visit = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return out;
}

const commandLine = (pid: number) =>
  fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function readyWithin(url: string, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/readyz`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Stops the process group npm started and waits until none of it is left: npm itself exits
 * before the server has drained and let go of its port, and the next start needs that port.
 */
async function stopGroup(pgid: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive()) process.kill(-pgid, 'SIGTERM');
  while (alive()) await new Promise((resolve) => setTimeout(resolve, 100));
}

async function startOnce(
  dataDir: string,
  port: number,
): Promise<{ seconds: number; rss: number; commands: string[] }> {
  const url = `http://127.0.0.1:${port}`;
  const started = process.hrtime.bigint();
  const child = spawn('npm', ['start', '--silent'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
    detached: true,
  });
  try {
    await readyWithin(url, child);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await new Promise((resolve) => setTimeout(resolve, REST_SECONDS * 1000));
    const pids = tree(child.pid!);
    const commands = pids.map(commandLine);
    // The node process itself, not the shell npm runs it through.
    const server = pids.find((pid) => /^\S*node dist\/cli\/main\.js serve$/.test(commandLine(pid)));
    if (server === undefined) throw new Error(`no server process in ${commands.join(' | ')}`);
    return { seconds, rss: rssMb(server), commands };
  } finally {
    await stopGroup(child.pid!);
  }
}

export async function benchStart(): Promise<void> {
  console.log(`# npm start — ${machine()}, RSS ${REST_SECONDS} s after /readyz first answered 200`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-start-'));
  const port = 20000 + (process.pid % 20000);
  try {
    const first = await startOnce(dataDir, port);
    console.log(
      `  first start (empty data directory): ready in ${fmt(first.seconds, 2)} s, RSS at rest ${fmt(first.rss, 0)} MB`,
    );
    const later: { seconds: number; rss: number }[] = [];
    let commands = first.commands;
    for (let i = 0; i < RUNS; i += 1) {
      const run = await startOnce(dataDir, port);
      later.push(run);
      commands = run.commands;
      console.log(`  start ${i + 1}: ready in ${fmt(run.seconds, 2)} s, RSS at rest ${fmt(run.rss, 0)} MB`);
    }
    console.log(
      `  later starts, median of ${RUNS}: ready in ${fmt(median(later.map((r) => r.seconds)), 2)} s, RSS at rest ${fmt(median(later.map((r) => r.rss)), 0)} MB`,
    );
    console.log(`  process tree: ${commands.join(' | ')}`);
    const loader = [...first.commands, ...commands].some((command) => /\btsx\b/.test(command));
    console.log(`  TypeScript loader (tsx) in the process tree: ${loader ? 'yes' : 'no'}`);
    if (loader) process.exitCode = 1;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
