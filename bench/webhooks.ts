import { UrzadClient } from '../src/client/index';
import { samplePdf } from '../test/helpers/sample-files';
import { WebhookReceiver } from '../test/helpers/webhook-receiver';
import { BenchInstallation, fmt, machine, percentile } from './lib';

/**
 * Webhook deliveries: 1,000 documents filed through the API by 8 senders; a local receiver
 * checks every signature. Figures: deliveries per second, and the time from the filing's answer
 * (the document is in the box) to the webhook's arrival.
 */
const DOCUMENTS = Number(process.env.BENCH_WEBHOOK_DOCUMENTS ?? 1000);
const SENDERS = 8;

export async function benchWebhooks(): Promise<void> {
  console.log(`# webhooks — ${machine()}`);
  const installation = new BenchInstallation('webhooks', { WEBHOOKS_ALLOW_PRIVATE: 'true' });
  const submit = installation.token('submit');
  const admin = installation.token('admin');
  const receiver = new WebhookReceiver();
  const hookUrl = await receiver.start();
  const child = await installation.serve();
  try {
    const endpoint = await new UrzadClient({ baseUrl: child.url, token: admin }).createWebhook(
      'umczestochowa',
      { url: hookUrl, events: ['document.received'] },
    );
    receiver.secret = endpoint.secret;
    const sender = new UrzadClient({ baseUrl: child.url, token: submit });
    const filedAt = new Map<string, number>();
    const pdf = samplePdf('Wniosek', 10 * 1024);
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (next < DOCUMENTS) {
          const i = next++;
          const filed = await sender.fileDocument({
            officeId: 'umczestochowa',
            boxName: 'skrytka',
            document: { name: `w${i}.pdf`, data: pdf, type: 'application/pdf' },
          });
          filedAt.set(filed.documentId, Date.now());
        }
      }),
    );
    const deadline = Date.now() + 120_000;
    while (receiver.received.length < DOCUMENTS && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const latencies = receiver.received
      .map(
        (hook) =>
          hook.receivedAt -
          (filedAt.get((JSON.parse(hook.body) as { data: { documentId: string } }).data.documentId) ?? NaN),
      )
      .sort((a, b) => a - b);
    const last = Math.max(...receiver.received.map((h) => h.receivedAt));
    const invalid = receiver.received.filter((h) => !h.signatureValid).length;
    const ids = new Set(receiver.received.map((h) => h.id)).size;
    console.log(
      `  ${DOCUMENTS} documents filed by ${SENDERS} senders in ${fmt((Date.now() - started) / 1000, 1)} s; webhooks received ${receiver.received.length} (distinct ids ${ids}), bad signatures ${invalid}`,
    );
    console.log(
      `  throughput ${fmt(receiver.received.length / ((last - started) / 1000))} deliveries/s (first filing to last webhook)`,
    );
    console.log(
      `  filing answered → webhook arrived: p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms (jobs polled every 500 ms)`,
    );
    if (receiver.received.length !== DOCUMENTS || invalid > 0)
      throw new Error('webhook benchmark: missing deliveries or bad signatures');
  } finally {
    await child.stop();
    await receiver.stop();
    installation.remove();
  }
}
