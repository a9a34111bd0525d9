import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startJobRunner } from '../../src/adapters/job-runner';
import type { ClaimedJob } from '../../src/services/jobs';

const job = (id: string): ClaimedJob => ({ id, kind: 'k', payload: null, attempt: 1, runAt: '' });

describe('job runner loop', () => {
  test('a job that hangs holds one slot; the others keep flowing, and a full claim claims again at once', async () => {
    const queue = [job('hang'), ...Array.from({ length: 30 }, (_, i) => job(`j${i}`))];
    const done: string[] = [];
    let release: () => void = () => undefined;
    const hanging = new Promise<void>((resolve) => (release = resolve));
    const runner = startJobRunner({
      claim: async (limit) => queue.splice(0, limit),
      run: async (j) => {
        if (j.id === 'hang') return hanging;
        await new Promise((resolve) => setTimeout(resolve, 5));
        done.push(j.id);
      },
      concurrency: 3,
      // A long tick: only the immediate re-claims can drain 30 jobs in time.
      pollMs: 1000,
      onError: (error) => assert.fail(String(error)),
    });
    const started = Date.now();
    while (done.length < 30 && Date.now() - started < 5000)
      await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(done.length, 30, 'every other job ran while one hung');
    assert.ok(Date.now() - started < 2500, `drained without waiting for ticks (${Date.now() - started} ms)`);
    const stopping = runner.stop();
    let stopped = false;
    void stopping.then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(stopped, false, 'stop waits for the job in flight');
    release();
    await stopping;
  });
});
