/**
 * How long each fuzz property runs. In `npm test` every property has a small fixed number of
 * runs (its `defaultRuns`), so the whole fuzz set stays within a few tens of seconds on two
 * cores. `npm run fuzz` (or the variables below) runs them longer:
 *
 * - `FUZZ_RUNS=n`: n runs per property;
 * - `FUZZ_SECONDS=s`: as many runs as fit in s seconds per property (wins over FUZZ_RUNS);
 * - `FUZZ_SEED=…` and `FUZZ_PATH=…`: replay the counterexample fast-check printed on a failure.
 *
 * fast-check prints the seed, the path and the shrunk counterexample of every failure.
 */
import type { Parameters } from 'fast-check';

const positive = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
};

export function fuzzParameters<T>(defaultRuns: number): Parameters<T> {
  const seconds = positive('FUZZ_SECONDS');
  const runs = positive('FUZZ_RUNS');
  const seed = process.env.FUZZ_SEED;
  // The failing assertion's message in the report, next to the seed, path and counterexample.
  const replay: Parameters<T> = {
    includeErrorInReport: true,
    ...(seed
      ? { seed: Number(seed), ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}) }
      : {}),
  };
  if (seconds !== undefined) {
    return {
      ...replay,
      numRuns: Number.MAX_SAFE_INTEGER,
      interruptAfterTimeLimit: seconds * 1000,
      markInterruptAsFailure: false,
    };
  }
  return { ...replay, numRuns: Math.round(runs ?? defaultRuns) };
}

/**
 * The CPU time one input may take. Generous, since even the process's own CPU time grows a
 * little on a busy machine (caches, the garbage collector); the inputs that matter (bombs, deep
 * nesting) finish in milliseconds or would take minutes, so the bound still tells them apart.
 */
export const PER_INPUT_MS = 2000;

/**
 * Runs `work` and fails when it took more than `bound` ms of CPU time; returns its result and time. An
 * input over the bound is run once more and fails only if it is slow again: a pause of the busy
 * machine (or of the garbage collector) does not repeat, a slow input does. `work` must be
 * repeatable.
 */
export async function timed<T>(
  work: () => Promise<T> | T,
  bound = PER_INPUT_MS,
): Promise<{ value: T; ms: number }> {
  // The process's own CPU time, not the wall clock: other work on a busy machine does not count.
  const run = async () => {
    const started = process.cpuUsage();
    const value = await work();
    const used = process.cpuUsage(started);
    return { value, ms: (used.user + used.system) / 1000 };
  };
  let result = await run();
  if (result.ms > bound) {
    const first = result.ms;
    result = await run();
    if (result.ms > bound)
      throw new Error(
        `took ${first.toFixed(0)} ms, then ${result.ms.toFixed(0)} ms, more than the bound of ${bound} ms`,
      );
  }
  slowest.ms = Math.max(slowest.ms, result.ms);
  return result;
}

/** The slowest input seen by `timed` in this file, printed by `reportSlowest`. */
const slowest = { ms: 0 };

export function reportSlowest(label: string): void {
  console.log(`# ${label}: slowest input ${slowest.ms.toFixed(1)} ms (bound ${PER_INPUT_MS} ms)`);
}
