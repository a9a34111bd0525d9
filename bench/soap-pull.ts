import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, randomUUID, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServiceLayer } from '../src/app';
import { UrzadClient } from '../src/client/index';
import { loadConfig } from '../src/config';
import { signedEnvelope } from '../src/http/soap/ws-security';
import { BenchInstallation, fmt, machine, median, ROUNDS, type Child } from './lib';

/**
 * Draining a box through ePUAP's SOAP pull service (pobierzNastepny + potwierdzOdebranie, every
 * request signed with WS-Security, every answer sealed) beside the REST pull queue, in the
 * same run on the same installation: 5,000 documents each way, 8 connectors, in interleaved
 * rounds (`BENCH_ROUNDS`). Target: SOAP at least half the REST rate.
 */
const DOCUMENTS = Number(process.env.BENCH_SOAP_DOCUMENTS ?? 5_000);
const CONNECTORS = 8;
const TARGET_RATIO = 0.5;
const OBJ = 'http://wsdl.epuap.gov.pl/obiekty/';
const BOX = '/umczestochowa/skrytka';

async function seed(dataDir: string, count: number): Promise<void> {
  // Rows straight into the database with real files: the benchmark measures the queue.
  const { database, deps } = await createServiceLayer(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }));
  const now = new Date().toISOString();
  try {
    const blobs = await Promise.all(
      Array.from({ length: 50 }, (_, i) => deps.blobs.put(Buffer.from(`%PDF-1.4 dokument ${i}\n`))),
    );
    const last = await database.db
      .selectFrom('documents')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    const base = Number(last?.seq ?? 0) + 1_000_000;
    for (let start = 0; start < count; start += 500) {
      await database.db.transaction().execute(async (tx) => {
        for (let i = start; i < Math.min(start + 500, count); i++) {
          const id = randomUUID();
          const blob = blobs[i % blobs.length]!;
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
              main_sha256: blob.sha256,
              total_size: blob.size,
              file_count: 1,
              signature_status: 'none',
              signature_report: null,
              idempotency_key: null,
              request_digest: null,
              receipt_id: randomUUID(),
              seq: base + i,
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
              size: blob.size,
              sha256: blob.sha256,
              findings: '[]',
            })
            .execute();
        }
      });
    }
  } finally {
    await database.close();
  }
}

async function drainRest(url: string, token: string): Promise<{ taken: string[]; seconds: number }> {
  const client = new UrzadClient({ baseUrl: url, token });
  const taken: string[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTORS }, async () => {
      for (;;) {
        const next = await client.next('umczestochowa', 'skrytka');
        if (!next.document) return;
        taken.push(next.document.documentId);
        await client.ack(next.document.documentId, next.document.files[0]!.sha256);
      }
    }),
  );
  return { taken, seconds: (performance.now() - started) / 1000 };
}

async function drainSoap(
  url: string,
  signer: Parameters<typeof signedEnvelope>[1],
): Promise<{ taken: string[]; seconds: number }> {
  const call = async (body: string): Promise<string> => {
    const res = await fetch(`${url}/pk_external_ws/services/pull`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: signedEnvelope(body, signer, new Date()),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`SOAP ${res.status}: ${text.slice(-400)}`);
    return text;
  };
  const request = (name: string, extra = '') =>
    `<ob:${name} xmlns:ob="${OBJ}"><podmiot>umczestochowa</podmiot><nazwaSkrytki>skrytka</nazwaSkrytki><adresSkrytki>${BOX}</adresSkrytki>${extra}</ob:${name}>`;
  const taken: string[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTORS }, async () => {
      for (;;) {
        const answer = await call(request('ZapytaniePullPobierz'));
        const content = /<zawartosc>([^<]*)<\/zawartosc>/.exec(answer)?.[1];
        if (!content) return;
        const extra = Buffer.from(/<daneDodatkowe>([^<]*)</.exec(answer)?.[1] ?? '', 'base64').toString();
        taken.push(/<IdentyfikatorDokumentu>([^<]*)</.exec(extra)?.[1] ?? '');
        const skrot = createHash('sha1').update(Buffer.from(content, 'base64')).digest('base64');
        const ack = await call(request('ZapytaniePullPotwierdz', `<skrot>${skrot}</skrot>`));
        if (!/<kod>1<\/kod>/.test(ack)) throw new Error('acknowledgement refused');
      }
    }),
  );
  return { taken, seconds: (performance.now() - started) / 1000 };
}

