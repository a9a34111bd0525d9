import { createHash, randomUUID } from 'node:crypto';
import { createServiceLayer } from '../src/app';
import { UrzadClient } from '../src/client/index';
import { indexDocumentWords } from '../src/services/box-search';
import { loadConfig } from '../src/config';
import { BenchInstallation, fmt, machine } from './lib';

/**
 * Draining a box: 10,000 pending documents taken by 8 concurrent pullers through the API
 * (next + ack), on embedded defaults. Checks that no document is handed to two pullers and
 * none is lost. Target: ≥ 1,000 documents/s acknowledged.
 */
const DOCUMENTS = Number(process.env.BENCH_PULL_DOCUMENTS ?? 10_000);
const PULLERS = 8;
const TARGET = 1000;

async function seed(dataDir: string): Promise<void> {
  // Rows straight into the database: the benchmark measures the queue, not filing.
  const { database } = await createServiceLayer(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }));
  const now = new Date().toISOString();
  try {
    for (let start = 0; start < DOCUMENTS; start += 500) {
      await database.db.transaction().execute(async (tx) => {
        for (let i = start; i < Math.min(start + 500, DOCUMENTS); i++) {
          const id = randomUUID();
          const sha = createHash('sha256').update(`document ${i}`).digest('hex');
          await tx
            .insertInto('documents')
            .values({
              id,
              office_id: 'umczestochowa',
              box_name: 'skrytka',
              sender_type: 'token',
              sender_ref: 'bench',
              sender_name: 'Benchmark',
              title: `Pismo ${i}`,
              kind: null,
              status: 'received',
              received_at: now,
              main_sha256: sha,
              total_size: 10,
              file_count: 1,
              signature_status: 'none',
              signature_report: null,
              idempotency_key: null,
              request_digest: null,
              receipt_id: randomUUID(),
              seq: 1_000_000 + i,
              acked_at: null,
              lease_until: null,
              lease_owner: null,
            })
            .execute();
          await tx
            .insertInto('document_files')
            .values({
              document_id: id,
              position: 0,
              role: 'main',
              name: `d${i}.pdf`,
              media_type: 'application/pdf',
              format_id: 'pdf',
              size: 10,
              sha256: sha,
              findings: '[]',
            })
            .execute();
          await indexDocumentWords(tx, database.dialect, {
            officeId: 'umczestochowa',
            seq: 1_000_000 + i,
            title: `Pismo ${i}`,
            senderName: 'Benchmark',
          });
        }
      });
    }
  } finally {
    await database.close();
  }
}

export async function benchPull(): Promise<void> {
  console.log(`# pull queue — ${machine()}`);
  const installation = new BenchInstallation('pull');
  const dataDir = installation.dataDir;
  await seed(dataDir);
  const token = installation.token('pull');
  const child = await installation.serve();
  try {
    const client = new UrzadClient({ baseUrl: child.url, token });
    const taken: string[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: PULLERS }, async () => {
        for (;;) {
          const next = await client.next('umczestochowa', 'skrytka');
          if (!next.document) return;
          taken.push(next.document.documentId);
          await client.ack(next.document.documentId, next.document.files[0]!.sha256);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const unique = new Set(taken).size;
    const pending = await client.pendingCount('umczestochowa', 'skrytka');
    const perSecond = taken.length / seconds;
    console.log(
      `  ${DOCUMENTS} documents, ${PULLERS} pullers: ${fmt(perSecond)} acknowledged/s in ${fmt(seconds, 1)} s`,
    );
    console.log(
      `  handed out ${taken.length}, distinct ${unique}, duplicates ${taken.length - unique}, still pending ${pending}`,
    );
    console.log(`  ratio to the target of ${TARGET}/s: ${fmt(perSecond / TARGET, 2)}`);
    if (unique !== taken.length || unique !== DOCUMENTS || pending !== 0)
      throw new Error('pull benchmark: duplicates or losses');
  } finally {
    await child.stop();
    installation.remove();
  }
}
