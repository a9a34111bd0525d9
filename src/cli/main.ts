import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyReceipt } from '../domain/receipts/index';
import { translator, type Lang } from '../i18n/index';
import { createApp, openAndMigrate } from '../app';
import { ConfigError, loadConfig } from '../config';
import { createServices } from '../services/index';
import { createSeals } from '../adapters/keys/index';
import { createFsBlobStore } from '../adapters/fs-blob-store';
import { systemClock } from '../ports/clock';
import path from 'node:path';

const USAGE = `Urząd OnLine — command line
Usage: npm run cli -- <command> [options]

Commands:
  serve                 start the server (what \`npm start\` runs)
  migrate               apply pending database migrations
  demo [--password P]   create or update the demo data (idempotent) and print what it made
  verify-receipt FILE [--ca CA.pem]... [--lang pl|en] [--json]
                        verify a receipt offline: exit 0 valid, 1 not valid; trusts the
                        given CA certificates, or else this installation's
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
      seals: createSeals(config, systemClock),
    });
    return await run(services);
  } finally {
    await database.close();
  }
}

async function verifyReceiptCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ca: { type: 'string', multiple: true }, lang: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError('verify-receipt needs exactly one FILE');
  const lang: Lang = values.lang === 'en' ? 'en' : 'pl';
  if (values.lang !== undefined && values.lang !== 'pl' && values.lang !== 'en') throw new UsageError('--lang is pl or en');
  const trustedCaPems = values.ca?.length
    ? values.ca.map((ca) => fs.readFileSync(ca, 'utf8'))
    : await createSeals(loadConfig(), systemClock).trustedCaPems();
  const report = await verifyReceipt(fs.readFileSync(file), { trustedCaPems });
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return report.valid ? 0 : 1;
  }
  const t = translator(lang);
  console.log(report.valid ? (lang === 'pl' ? 'Poświadczenie jest WAŻNE.' : 'The receipt is VALID.') : lang === 'pl' ? 'Poświadczenie NIE jest ważne:' : 'The receipt is NOT valid:');
  for (const reason of report.reasons) console.log(`  - ${t(reason.key, reason.params)}`);
  if (report.kind) console.log(`${t(`receipt.kind.${report.kind}`)}: ${report.receiptId ?? ''}`);
  if (report.office) console.log(`${t('receipt.pdf.office')}: ${report.office.name} (${report.office.id})`);
  if (report.enteredAt) console.log(`${t(report.kind === 'sending' ? 'receipt.pdf.sentAt' : report.kind === 'UPD' ? 'receipt.pdf.receivedAt' : 'receipt.pdf.enteredAt')}: ${report.enteredAt}`);
  if (report.issuedAt) console.log(`${t('receipt.pdf.issuedAt')}: ${report.issuedAt}`);
  for (const f of report.files) console.log(`${t(f.role === 'main' ? 'receipt.pdf.mainDocument' : 'receipt.pdf.attachment')}: ${f.name} (${f.size} B) SHA-256 ${f.sha256}`);
  if (report.signer) console.log(`${t('receipt.pdf.signer')}: ${report.signer.subject}`);
  console.log(`SHA-256 (XML): ${report.entryHash}`);
  return report.valid ? 0 : 1;
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
    case 'verify-receipt':
      return verifyReceiptCommand(rest);
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
