import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../src/ports/clock';
import { currentTotp } from '../src/services/second-factor';

/** Shared pieces of the benchmarks: child servers, a load loop, percentiles, peak RSS. */

export interface Child {
  process: ChildProcess;
  url: string;
  /** Everything the child has written to stdout so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The server as an installation runs it (`npm start`): compiled JavaScript, no TypeScript loader.
 * `npm run build` first.
 */
export const SERVER = 'dist/cli/main.js';

/** Children not yet stopped: a benchmark that fails midway leaves none running behind it. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `node <script> args` (`node --import tsx` for a TypeScript script) and waits for a line
 * "listening <url>" on stdout.
 */
export async function startChild(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<Child> {
  if (script === SERVER && !fs.existsSync(SERVER))
    throw new Error(`${SERVER} is missing: run \`npm run build\``);
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  // BENCH_CPU_PROF=<dir>: each child writes a V8 CPU profile there when it exits (node --cpu-prof).
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`]
    : [];
  const child = spawn(process.execPath, [...profile, ...loader, script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start: ${out}`)), 60_000);
    child.stdout!.on('data', () => {
      const match = /(?:listening|Urząd OnLine:) (http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`${script} exited ${code}: ${out}`)));
  });
  return {
    process: child,
    url,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/** Peak resident set size of a process so far (VmHWM), in MB. */
/** The process and its descendants now alive (a server with `WORKERS` forks its workers). */
function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i += 1) {
    let tasks: string[] = [];
    try {
      tasks = fs.readdirSync(`/proc/${pids[i]}/task`);
    } catch {
      continue; // exited meanwhile
    }
    for (const task of tasks) {
      try {
        const children = fs.readFileSync(`/proc/${pids[i]}/task/${task}/children`, 'utf8').trim();
        if (children) pids.push(...children.split(' ').map(Number));
      } catch {
        // the thread ended meanwhile
      }
    }
  }
  return pids;
}

/** The peak resident memory of the process and its descendants, summed, in MB. */
export function peakRssMb(pid: number): number {
  let kb = 0;
  for (const p of processTree(pid)) {
    try {
      kb += Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // exited meanwhile
    }
  }
  return kb / 1024;
}

/**
 * CPU time (user + system) the process and its descendants now alive have used so far, in
 * seconds (Linux clock ticks of 1/100 s).
 */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces), from its closing parenthesis.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited meanwhile
    }
  }
  return ticks / 100;
}

/** The load averages over 1, 5 and 15 minutes, as a shared machine's figures must be read with. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * One load run. Throughput and latencies count only the answers with the expected status; the
 * others (refusals, errors, dropped connections as status 0) are counted apart in `errors`.
 */
export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  statuses: Record<number, number>;
}

/**
 * Sends requests from `concurrency` loops until `count` requests are done or `seconds` pass.
 * `make(i)` returns the request options and body of the i-th request (and, to spread the load
 * over several servers, the base URL it goes to instead of `url`).
 */
export async function load(
  url: string,
  make: (i: number) => {
    path: string;
    method?: string;
    headers: Record<string, string>;
    body?: Buffer;
    url?: string;
  },
  options: { concurrency: number; count?: number; seconds?: number; expect: number },
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  let errors = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + (options.seconds ?? 3600) * 1000;
  const limit = options.count ?? Number.MAX_SAFE_INTEGER;
  async function one(i: number): Promise<void> {
    const req = make(i);
    const target = new URL(req.url ?? url);
    const t0 = process.hrtime.bigint();
    const status = await new Promise<number>((resolve) => {
      const r = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: req.path,
          method: req.method ?? 'POST',
          headers: req.headers,
          agent,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      r.on('error', () => resolve(0));
      r.end(req.body);
    });
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === options.expect) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    else errors += 1;
  }
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < limit && Date.now() < deadline) await one(next++);
    }),
  );
  agent.destroy();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length + errors,
    errors,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    statuses,
  };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Medians over rounds of throughput and latencies; requests, errors and statuses summed. */
