import path from 'node:path';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import type { Services } from '../services/index';
import { AppError } from '../domain/errors';
import { StartupError } from '../startup-error';
import { translate } from '../i18n/index';
import { printFsck } from './fsck';
import { UsageError } from './usage-error';
import { NoteError, parseVerifierKey } from '../domain/tlog/note';

const USAGE = `Urząd OnLine — command line
Usage: npm run cli -- <command> [options]

Commands:
  serve [--no-migrate]  start the server (what \`npm start\` runs); WORKERS=n runs n processes;
                        --no-migrate (or MIGRATE_ON_START=false) leaves migrations to \`migrate\`
  migrate               apply pending database migrations (a step of its own in rolling upgrades)
  doctor                compare the settings, keys, release and migration level of the running
                        nodes and name what differs; exit 0 all agree, 1 something differs
  seals rotate --office ID | --platform
                        record the seal now in SEALS_DIR (generated seals: a new one is made for
                        an office whose DATA_DIR/keys file was moved aside)
                        as the installation's; running nodes use it within seconds.
                        See docs/operations.md
  demo [--password P]   create or update the demo data (idempotent) and print what it made
  tokens create --office ID --scope submit|pull|deliver|admin --name NAME [--expires DATE]
                        prints the token's id and its secret (shown only once); a DATE
                        YYYY-MM-DD: valid through that day, Polish time
  tokens list --office ID   the office's tokens: id, scope, name, created, expiry, last use, revoked
  tokens revoke ID      revoke a token at once
  systems add --office ID --name NAME --cert FILE.pem [--box NAME]...
                        register an integration system (an EZD calling the ePUAP-compatible SOAP
                        services) by its certificate; all boxes of the office when no --box is
                        given; prints the system's id. See docs/ezd-integration.md
  systems list --office ID
                        the office's systems: id, name, boxes, certificate, state
  systems revoke ID     revoke a system at once
  log monitor <url> [--state file] [--key key]
                        check the public transparency log of the installation at <url>: the
                        checkpoint's signature and its consistency with the one kept in the
                        state file (default ./log-monitor-state.json); exit 1 on an alarm
  audit verify          check the audit log's hash chain; prints OK or the first broken entry
  fsck [--quick] [--json]
                        check that everything stored keeps the receipts' promise: every document
                        has its receipt and every file (re-hashed; --quick: present), every receipt
                        verifies, names the stored files and is in the transparency log, the log
                        has no gaps and its newest checkpoint matches, deliveries have their files
                        and proofs; exit 0 clean, 1 inconsistencies found (each named).
                        See docs/crash-safety.md.
  blobs-cleanup [--older-than-minutes N] [--dry-run]
                        remove stored files that no database row refers to and that are older
                        than N minutes (default 60, at least 5); prints each one. See docs/storage.md.
  verify RECEIPT.xml [--ca CA.pem]... [--file PATH]... [--checkpoint FILE --proof FILE
         --log-key KEY|FILE] [--lang pl|en] [--json]
                        verify a receipt offline: its signature and certificate chain (trusting
                        the given CAs, or else this installation's), the given files against
                        its digests, and its inclusion in the transparency log under a signed
                        checkpoint; exit 0 valid, 1 not valid (with the reasons), 2 usage error.
                        See docs/verification.md. (\`verify-receipt\` is the same command.)
  verify EXPORT.zip [--ca CA.pem]... [--log-key KEY|FILE] [--lang pl|en] [--json]
                        verify a resident's export offline: every file against its manifest,
                        every receipt and the files it lists, every inclusion proof and the
                        checkpoint's signature (trusting the given CAs and log key, or else
                        this installation's); exit 0 valid, 1 not valid, 2 usage error
  trust-lists update <dir> [--lang pl|en]
                        check the trusted lists (ETSI TS 119 612 XML) in <dir> offline: the EU
                        list of lists against DATA_DIR/trust-lists/lotl-signers.pem (or the
                        certificates the stored one announces), each national list against the
                        certificates the list of lists announces for it; keep those that pass,
                        never removing the old ones; exit 0 all kept, 1 some refused (each named).
                        See docs/signatures.md.
  backup <dir>          embedded installation: write an online backup of DATA_DIR (database
                        snapshot, the files it refers to, keys, secrets, manifest.json of
                        digests) into the new or empty <dir>; it holds secrets: protect it.
                        With PostgreSQL see docs/operations.md
  restore <dir>         check the backup in <dir> against its manifest and restore it into
                        the new or empty DATA_DIR
  help                  this text

Every command reads the same settings as the server (see README.md), e.g.
  DATA_DIR=/srv/urzad npm run cli -- demo`;

