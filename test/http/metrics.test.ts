import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listenLocally, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';

const METRICS_TOKEN = 'metryki-'.repeat(5);

/** One sample of the exposition: `name{labels} value`, labels as written. */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    assert.ok(match, `not an exposition line: ${line}`);
    samples.set(match[1]!, Number(match[2]));
  }
  return samples;
}

for (const dialect of testDialects()) {
  describe(`/metrics (${dialect})`, () => {
    let app: TestApp;
    let base: string;
    let token: string;

    before(async () => {
      app = await startTestApp(dialect, { demo: true, env: { METRICS_TOKEN } });
      base = await listenLocally(app);
      token = (
        await app.services.createIntegrationToken({
          officeId: 'umczestochowa',
          scope: 'submit',
          name: 'Metryki',
        })
      ).token;
    });
    after(async () => app?.dispose());

    const scrape = async () => {
      const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      return parseExposition(await res.text());
    };
    const file = (body: FormData) =>
      fetch(`${base}/api/v1/boxes/umczestochowa/skrytka/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body,
      });

    test('refuses a scrape without the token (401) and with another token (403)', async () => {
      const none = await fetch(`${base}/metrics`);
      assert.equal(none.status, 401);
      assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.match(await none.text(), /METRICS_TOKEN/);
      // An integration token is not the metrics token.
      const other = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(other.status, 403);
      assert.doesNotMatch(await other.text(), /urzad_/);
    });

    test('counts filings, their bytes, commits and requests by route pattern; the log grows', async () => {
      const before = await scrape();
      const accepted = 'urzad_filings_total{outcome="accepted",reason=""}';
      const route = '/api/v1/boxes/:officeId/:boxName/documents';
      const requests = `urzad_http_request_duration_seconds_count{method="POST",route="${route}",status="201"}`;

      const body = new FormData();
      body.append(
        'document',
        new Blob([Buffer.from('Wniosek o metryki\n')], { type: 'text/plain' }),
        'wniosek.txt',
      );
      assert.equal((await file(body)).status, 201);
      const refused = await file(new FormData());
      assert.equal(refused.status, 422);
      const { code } = (await refused.json()) as { code: string };

      const now = await scrape();
      assert.equal((now.get(accepted) ?? 0) - (before.get(accepted) ?? 0), 1);
      assert.ok((now.get('urzad_filing_bytes_total{outcome="accepted",reason=""}') ?? 0) > 18);
      assert.equal(now.get(`urzad_filings_total{outcome="refused",reason="${code}"}`), 1);
      assert.equal((now.get(requests) ?? 0) - (before.get(requests) ?? 0), 1);
      // The route pattern, never the raw URL with its ids.
      assert.ok(![...now.keys()].some((k) => k.includes('umczestochowa')));
      assert.equal(
        (now.get('urzad_commit_batch_size_count') ?? 0) - (before.get('urzad_commit_batch_size_count') ?? 0),
        1,
      );
      assert.equal(now.get('urzad_log_size')! - before.get('urzad_log_size')!, 1);
      assert.ok(now.get('urzad_pull_queue_depth')! >= 1);
      assert.ok(now.has('urzad_jobs_pending') && now.has('urzad_webhook_deliveries_pending'));
      assert.ok(now.get('urzad_process_resident_memory_bytes')! > 0);

      // Every metric the Grafana dashboard in docs/ queries is one this node exposes.
      const dashboard = fs.readFileSync(
        path.join(import.meta.dirname, '../../docs/grafana-dashboard.json'),
        'utf8',
      );
      const exposed = [...now.keys()].map((k) => k.replace(/\{.*$/, ''));
      for (const name of new Set(dashboard.match(/urzad_[a-z0-9_]+/g)))
        assert.ok(exposed.includes(name), `the dashboard queries ${name}, which /metrics does not expose`);
    });
  });
}

describe('/metrics without METRICS_TOKEN', () => {
  test('is not there (404), so it is never public by default', async () => {
    const app = await startTestApp('sqlite');
    try {
      const res = await app.http.inject({ method: 'GET', url: '/metrics' });
      assert.equal(res.statusCode, 404);
    } finally {
      await app.dispose();
    }
  });
});
