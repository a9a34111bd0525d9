import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedPerTurn } from '../../src/services/shared-per-turn';

test('loads asked for in one turn share one load per key; a later ask loads again', async () => {
  const loads: string[] = [];
  let version = 1;
  const load = sharedPerTurn(async (key) => {
    loads.push(key);
    return `${key}@${version}`;
  });
  const first = await Promise.all([load('a'), load('a'), load('b'), load('a')]);
  assert.deepEqual(first, ['a@1', 'a@1', 'b@1', 'a@1']);
  assert.deepEqual(loads.sort(), ['a', 'b']);
  // Nothing is kept: what changed since is seen by the next ask.
  version = 2;
  assert.equal(await load('a'), 'a@2');
  assert.equal(loads.length, 3);
});

test('a failed load fails the callers that shared it, and the next ask loads again', async () => {
  let fail = true;
  const load = sharedPerTurn(async (key) => {
    if (fail) throw new Error(`no ${key}`);
    return key;
  });
  const answers = await Promise.allSettled([load('x'), load('x')]);
  assert.deepEqual(
    answers.map((a) => a.status),
    ['rejected', 'rejected'],
  );
  fail = false;
  assert.equal(await load('x'), 'x');
});
