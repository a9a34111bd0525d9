import { isLiveSession } from '../src/services/sessions';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import CSRF from '@fastify/csrf';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { createApp, type App } from '../src/app';
import { loadConfig } from '../src/config';
import { deliverLetter } from '../src/services/deliver-letter';
import { submitDocument } from '../src/services/submit-document';
import { registerTestApp } from '../test/helpers/staff-second-factor';
import { WebClient } from '../test/helpers/web-client';
import { seed } from './box';
import { fmt, machine } from './lib';

/**
 * CPU time per page (issue 16: the box, the resident's lists and the portal in ≤ 2 ms each).
 * The app runs in this process and answers through `inject` (no sockets); process.cpuUsage()
 * around N sequential requests, divided by N, is the CPU one page costs (every thread: the
 * main one, SQLite's queries on it, the garbage collector's helpers). The floor is a bare
 * Fastify route answering a static HTML of the box page's size through the same `inject`,
 * in the same rounds. Session lookup and CSRF token creation, which every logged-in page
 * pays, are measured apart.
 *   npm run bench -- pages                                   (SQLite)
 *   BENCH_DATABASE_URL=postgres://… npm run bench -- pages   (PostgreSQL too, in a schema of its own)
 * PAGES_REQUESTS (default 300) requests per page per round, PAGES_ROUNDS (default 5) rounds.
 */
const REQUESTS = Number(process.env.PAGES_REQUESTS ?? 300);
const ROUNDS = Number(process.env.PAGES_ROUNDS ?? 5);
const TARGET_MS = 2;
const PASSWORD = 'bench-password-123';
const OFFICE = 'umczestochowa';
/** Enough for a full box page (50 rows) with more behind it, and for the resident's lists. */
const BOX_DOCUMENTS = 500;
const RESIDENT_LETTERS = 30;
const RESIDENT_DELIVERIES = 15;

interface Page {
  label: string;
  url: string;
  /** The Cookie header of the person looking (none for the public pages). */
  cookie: string;
}

/**
 * Logs in through the login form, as a browser would (a member of staff also gives the second
 * factor); returns the Cookie header, with consent given.
 */
async function logIn(app: App, email: string): Promise<string> {
  registerTestApp(app);
  const client = new WebClient(app.http);
  client.cookies = 'cookie_consent=accepted';
  const res = await client.logIn(email, PASSWORD);
  if (res.statusCode !== 303) throw new Error(`login of ${email} failed: ${res.statusCode}`);
  return client.cookies;
}

/** The resident's letters and deliveries, filed and sent through the services. */
async function seedResident(app: App): Promise<void> {
  const accounts = await app.database.db
    .selectFrom('accounts')
    .select(['id', 'email', 'display_name'])
    .where('email', 'in', ['mieszkaniec@example.pl', 'urzednik@example.pl'])
    .execute();
  const resident = accounts.find((a) => a.email === 'mieszkaniec@example.pl')!;
  const clerk = accounts.find((a) => a.email === 'urzednik@example.pl')!;
  for (let i = 0; i < RESIDENT_LETTERS; i += 1)
    await submitDocument(app.deps, {
      officeId: OFFICE,
      boxName: 'skrytka',
      sender: { type: 'account', ref: resident.id, name: 'Jan Kowalski' },
      files: [
        {
          field: 'document',
          name: 'pismo.txt',
          staged: await app.deps.blobs.stage(Buffer.from(`Pismo nr ${i} <&> "cudzysłów"`)),
        },
      ],
      title: `Wniosek nr ${i} o wydanie zaświadczenia <b>&</b>`,
      kind: 'podanie',
      idempotencyKey: `bench-pages-letter-${i}`,
    });
  for (let i = 0; i < RESIDENT_DELIVERIES; i += 1)
    await deliverLetter(app.deps, {
      officeId: OFFICE,
      sender: { type: 'account', ref: clerk.id, name: clerk.display_name },
      recipientAccountId: resident.id,
      title: `Zawiadomienie nr ${i} w sprawie podatku`,
      files: [
        {
          field: 'document',
          name: 'zawiadomienie.txt',
          staged: await app.deps.blobs.stage(Buffer.from(`Zawiadomienie ${i}`)),
        },
      ],
    });
}

/** CPU milliseconds per call of `run`, over `times` sequential calls. */
async function cpuPerCall(run: () => Promise<unknown> | unknown, times: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < times; i += 1) await run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / times;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** A bare Fastify answering a fixed HTML of `size` bytes, as the floor. */
async function floorApp(size: number): Promise<FastifyInstance> {
  const floor = Fastify({ logger: false });
  const html = `<!DOCTYPE html><html><body>${'x'.repeat(Math.max(0, size - 40))}</body></html>`;
  floor.get('/', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html),
  );
  await floor.ready();
  return floor;
}

