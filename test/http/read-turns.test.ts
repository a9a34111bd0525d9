import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { createReadTurns, registerReadTurns } from '../../src/http/read-turns';

/** Counts the turns of the event loop: one increment per check phase while it runs. */
function turnCounter(): { readonly now: number; stop(): void } {
  let turn = 0;
  let running = true;
  const tick = () => {
    turn += 1;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get now() {
      return turn;
    },
    stop() {
      running = false;
    },
  };
}

test('reads start one per turn of the event loop, in the order they came', async () => {
  const turns = createReadTurns();
  const counter = turnCounter();
  const started: Array<{ read: number; turn: number }> = [];
  await Promise.all(
    Array.from({ length: 6 }, async (_, read) => {
      await turns.turn();
      started.push({ read, turn: counter.now });
    }),
  );
  counter.stop();
  assert.deepEqual(
    started.map((s) => s.read),
    [0, 1, 2, 3, 4, 5],
  );
  assert.equal(new Set(started.map((s) => s.turn)).size, 6, `turns: ${JSON.stringify(started)}`);
  assert.equal(turns.waiting, 0);
});

test('GET requests take turns; POST requests and static assets do not wait for them', async () => {
  const app = Fastify();
  registerReadTurns(app);
  const counter = turnCounter();
  const seen: Array<{ route: string; turn: number }> = [];
  app.get('/page', async () => {
    seen.push({ route: 'page', turn: counter.now });
    return 'page';
  });
  app.get('/assets/app.css', async () => {
    seen.push({ route: 'asset', turn: counter.now });
    return 'css';
  });
  app.post('/filing', async () => {
    seen.push({ route: 'filing', turn: counter.now });
    return 'filed';
  });
  await app.ready();
  const first = counter.now;
  const answers = await Promise.all([
    ...Array.from({ length: 5 }, () => app.inject({ method: 'GET', url: '/page' })),
    app.inject({ method: 'POST', url: '/filing' }),
    app.inject({ method: 'GET', url: '/assets/app.css' }),
  ]);
  counter.stop();
  await app.close();
  assert.deepEqual(
    answers.map((a) => a.statusCode),
    [200, 200, 200, 200, 200, 200, 200],
  );
  const pages = seen.filter((s) => s.route === 'page').map((s) => s.turn);
  assert.equal(new Set(pages).size, 5, `pages started in turns ${pages.join(', ')}`);
  // The filing and the asset were handled before the second page started.
  const filing = seen.find((s) => s.route === 'filing')!;
  const asset = seen.find((s) => s.route === 'asset')!;
  assert.ok(filing.turn <= pages[1]! && asset.turn <= pages[1]!, JSON.stringify({ first, seen }));
  assert.ok(seen.indexOf(filing) < seen.findIndex((s) => s.turn === pages[1]));
});
