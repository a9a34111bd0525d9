import { startTestApp, type TestApp } from '../../test/helpers/app';
import { registerTestApp } from '../../test/helpers/staff-second-factor';
import type { Dialect } from '../../src/ports/database';
import type { Clock } from '../../src/ports/clock';

export interface RunningServer {
  app: TestApp;
  url: string;
  stop(): Promise<void>;
}

/** The real application listening on a loopback port, with demo data, for the browser. */
export async function startServer(
  options: { dialect?: Dialect; clock?: Clock; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  const app = await startTestApp(options.dialect ?? 'sqlite', {
    demo: true,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  const address = app.http.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  registerTestApp(app, url);
  return { app, url, stop: () => app.dispose() };
}

/** The server of `startServer` with the demo's admin@example.pl made the admin of the demo office. */
export async function startServerWithOfficeAdmin(
  options: Parameters<typeof startServer>[0] = {},
): Promise<RunningServer> {
  const server = await startServer(options);
  await server.app.services.grantRole({
    actorId: null,
    email: 'admin@example.pl',
    role: 'office-admin',
    officeId: 'umczestochowa',
  });
  return server;
}
