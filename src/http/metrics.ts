import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { onCommitBatch } from '../services/commit-batches';
import type { Services } from '../services/index';

/** The API's filing route: its answers count as filings accepted (201) or refused (by code). */
const FILING_ROUTE = 'POST /api/v1/boxes/:officeId/:boxName/documents';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `/metrics` in Prometheus' text format (docs/operations.md): requests by route pattern (never
 * the raw URL, which carries ids), filings and their bytes accepted and refused by problem
 * code, filings per durable commit, the queues, the log and the process. Read only with
 * `Authorization: Bearer <METRICS_TOKEN>`; without the setting the route answers 404.
 * One registry per app, so several apps in one process (tests) keep their own counts.
 */
export function registerMetrics(
  app: FastifyInstance,
  services: Services,
  metricsToken: string | undefined,
): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'urzad_' });
  const requests = new Histogram({
    name: 'urzad_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status, with their duration',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const filings = new Counter({
    name: 'urzad_filings_total',
    help: 'Filings through the API: accepted, or refused with the problem code as reason',
    labelNames: ['outcome', 'reason'] as const,
    registers: [registry],
  });
  const filingBytes = new Counter({
    name: 'urzad_filing_bytes_total',
    help: 'Request bytes of the filings counted in urzad_filings_total',
    labelNames: ['outcome', 'reason'] as const,
    registers: [registry],
  });
  const commitBatches = new Histogram({
    name: 'urzad_commit_batch_size',
    help: 'Filings carried by each durable commit',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128],
    registers: [registry],
  });
  const stopListening = onCommitBatch((n) => commitBatches.observe(n));
  app.addHook('onClose', async () => stopListening());

  // Read from the database at each scrape; one query per gauge set, shared by the gauges.
  let pending: ReturnType<Services['operationalGauges']> | undefined;
  const gauges = () => (pending ??= services.operationalGauges().finally(() => (pending = undefined)));
  const gauge = (
    name: string,
    help: string,
    read: (g: Awaited<ReturnType<typeof gauges>>) => number | undefined,
  ) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        // NaN, not 0, when there is nothing to measure (no checkpoint yet): 0 would look healthy.
        this.set(read(await gauges()) ?? Number.NaN);
      },
    });
  gauge(
    'urzad_pull_queue_depth',
    'Documents not yet acknowledged by an office system (pull API)',
    (g) => g.pullPending,
  );
  gauge('urzad_jobs_pending', 'Background jobs not finished', (g) => g.jobsPending);
  gauge(
    'urzad_webhook_deliveries_pending',
    'Webhook deliveries still to be made or retried',
    (g) => g.webhooksPending,
  );
  gauge('urzad_log_size', 'Entries in the transparency log', (g) => g.logSize);
  gauge(
    'urzad_checkpoint_age_seconds',
    'Seconds since the newest signed checkpoint',
    (g) => g.checkpointAgeSeconds,
  );

  // The refusal's problem code, read from the body as it leaves (problem details carry `code`).
  const refusalCodes = new WeakMap<object, string>();
  app.addHook('onSend', async (request, reply, payload) => {
    if (
      `${request.method} ${request.routeOptions.url}` === FILING_ROUTE &&
      reply.statusCode !== 201 &&
      typeof payload === 'string'
    ) {
      try {
        const code = (JSON.parse(payload) as { code?: unknown }).code;
        if (typeof code === 'string' && /^[a-z0-9_.-]{1,64}$/.test(code)) refusalCodes.set(request, code);
      } catch {
        // Not problem details: the status stands for the reason.
      }
    }
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const pattern = request.routeOptions.url;
    // Not found: one label for all of them, so random URLs cannot grow the series without end.
    const route = pattern ?? 'unmatched';
    const status = String(reply.statusCode);
    requests.observe({ method: request.method, route, status }, reply.elapsedTime / 1000);
    if (`${request.method} ${route}` === FILING_ROUTE) {
      const accepted = reply.statusCode === 201;
      const labels = {
        outcome: accepted ? 'accepted' : 'refused',
        reason: accepted ? '' : (refusalCodes.get(request) ?? status),
      };
      filings.inc(labels);
      filingBytes.inc(labels, Number(request.headers['content-length'] ?? 0) || 0);
    }
  });

  app.get(
    '/metrics',
    // Public to the access layer: the token below (not an account or integration token) decides.
    { config: { access: 'public' }, logLevel: 'warn' },
    async (request, reply) => {
      if (!metricsToken) return reply.callNotFound();
      const auth = request.headers.authorization ?? '';
      const given = /^Bearer (.+)$/.exec(auth)?.[1];
      if (!given) {
        return reply
          .status(401)
          .header('www-authenticate', 'Bearer realm="metrics"')
          .header('cache-control', 'no-store')
          .type('text/plain; charset=utf-8')
          .send(
            '401: /metrics needs Authorization: Bearer <METRICS_TOKEN> / wymaga nagłówka Authorization\n',
          );
      }
      if (!sameSecret(given, metricsToken)) {
        return reply
          .status(403)
          .header('cache-control', 'no-store')
          .type('text/plain; charset=utf-8')
          .send('403: this token does not read /metrics / ten token nie odczytuje /metrics\n');
      }
      return reply
        .header('cache-control', 'no-store')
        .type(registry.contentType)
        .send(await registry.metrics());
    },
  );
}