export async function benchSoapPull(): Promise<void> {
  console.log(`# SOAP pull (ePUAP-compatible) beside REST pull — ${machine()}`);
  const installation = new BenchInstallation('soap-pull');
  const keyFile = path.join(installation.dataDir, 'ezd.key');
  const certFile = path.join(installation.dataDir, 'ezd.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=EZD benchmark',
    ],
    { stdio: 'ignore' },
  );
  installation.cli(['systems', 'add', '--office', 'umczestochowa', '--name', 'EZD', '--cert', certFile]);
  const certificatePem = fs.readFileSync(certFile, 'utf8');
  const signer = {
    privateKey: createPrivateKey(fs.readFileSync(keyFile)),
    certificatePem,
    chainPem: certificatePem,
    certificateDer: new X509Certificate(certificatePem).raw,
    caPem: certificatePem,
  };
  const token = installation.token('pull');
  // Everything the demo left pending goes first, uncounted, so each drain takes exactly what was seeded.
  let child: Child | undefined = await installation.serve();
  const perRound = Math.ceil(DOCUMENTS / ROUNDS);
  const drains = {
    REST: (url: string) => drainRest(url, token),
    SOAP: (url: string) => drainSoap(url, signer),
  };
  const rates: Record<keyof typeof drains, number[]> = { REST: [], SOAP: [] };
  const ratios: number[] = [];
  const soapTaken: string[] = [];
  let restTaken = 0;
  try {
    await drainRest(child.url, token);
    await child.stop();
    child = undefined;
    // Interleaved rounds (REST then SOAP, SOAP then REST, …) on a fresh seed each, so a change in
    // the machine's load falls on both alike; the figures are the medians of the rounds.
    for (let round = 0; round < ROUNDS; round += 1) {
      const order: (keyof typeof drains)[] = round % 2 === 0 ? ['REST', 'SOAP'] : ['SOAP', 'REST'];
      const rate: Partial<Record<keyof typeof drains, number>> = {};
      for (const kind of order) {
        await seed(installation.dataDir, perRound);
        child = await installation.serve();
        const drained = await drains[kind](child.url);
        await child.stop();
        child = undefined;
        if (drained.taken.length !== perRound)
          throw new Error(`${kind} drained ${drained.taken.length} of ${perRound} documents`);
        if (kind === 'SOAP') soapTaken.push(...drained.taken);
        else restTaken += drained.taken.length;
        rate[kind] = drained.taken.length / drained.seconds;
        rates[kind].push(rate[kind]);
      }
      ratios.push(rate.SOAP! / rate.REST!);
      console.log(
        `  round ${round + 1}: REST ${fmt(rate.REST!)}/s, SOAP ${fmt(rate.SOAP!)}/s, ratio ${fmt(rate.SOAP! / rate.REST!, 2)} (load average ${fmt(os.loadavg()[0]!)})`,
      );
    }
    const unique = new Set(soapTaken).size;
    console.log(
      `  REST: ${restTaken} documents in ${ROUNDS} rounds, ${CONNECTORS} pullers: median ${fmt(median(rates.REST))}/s`,
    );
    console.log(
      `  SOAP: ${soapTaken.length} documents in ${ROUNDS} rounds, ${CONNECTORS} connectors: median ${fmt(median(rates.SOAP))}/s`,
    );
    console.log(
      `  SOAP handed out ${soapTaken.length}, distinct ${unique}, duplicates ${soapTaken.length - unique}`,
    );
    console.log(`  ratio SOAP/REST: median ${fmt(median(ratios), 2)} (target ≥ ${TARGET_RATIO})`);
    if (unique !== soapTaken.length) throw new Error('SOAP pull benchmark: a document handed out twice');
  } finally {
    await child?.stop();
    installation.remove();
  }
}
