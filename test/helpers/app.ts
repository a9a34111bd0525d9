import { createApp, type App } from '../../src/app';
import { upsertOffice } from '../../src/services/offices';
import type { Clock } from '../../src/ports/clock';
import type { Dialect } from '../../src/ports/database';
import { testEnvironment, type TestEnvironment } from './databases';
import { recordContract, type OpenApiContract } from './openapi-contract';
import { registerTestApp } from './staff-second-factor';

export interface TestApp extends App {
  env: TestEnvironment;
  /**
   * Every /api/ answer checked against the OpenAPI document (unless `contract: false`, or
   * OPENAPI_CONTRACT=0 for every test app); `dispose` then fails on any violation.
   */
  contract?: () => OpenApiContract;
  /** Closes the app and removes its data. */
  dispose(): Promise<void>;
}

export async function startTestApp(
  dialect: Dialect,
  options: { clock?: Clock; env?: Record<string, string>; demo?: boolean; contract?: boolean } = {},
): Promise<TestApp> {
  const env = await testEnvironment(dialect, options.env);
  const app = await createApp({
    config: env.config,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(env.pgSchema ? { pgSchema: env.pgSchema } : {}),
  });
  const recorded =
    (options.contract ?? process.env.OPENAPI_CONTRACT !== '0') ? recordContract(app.http) : undefined;
  registerTestApp(app);
  if (options.demo) await app.services.createDemoData({ password: 'demo-password-123' });
  return {
    ...app,
    env,
    ...(recorded ? { contract: recorded.contract } : {}),
    async dispose() {
      await app.close();
      await env.cleanup();
      const violations = recorded?.violations() ?? [];
      if (violations.length > 0)
        throw new Error(`answers that break the OpenAPI document:\n${[...new Set(violations)].join('\n')}`);
    },
  };
}

/** Cookies from Set-Cookie headers of an inject() answer, as a Cookie header value. */
export function cookieHeader(setCookie: string | string[] | undefined, previous = ''): string {
  const jar = new Map<string, string>();
  for (const part of previous.split('; ').filter(Boolean)) {
    const [name, ...rest] = part.split('=');
    if (name) jar.set(name, rest.join('='));
  }
  for (const line of [setCookie ?? []].flat()) {
    const [pair] = line.split(';');
    const [name, ...rest] = (pair ?? '').split('=');
    if (!name) continue;
    const value = rest.join('=');
    if (value === '' || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** The CSRF token embedded in a page's forms. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token in page');
  return match[1];
}

/** The demo's filed letters count as taken by the office's system, so a test's pull queue starts empty. */
export async function markDemoLettersTaken(app: App): Promise<void> {
  await app.database.db
    .updateTable('documents')
    .set({ acked_at: new Date().toISOString() })
    .where('acked_at', 'is', null)
    .execute();
}

/** A second office, for tests that prove one office's staff and tokens never reach another's. */
export async function addOtherOffice(app: App): Promise<void> {
  await upsertOffice(app.deps, {
    id: 'umkrakow',
    name: 'Urząd Miasta Krakowa',
    shortCode: 'UMKR',
    address: 'pl. Wszystkich Świętych 3-4, 31-004 Kraków',
    boxes: [{ name: 'skrytka', title: 'ESP' }],
    externalAddresses: [],
  });
}

/** Starts the app's HTTP server on a free loopback port; returns its base URL. */
export async function listenLocally(app: App): Promise<string> {
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  const address = app.http.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}
