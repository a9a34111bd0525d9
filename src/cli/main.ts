import { parseArgs } from 'node:util';
import { createApp, createMailer, openAndMigrate } from '../app';
import { createLogger } from '../adapters/logger';
import { ConfigError, loadConfig } from '../config';
import { createServices } from '../services/index';
import { createFsBlobStore } from '../adapters/fs-blob-store';
import { systemClock } from '../ports/clock';
import path from 'node:path';

const USAGE = `Urząd OnLine — command line
Usage: npm run cli -- <command> [options]

Commands:
  serve                 start the server (what \`npm start\` runs)
  migrate               apply pending database migrations
  demo [--password P]   create or update the demo data (idempotent) and print what it made
  audit verify          check the audit log's hash chain; prints OK or the first broken entry
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
      mailer: createMailer(config, createLogger(config.logLevel)),
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
    case 'audit': {
      if (rest[0] !== 'verify' || rest.length !== 1) throw new UsageError('Usage: audit verify');
      const check = await withServices((services) => services.verifyAuditChain());
      if (check.ok) {
        console.log(`OK: audit log intact, ${check.entries} entries`);
        return 0;
      }
      console.log(`BROKEN: audit log entry ${check.seq} (${check.reason === 'hash' ? 'its content does not match its hash' : check.reason === 'link' ? 'it does not link to the entry before it' : 'an entry is missing before it'})`);
      return 1;
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
