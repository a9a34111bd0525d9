import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/ports/clock';
import { startTestApp, type TestApp } from '../helpers/app';

// Counters live in the database (the store's own test runs on both engines, and
// test/multi-node.test.ts shares a budget between nodes): one database is enough here.
describe('per-token rate limit of the API', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp('sqlite', {
      // Windows are fixed minutes: a clock that stands still keeps the test off their edges.
      clock: new ManualClock('2026-11-26T10:00:00.000Z'),
      demo: true,
      env: { API_RATE_LIMIT_PER_MINUTE: '5', JOBS_POLL_MS: '0' },
    });
  });
  after(async () => app.dispose());

  test('a token that exhausts its budget gets 429 with Retry-After; other tokens are unaffected', async () => {
    const greedy = (
      await app.services.createIntegrationToken({ officeId: 'umczestochowa', scope: 'pull', name: 'Greedy' })
    ).token;
    const polite = (
      await app.services.createIntegrationToken({ officeId: 'umczestochowa', scope: 'pull', name: 'Polite' })
    ).token;
    const count = (token: string) =>
      app.http.inject({
        url: '/api/v1/boxes/umczestochowa/skrytka/pending?lang=en',
        headers: { authorization: `Bearer ${token}` },
      });
    for (let i = 0; i < 5; i++) assert.equal((await count(greedy)).statusCode, 200);
    const refused = await count(greedy);
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${refused.headers['retry-after']}`);
    assert.equal((await count(polite)).statusCode, 200);
  });
});