/** A blob younger than this may belong to a filing whose row is not committed yet. */
const CLEANUP_DEFAULT_MINUTES = 60;
const CLEANUP_MIN_MINUTES = 5;

/** What `audit verify` says about the first entry that does not hold. */
const AUDIT_BREAKS = {
  hash: 'its content does not match its hash',
  link: 'it does not link to the entry before it',
  sequence: 'an entry is missing before it',
  mac: 'its MAC under the audit key does not hold: the chain was rewritten',
  head: 'the newest entry is not the anchored head: entries were deleted or the head rewritten',
} as const;

/** Commands that need the database but not the HTTP server. */
async function withServices<T>(run: (services: Services) => Promise<T>): Promise<T> {
  const { createServiceLayer } = await import('../app');
  const { database, services } = await createServiceLayer(loadConfig());
  try {
    return await run(services);
  } finally {
    await database.close();
  }
}

/**
 * Each command loads the modules it needs when it runs (`await import`): `verify` and
 * `log monitor` start without the server's code, and every command without the others'.
 */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({
        args: rest,
        options: { 'no-migrate': { type: 'boolean' } },
        strict: true,
      });
      const config = loadConfig();
      const { serve } = await import('./serve');
      // Rolling upgrades run `migrate` as a step of its own (docs/operations.md).
      await serve(values['no-migrate'] ? { ...config, migrateOnStart: false } : config);
      return -1; // keeps running
    }
    case 'migrate': {
      const config = loadConfig();
      const { openAndMigrate } = await import('../app');
      const database = await openAndMigrate(config);
      await database.close();
      console.log(`migrations applied (${database.dialect})`);
      return 0;
    }
    case 'doctor': {
      if (rest.length > 0) throw new UsageError('doctor takes no arguments');
      const { nodes, differences } = await withServices(async (services) => ({
        nodes: await services.runningNodes(),
        differences: await services.compareRunningNodes(),
      }));
      console.log(`${nodes.length} running node(s) / działające węzły:`);
      for (const node of nodes)
        console.log(
          `  ${node.nodeName} (${node.hostname}, pid ${node.pid}): release ${node.version}, migrations up to ${node.migrationLevel}, seen ${node.seenAt}`,
        );
      if (differences.length === 0) {
        console.log('OK: the running nodes agree on settings, keys, release and migration level');
        return 0;
      }
      for (const difference of differences) {
        console.log(`DIFFERS / RÓŻNI SIĘ: ${difference.what}`);
        for (const [node, value] of Object.entries(difference.values)) console.log(`  ${node}: ${value}`);
      }
      return 1;
    }
    case 'seals': {
      const [action, ...args] = rest;
      if (action !== 'rotate')
        throw new UsageError('seals: use "seals rotate --office ID" or "seals rotate --platform"');
      const { values } = parseArgs({
        args,
        options: { office: { type: 'string' }, platform: { type: 'boolean' } },
        strict: true,
      });
      if (!values.office === !values.platform)
        throw new UsageError('seals rotate needs --office ID or --platform (one of them)');
      const officeId = values.office;
      const result = await withServices(async (services) => {
        if (officeId === undefined) return services.recordRotatedSeal('platform');
        const office = await services.getOffice(officeId);
        return services.recordRotatedSeal({ officeId, officeName: office.name });
      });
      console.log(
        `${officeId ? `seal of office ${officeId}` : 'platform seal'}: ${result.before ?? '(none)'} -> ${result.after}`,
      );
      return 0;
    }
    case 'demo': {
      const { values } = parseArgs({ args: rest, options: { password: { type: 'string' } }, strict: true });
      const report = await withServices((services) =>
        services.createDemoData(values.password ? { password: values.password } : {}),
      );
      for (const line of report.lines) console.log(line);
      return 0;
    }
    case 'tokens': {
      const [action, ...args] = rest;
      if (action === 'create') {
        const { values } = parseArgs({
          args,
          options: {
            office: { type: 'string' },
            scope: { type: 'string' },
            name: { type: 'string' },
            expires: { type: 'string' },
          },
          strict: true,
        });
        if (!values.office || !values.scope || !values.name)
          throw new UsageError('tokens create needs --office, --scope and --name');
        // A bare day means through that whole day, Polish time, as on the office admin's page.
        const expiresOn =
          values.expires !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(values.expires)
            ? values.expires
            : undefined;
        const expiresAt =
          values.expires === undefined || expiresOn !== undefined ? undefined : new Date(values.expires);
        if (expiresAt && Number.isNaN(expiresAt.getTime()))
          throw new UsageError(
            'tokens create --expires needs a date, e.g. 2027-06-30 or 2027-06-30T12:00:00Z',
          );
        const office = values.office;
        const scope = values.scope;
        const name = values.name;
        const created = await withServices((services) =>
          services.createIntegrationToken({ officeId: office, scope, name, expiresAt, expiresOn }),
        );
        // The id names the token in `tokens list` and `tokens revoke`; the secret is shown only now.
        console.log(`id: ${created.id}`);
        console.log(`token: ${created.token}`);
        return 0;
      }
      if (action === 'list') {
        const { values } = parseArgs({ args, options: { office: { type: 'string' } }, strict: true });
        if (!values.office) throw new UsageError('tokens list needs --office');
        const office = values.office;
        const tokens = await withServices((services) => services.listIntegrationTokens(office));
        console.log(['id', 'scope', 'name', 'created', 'expires', 'last used', 'revoked'].join('\t'));
        for (const t of tokens)
          console.log(
            [
              t.id,
              t.scope,
              t.name,
              t.createdAt,
              t.expiresAt ?? '-',
              t.lastUsedAt ?? '-',
              t.revokedAt ?? '-',
            ].join('\t'),
          );
        return 0;
      }
      if (action === 'revoke' && args.length === 1) {
        const revoked = await withServices((services) => services.revokeIntegrationToken(args[0]!));
        console.error(revoked ? 'revoked' : 'no such active token');
        return revoked ? 0 : 1;
      }
      throw new UsageError('tokens: use "tokens create", "tokens list --office ID" or "tokens revoke ID"');
    }
    case 'systems': {
      const [action, ...args] = rest;
      if (action === 'add') {
        const { values } = parseArgs({
          args,
          options: {
            office: { type: 'string' },
            name: { type: 'string' },
            cert: { type: 'string' },
            box: { type: 'string', multiple: true },
          },
          strict: true,
        });
        if (!values.office || !values.name || !values.cert)
          throw new UsageError('systems add needs --office, --name and --cert');
        const input = {
          officeId: values.office,
          name: values.name,
          certificatePem: fs.readFileSync(values.cert, 'utf8'),
          ...(values.box ? { boxes: values.box } : {}),
        };
        const system = await withServices((services) => services.addIntegrationSystem(input));
        console.log(system.id);
        return 0;
      }
      if (action === 'list') {
        const { values } = parseArgs({ args, options: { office: { type: 'string' } }, strict: true });
        if (!values.office) throw new UsageError('systems list needs --office');
        const office = values.office;
        const systems = await withServices((services) => services.listIntegrationSystems(office));
        for (const s of systems) {
          console.log(
            [
              s.id,
              s.name,
              s.boxes.join(','),
              s.certificateSubject,
              s.revokedAt ? `revoked ${s.revokedAt}` : 'active',
            ].join('\t'),
          );
        }
        return 0;
      }
      if (action === 'revoke' && args.length === 1) {
        const revoked = await withServices((services) =>
          services.revokeIntegrationSystem({ systemId: args[0]! }),
        );
        console.error(revoked ? 'revoked' : 'no such active system');
        return revoked ? 0 : 1;
      }
      throw new UsageError('systems: use "systems add", "systems list --office ID" or "systems revoke ID"');
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
      if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
        throw new UsageError(`"${url}" is not an http(s) URL`);
      if (values.key) {
        try {
          parseVerifierKey(values.key);
        } catch (error) {
          if (error instanceof NoteError) throw new UsageError(`--key: ${error.message}`);
          throw error;
        }
      }
      const { monitorLog } = await import('./log-monitor');
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
      console.log(`BROKEN: audit log entry ${check.seq} (${AUDIT_BREAKS[check.reason]})`);
      return 1;
    }
    case 'fsck': {
      const { values } = parseArgs({
        args: rest,
        options: { quick: { type: 'boolean' }, json: { type: 'boolean' } },
        strict: true,
      });
      const report = await withServices((services) => services.fsck({ quick: values.quick ?? false }));
      if (values.json) console.log(JSON.stringify(report, null, 2));
      else printFsck(report, (line) => console.log(line));
      return report.clean ? 0 : 1;
    }
    case 'trust-lists': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { lang: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
      const [sub, dir] = positionals;
      if (sub !== 'update' || !dir || positionals.length !== 2)
        throw new UsageError('trust-lists: usage: trust-lists update <dir>');
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
        throw new UsageError(`trust-lists: ${dir} is not a directory`);
      const lang = values.lang === 'en' ? 'en' : 'pl';
      const config = loadConfig();
      const { createFileTrustStore } = await import('../adapters/trust-store');
      const store = createFileTrustStore({
        dir: path.join(config.dataDir, 'trust-lists'),
        platformCaPems: async () => [],
      });
      const outcomes = await store.update(dir);
      for (const o of outcomes) {
        const what = o.territory ? ` ${o.territory} #${o.sequenceNumber}` : '';
        const why = o.reason ? `: ${translate(lang, o.reason.key, o.reason.params)}` : '';
        console.log(`${o.status.padEnd(9)} ${o.file}${what}${why}`);
      }
      if (outcomes.length === 0) console.log(`no .xml lists in ${dir}`);
      return outcomes.some((o) => o.status === 'refused') ? 1 : 0;
    }
    case 'blobs-cleanup': {
      const { values } = parseArgs({
        args: rest,
        options: { 'older-than-minutes': { type: 'string' }, 'dry-run': { type: 'boolean' } },
        strict: true,
      });
      const minutes = Number(values['older-than-minutes'] ?? CLEANUP_DEFAULT_MINUTES);
      if (!Number.isInteger(minutes) || minutes < CLEANUP_MIN_MINUTES) {
        throw new UsageError(
          `blobs-cleanup: --older-than-minutes must be a whole number of at least ${CLEANUP_MIN_MINUTES}`,
        );
      }
      const dryRun = values['dry-run'] === true;
      const report = await withServices((services) =>
        services.cleanUpOrphanBlobs({ olderThanMinutes: minutes, dryRun }),
      );
      for (const blob of report.removed)
        console.log(
          `${dryRun ? 'would remove' : 'removed'} ${blob.sha256} (stored ${blob.modifiedAt.toISOString()})`,
        );
      console.log(
        `${dryRun ? 'dry run: ' : ''}${report.removed.length} of ${report.examined} stored files ${dryRun ? 'would be ' : ''}removed (unreferenced, older than ${minutes} min)`,
      );
      return 0;
    }
    case 'verify':
    case 'verify-receipt': {
      const { verifyCommand } = await import('./verify');
      return verifyCommand(rest, {
        installationCas: () => {
          // Outside an installation there is nothing to trust: never create keys just to verify.
          const config = loadConfig();
          if (!config.sealsDir && !fs.existsSync(path.join(config.dataDir, 'keys'))) {
            throw new UsageError(
              'verify: give the certification authority with --ca ca.pem (no installation in DATA_DIR to take it from)',
            );
          }
          return withServices((services) => services.trustedCaPems());
        },
        installationLogKey: () => {
          const config = loadConfig();
          if (!fs.existsSync(path.join(config.dataDir, 'keys', 'log-ed25519.pem'))) {
            throw new UsageError(
              'verify: give the log key with --log-key (no installation in DATA_DIR to take it from)',
            );
          }
          return withServices(async (services) => services.logVerifierKey());
        },
        out: (line) => console.log(line),
      });
    }
    case 'backup':
    case 'restore': {
      const { backupCommand, restoreCommand } = await import('./backup');
      return (command === 'backup' ? backupCommand : restoreCommand)(rest, loadConfig(), (line) =>
        console.log(line),
      );
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
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS'))
    ) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof AppError) {
      console.error(translate('pl', error.key, error.params));
      console.error(translate('en', error.key, error.params));
      process.exit(error.status < 500 ? 2 : 1);
    }
    if (error instanceof StartupError) {
      console.error(error.message);
      process.exit(1);
    }
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