async function benchOn(label: string, env: Record<string, string>, pgSchema?: string): Promise<void> {
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_MINUTE: '1000000' });
  const app = await createApp({ config, ...(pgSchema ? { pgSchema } : {}) });
  try {
    await app.services.createDemoData({ password: PASSWORD });
    await seed(app.database.db, app.database.dialect, BOX_DOCUMENTS);
    await seedResident(app);
    const clerk = await logIn(app, 'urzednik@example.pl');
    const resident = await logIn(app, 'mieszkaniec@example.pl');
    const pages: Page[] = [
      { label: "clerk's box (50 rows)", url: `/urzad/${OFFICE}/skrzynka`, cookie: clerk },
      { label: `resident's letters (${RESIDENT_LETTERS + 3})`, url: '/pisma', cookie: resident },
      { label: `resident's inbox (${RESIDENT_DELIVERIES + 1} + sent)`, url: '/skrzynka', cookie: resident },
      { label: 'portal home', url: '/', cookie: 'cookie_consent=accepted' },
      { label: "office's ESP page", url: `/esp/${OFFICE}`, cookie: 'cookie_consent=accepted' },
    ];
    const sizes = new Map<string, number>();
    for (const page of pages) {
      const res = await app.http.inject({ method: 'GET', url: page.url, headers: { cookie: page.cookie } });
      if (res.statusCode !== 200) throw new Error(`${page.label}: ${res.statusCode}`);
      sizes.set(page.label, res.rawPayload.length);
    }
    const floor = await floorApp(sizes.get(pages[0]!.label)!);
    const cases: { label: string; run: () => Promise<unknown> }[] = [
      ...pages.map((page) => ({
        label: page.label,
        run: async () => {
          const res = await app.http.inject({
            method: 'GET',
            url: page.url,
            headers: { cookie: page.cookie },
          });
          if (res.statusCode !== 200) throw new Error(`${page.label}: ${res.statusCode}`);
        },
      })),
      { label: 'floor: bare Fastify, static HTML of the box page size', run: () => floor.inject('/') },
    ];
    // What every logged-in page pays: the session behind the cookie, and a CSRF token (the
    // signed secret cookie read back, a token derived from it), as @fastify/csrf-protection does.
    const sessionToken = /(?:^|; )session=([^;]+)/.exec(clerk)?.[1] ?? '';
    const tokens = new CSRF({});
    const signer = fastifyCookie.signerFactory(randomBytes(32).toString('hex'));
    const signedSecret = signer.sign(tokens.secretSync());
    // And the queries behind each list, without HTTP and rendering.
    const residentSession = await app.services.loadSession(/(?:^|; )session=([^;]+)/.exec(resident)?.[1]);
    if (!isLiveSession(residentSession)) throw new Error('the resident is not logged in');
    const residentId = residentSession.principal.accountId;
    const parts: { label: string; run: () => Promise<unknown> | unknown }[] = [
      {
        label: "box's queries (getOffice + listBox)",
        run: async () => app.services.listBox((await app.services.getOffice(OFFICE)).id, {}),
      },
      { label: "letters' query (listLetters)", run: () => app.services.listLetters(residentId) },
      {
        label: "inbox's queries (listResidentDeliveries + listSentLetters)",
        run: () =>
          Promise.all([
            app.services.listResidentDeliveries(residentId),
            app.services.listSentLetters(residentId),
          ]),
      },
      { label: 'session lookup (loadSession)', run: () => app.services.loadSession(sessionToken) },
      {
        label: 'CSRF token (unsign secret cookie + create)',
        run: () => tokens.create(signer.unsign(signedSecret).value!),
      },
    ];
    const all = [...cases, ...parts];
    const samples = new Map<string, number[]>(all.map((c) => [c.label, []]));
    // Warm-up: the JIT, the caches, the database's pages.
    for (const c of all) await cpuPerCall(c.run, Math.min(100, REQUESTS));
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = round % 2 === 0 ? all : [...all].reverse();
      for (const c of order) samples.get(c.label)!.push(await cpuPerCall(c.run, REQUESTS));
    }
    const floorMs = median(samples.get(cases.at(-1)!.label)!);
    console.log(`\n## ${label}: ${REQUESTS} requests × ${ROUNDS} rounds, median of the rounds`);
    console.log('| page | bytes | CPU per request | / 2 ms target | / floor |');
    console.log('|---|---|---|---|---|');
    for (const c of cases) {
      const ms = median(samples.get(c.label)!);
      const bytes = sizes.get(c.label) ?? sizes.get(pages[0]!.label)!;
      console.log(
        `| ${c.label} | ${bytes} | ${fmt(ms, 3)} ms | ${fmt(ms / TARGET_MS, 2)} | ${fmt(ms / floorMs, 1)} |`,
      );
    }
    for (const c of parts) console.log(`| ${c.label} | | ${fmt(median(samples.get(c.label)!), 3)} ms | | |`);
    await floor.close();
  } finally {
    await app.close();
  }
}

export async function benchPages(): Promise<void> {
  console.log(
    `# CPU per page — ${machine()}, load average ${os
      .loadavg()
      .map((l) => fmt(l, 2))
      .join(' ')}`,
  );
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pages-'));
  try {
    await benchOn('SQLite', { DATA_DIR: dataDir });
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    const schema = `bench_pages_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pages-pg-'));
    try {
      await benchOn('PostgreSQL', { DATA_DIR: pgDir, DATABASE_URL: url }, schema);
    } finally {
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
      fs.rmSync(pgDir, { recursive: true, force: true });
    }
  }
  console.log(
    `load average after: ${os
      .loadavg()
      .map((l) => fmt(l, 2))
      .join(' ')}`,
  );
}
