import { parseArgs } from 'node:util';
import { createApp, openAndMigrate } from '../app';
import { ConfigError, loadConfig } from '../config';
import { createServices } from '../services/index';
import { createFsBlobStore } from '../adapters/fs-blob-store';
import { systemClock } from '../ports/clock';
import path from 'node:path';
import { monitorLog } from './log-monitor';
import { NoteError, parseVerifierKey } from '../domain/tlog/note';

const USAGE = `Urząd OnLine — command line
Usage: npm run cli -- <command> [options]

Commands:
  serve                 start the server (what \`npm start\` runs)
  migrate               apply pending database migrations
  demo [--password P]   create or update the demo data (idempotent) and print what it made
  log monitor <url> [--state file] [--key key]
                        check the public transparency log of the installation at <url>: the
                        checkpoint's signature and its consistency with the one kept in the
                        state file (default ./log-monitor-state.json); exit 1 on an alarm
  help                  this text

Every command reads the same settings as the server (see README.md), e.g.
  DATA_DIR=/srv/urzad npm run cli -- demo`;

export class UsageError extends Error {}

async function serve(): Promise<void> {
  const config = loadConfig();
  const app = await createApp({ config });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.logger.info({ signal }, 'shutting down');
    // Stop accepting connections, let requests in flight finish, then close the database.
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  await app.http.listen({ port: config.port, host: config.host });
  const address = app.http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  console.log(`Urząd OnLine: http://${shownHost}:${port} (${app.database.dialect}, data in ${config.dataDir})`);
}

/** Commands that need the database but not the HTTP server. */
async function withServices<T>(run: (services: ReturnType<typeof createServices>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openAndMigrate(config);
  try {
    const services = createServices({
      db: database.db,
      dialect: database.dialect,
      blobs: createFsBlobStore(path.join(config.dataDir, 'blobs')),
      clock: systemClock,
      config,
    });
    return await run(services);
  } finally {
    await database.close();
  }
}

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      await serve();
      return -1; // keeps running
    case 'migrate': {
      const config = loadConfig();
      const database = await openAndMigrate(config);
      await database.close();
      console.log(`migrations applied (${database.dialect})`);
      return 0;
    }
    case 'demo': {
      const { values } = parseArgs({ args: rest, options: { password: { type: 'string' } }, strict: true });
      const report = await withServices((services) => services.createDemoData(values.password ? { password: values.password } : {}));
      for (const line of report.lines) console.log(line);
      return 0;
    }
    case 'log': {
      const [sub, ...args] = rest;
      if (sub !== 'monitor') throw new UsageError(`Unknown log command "${sub ?? ''}"`);
      const { values, positionals } = parseArgs({
        args,
        options: { state: { type: 'string', default: 'log-monitor-state.json' }, key: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
      const [url, ...extra] = positionals;
      if (!url || extra.length > 0) throw new UsageError('log monitor takes exactly one <url>');
      if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new UsageError(`"${url}" is not an http(s) URL`);
      if (values.key) {
        try {
          parseVerifierKey(values.key);
        } catch (error) {
          if (error instanceof NoteError) throw new UsageError(`--key: ${error.message}`);
          throw error;
        }
      }
      const outcome = await monitorLog({ url, statePath: values.state, key: values.key });
      if (outcome.status === 'ok') console.log(outcome.message);
      else console.error(outcome.message);
      return outcome.status === 'ok' ? 0 : 1;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

runCli(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS'))) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