export function medianOf(rounds: LoadResult[]): LoadResult {
  const statuses: Record<number, number> = {};
  for (const r of rounds)
    for (const [status, count] of Object.entries(r.statuses))
      statuses[Number(status)] = (statuses[Number(status)] ?? 0) + count;
  return {
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    seconds: rounds.reduce((sum, r) => sum + r.seconds, 0),
    perSecond: median(rounds.map((r) => r.perSecond)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    statuses,
  };
}

/** Rounds of a benchmark, `BENCH_ROUNDS` (default 5). */
export const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));

/**
 * Runs the cases in interleaved rounds (A B, B A, A B, …), so that a change in the machine's
 * load during the run falls on both alike, and returns the median of each case's rounds.
 */
export async function interleaved<K extends string>(
  rounds: number,
  cases: Record<K, () => Promise<LoadResult>>,
): Promise<Record<K, LoadResult>> {
  const names = Object.keys(cases) as K[];
  const results = new Map<K, LoadResult[]>(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) results.get(name)!.push(await cases[name]());
  }
  return Object.fromEntries(names.map((name) => [name, medianOf(results.get(name)!)])) as Record<
    K,
    LoadResult
  >;
}

/** A multipart/form-data body built once, so the load generator spends no time on it. */
export function multipartBody(
  parts: { field: string; name?: string; type?: string; content: Buffer | string }[],
): { body: Buffer; contentType: string } {
  const boundary = `----bench${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.name
      ? `form-data; name="${part.field}"; filename="${part.name}"`
      : `form-data; name="${part.field}"`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`,
      ),
    );
    chunks.push(Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node.js ${process.version}`;
}

export const fmt = (n: number, digits = 1): string => n.toFixed(digits);

/** The secret from the output of `tokens create` (its id, then `token: <secret>`). */
export function tokenSecret(output: string): string {
  const secret = /^token: (\S+)$/m.exec(output)?.[1];
  if (!secret) throw new Error(`tokens create printed no token: ${output}`);
  return secret;
}

/**
 * A throwaway installation on embedded defaults for a benchmark: its own data directory with the
 * demo data, tokens made through the command line, and `serve` started as a child process. The
 * per-token rate limit, which protects other tokens in production, is lifted: the benchmark is
 * the only client.
 */
export class BenchInstallation {
  readonly dataDir: string;
  readonly env: Record<string, string>;

  constructor(name: string, env: Record<string, string> = {}) {
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
    this.env = {
      DATA_DIR: this.dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      API_RATE_LIMIT_PER_MINUTE: '1000000',
      ...env,
    };
    this.cli(['demo']);
  }

  cli(args: string[]): string {
    return execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, ...this.env },
      encoding: 'utf8',
    }).trim();
  }

  token(scope: 'submit' | 'pull' | 'deliver' | 'admin'): string {
    return tokenSecret(
      this.cli(['tokens', 'create', '--office', 'umczestochowa', '--scope', scope, '--name', 'Benchmark']),
    );
  }

  serve(): Promise<Child> {
    return startChild(SERVER, ['serve'], this.env);
  }

  remove(): void {
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Logs in as the demo clerk over HTTP (demo data made with `password`); returns the Cookie header. */
export async function logInAsClerk(url: string, password: string, demoOutput: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...rest] = pair!.split('=');
      jar.set(name!, rest.join('='));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const post = async (path: string, fields: Record<string, string>): Promise<Response> => {
    const form = await fetch(`${url}${path}`, { headers: { cookie: cookie() } });
    keep(form);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
    if (res.status !== 303) throw new Error(`${path}: ${res.status}`);
    keep(res);
    return res;
  };
  const login = await post('/logowanie', { email: CLERK, password });
  // Staff pages need the second factor: the code from the secret `demo` printed for the clerk.
  if (login.headers.get('location') === '/logowanie/kod') {
    const secret = new RegExp(`^totp secret ${CLERK}: (\\S+)$`, 'm').exec(demoOutput)?.[1];
    if (!secret) throw new Error(`no totp secret for ${CLERK} in the demo's output`);
    await post('/logowanie/kod', { code: currentTotp({ clock: systemClock }, secret) });
  }
  return cookie();
}

const CLERK = 'urzednik@example.pl';
