import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { createApp, createServiceLayer, openAndMigrate } from '../app';
import { verifyReceipt } from '../domain/receipts/index';
import { translator, type Lang } from '../i18n/index';
import { ConfigError, loadConfig } from '../config';
import type { Services } from '../services/index';
import { AppError } from '../domain/errors';
import { translate } from '../i18n/index';
import { monitorLog } from './log-monitor';
import { NoteError, parseVerifierKey } from '../domain/tlog/note';

const USAGE = `Urząd OnLine — command line
Usage: npm run cli -- <command> [options]

Commands:
  serve                 start the server (what \`npm start\` runs)
  migrate               apply pending database migrations
  demo [--password P]   create or update the demo data (idempotent) and print what it made
  tokens create --office ID --scope submit|pull|deliver|admin --name NAME
                        create an integration token; prints only the token
  tokens revoke ID      revoke a token at once
  log monitor <url> [--state file] [--key key]
                        check the public transparency log of the installation at <url>: the
                        checkpoint's signature and its consistency with the one kept in the
                        state file (default ./log-monitor-state.json); exit 1 on an alarm
  audit verify          check the audit log's hash chain; prints OK or the first broken entry
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
async function withServices<T>(run: (services: Services) => Promise<T>): Promise<T> {
  const { database, services } = await createServiceLayer(loadConfig());
  try {
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
    : await withServices((services) => services.deps.seals.trustedCaPems());
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
    case 'tokens': {
      const [action, ...args] = rest;
      if (action === 'create') {
        const { values } = parseArgs({
          args,
          options: { office: { type: 'string' }, scope: { type: 'string' }, name: { type: 'string' } },
          strict: true,
        });
        if (!values.office || !values.scope || !values.name) throw new UsageError('tokens create needs --office, --scope and --name');
        const office = values.office;
        const scope = values.scope;
        const name = values.name;
        const created = await withServices((services) => services.createIntegrationToken({ officeId: office, scope, name }));
        console.log(created.token);
        return 0;
      }
      if (action === 'revoke' && args.length === 1) {
        const revoked = await withServices((services) => services.revokeIntegrationToken(args[0]!));
        console.error(revoked ? 'revoked' : 'no such active token');
        return revoked ? 0 : 1;
      }
      throw new UsageError('tokens: use "tokens create" or "tokens revoke ID"');
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
    if (error instanceof AppError) {
      console.error(translate('pl', error.key, error.params));
      console.error(translate('en', error.key, error.params));
      process.exit(error.status < 500 ? 2 : 1);
    }
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
