import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { StartupError } from './startup-error';
import { openDatabase, migrate, migrationLevel, type OpenDatabase } from './adapters/database';
import { migrations as allMigrations } from './adapters/migrations/index';
import { certificateFingerprint, fingerprint, sharedSeals, type NodeDescription } from './services/nodes';
import { createFsBlobStore } from './adapters/fs-blob-store';
import type { BlobStore } from './ports/blob-store';
import { createSeals } from './adapters/keys/index';
import { createLogger, nodeName } from './adapters/logger';
import { deriveAuditKey, loadOrCreateLogKey } from './adapters/log-key';
import { startPeriodicTask } from './adapters/periodic-task';
import { startJobRunner } from './adapters/job-runner';
import { createWebhookSender } from './adapters/webhook-sender';
import { createFileTrustStore } from './adapters/trust-store';
import { createOnlineRevocationFetcher } from './adapters/online-revocation';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import type { Migration } from 'kysely';
import { createFileMailer } from './adapters/file-mailer';
import { createSmtpMailer } from './adapters/smtp-mailer';
import { loadOrCreateSecret } from './adapters/secrets';
import type { Config } from './config';
import { assertAssetsBuilt } from './http/assets';
import { createHttpApp } from './http/create-http-app';
import { systemClock, type Clock } from './ports/clock';
import type { Mailer } from './ports/mailer';
import { keyEarlierAuditEntries } from './services/audit';
import { createServices, type Services } from './services/index';
import type { ServiceDeps } from './services/deps';
import { ed25519Signer } from './domain/tlog/note';
import {
  createNationalLogin,
  prepareNationalLoginKeys,
  type NationalLoginSetup,
} from './adapters/login-gov-pl/index';

/** Checkpoints are renewed at least every second while the log grows (issue 7 §1). */
const CHECKPOINT_INTERVAL_MS = 500;
/** A claimed job is handed to another node if this one has not finished it by then. */
const JOB_LOCK_MS = 5 * 60 * 1000;
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;
/**
 * Singleton periodic work runs on the node holding its lease (docs/scaling.md). The holder
 * renews at every run; a node that dies without releasing is replaced once the lease lapses.
 */
export const CHECKPOINT_LEASE = { name: 'checkpoint-signer', ttlMs: 10_000 };
const PRUNE_LEASE = { name: 'prune', ttlMs: 2 * PRUNE_INTERVAL_MS };
const HEARTBEAT_INTERVAL_MS = 10_000;

export interface AppOptions {
  config: Config;
  clock?: Clock;
  logger?: Logger;
  /** PostgreSQL schema to work in (tests). */
  pgSchema?: string;
  /**
   * Apply pending migrations at start (default: MIGRATE_ON_START); cluster workers leave it to
   * the primary. Without it the database must already hold every migration of this release.
   */
  migrate?: boolean;
  /** The migrations this release knows (tests play an older release with fewer). */
  migrations?: Record<string, Migration>;
}

export interface App {
  http: FastifyInstance;
  services: Services;
  /** The adapters behind the services: for the composition root and tests, never the HTTP layer. */
  deps: ServiceDeps;
  database: OpenDatabase;
  logger: Logger;
  /** This process's name as a lease holder and job runner: `<node>-<pid>-<random>`. */
  nodeId: string;
  /** Login through login.gov.pl or its simulator, when configured. */
  nationalLogin: NationalLoginSetup | undefined;
  /** Turns /readyz to 503 (shutdown: balancers stop sending requests before the server closes). */
  drain(): void;
  close(): Promise<void>;
}

/**
 * The composition root: adapters, then services, then the HTTP app. The server, the command
 * line and the tests all build the application here.
 */
export async function createApp(options: AppOptions): Promise<App> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel, undefined, { node: config.nodeId });
  const nodeId = `${nodeName(config.nodeId)}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const known = options.migrations ?? allMigrations;
  const { database, services, deps } = await createServiceLayer(config, {
    ...options,
    logger,
    nodeId,
    migrate: options.migrate ?? config.migrateOnStart,
    migrations: known,
  });
  const cookieSecret = config.sessionSecret ?? loadOrCreateSecret(config.dataDir, 'cookie-secret');
  try {
    await services.checkLogKeyIsShared();
    await services.checkKeysAreShared();
    // The bucket exists and answers before the node listens, not at the first filing.
    await deps.blobs.ping().catch((error: unknown) => {
      const where = config.s3 ? `bucket "${config.s3.bucket}"` : 'DATA_DIR/blobs';
      throw new StartupError(
        `The object store does not answer (${where}): ${describeError(error)} / Magazyn obiektów nie odpowiada (${where}).`,
      );
    });
    await services.registerNode(nodeId, await describeNode(config, services, deps, cookieSecret, known));
  } catch (error) {
    await database.close();
    throw error;
  }
  let draining = false;
  const heldLeases = new Set<string>();
  /** Runs `task` when this node holds (or takes) the lease: one node of the installation at a time. */
  const whileLeaseHeld =
    (lease: { name: string; ttlMs: number }, task: () => Promise<unknown>) => async () => {
      const held = await services.acquireLease(lease.name, nodeId, lease.ttlMs);
      if (held !== heldLeases.has(lease.name)) {
        if (held) heldLeases.add(lease.name);
        else heldLeases.delete(lease.name);
        logger.info({ lease: lease.name, held }, held ? 'lease taken' : 'lease lost');
      }
      if (held) await task();
    };
  const signCheckpoint = whileLeaseHeld(CHECKPOINT_LEASE, async () => {
    const signed = await services.signCheckpointIfGrown();
    if (signed.signed) logger.debug({ treeSize: signed.size }, 'checkpoint signed');
  });
  // A fresh installation publishes a checkpoint (of the empty tree) before it serves anything
  // (or another node, holding the lease, has published it).
  await signCheckpoint();
  const checkpointTimer = startPeriodicTask(signCheckpoint, CHECKPOINT_INTERVAL_MS, (error) =>
    logger.error({ err: error }, 'signing a transparency log checkpoint failed'),
  );
  // `doctor` counts the nodes that said they were alive lately.
  const heartbeatTimer = startPeriodicTask(
    () => services.touchNode(nodeId),
    HEARTBEAT_INTERVAL_MS,
    (error) => logger.warn({ err: error }, 'recording that this node is alive failed'),
  );
  const runnerId = nodeId;
  const jobRunner =
    config.jobsPollMs > 0
      ? startJobRunner({
          claim: (limit) => services.claimDueJobs({ runnerId, limit, lockMs: JOB_LOCK_MS }),
          run: (job) => services.runClaimedJob(job, runnerId),
          concurrency: config.jobsConcurrency,
          pollMs: config.jobsPollMs,
          onError: (error) => logger.error({ err: error }, 'running a job failed'),
        })
      : undefined;
  const pruneTimer =
    config.jobsPollMs > 0
      ? startPeriodicTask(
          whileLeaseHeld(PRUNE_LEASE, async () => {
            await services.pruneFinished();
            await services.pruneRateLimitCounters();
          }),
          PRUNE_INTERVAL_MS,
          (error) => logger.error({ err: error }, 'pruning finished jobs and rate-limit counters failed'),
        )
      : undefined;
  assertAssetsBuilt();
  const nationalLogin = await createNationalLogin({
    config: config.loginGovPl,
    publicUrl: config.publicUrl,
    oneTimeIds: { claim: (id, expiresAt) => services.claimOneTimeId(id, expiresAt) },
    clock: options.clock ?? systemClock,
  });
  const http = await createHttpApp({
    config,
    services,
    logger,
    cookieSecret,
    nationalLogin,
    isDraining: () => draining,
  });
  return {
    http,
    services,
    deps,
    database,
    logger,
    nodeId,
    nationalLogin,
    drain() {
      draining = true;
    },
    async close() {
      draining = true;
      await checkpointTimer.stop();
      await heartbeatTimer.stop();
      await jobRunner?.stop();
      await pruneTimer?.stop();
      await http.close();
      // Another node takes over at once instead of waiting for the leases to lapse.
      for (const lease of [CHECKPOINT_LEASE, PRUNE_LEASE]) {
        await services
          .releaseLease(lease.name, nodeId)
          .catch((error: unknown) =>
            logger.warn({ err: error, lease: lease.name }, 'releasing a lease failed'),
          );
      }
      await services
        .unregisterNode(nodeId)
        .catch((error: unknown) => logger.warn({ err: error }, 'removing this node from the list failed'));
      await database.close();
    },
  };
}

function describeError(error: unknown): string {
  const e = error as { name?: unknown; code?: unknown; message?: unknown };
  return [e.name, e.code, e.message].filter((v) => typeof v === 'string' && v !== '').join(': ');
}

const digest = (value: string): string =>
  `sha256:${createHash('sha256').update(value).digest('hex').slice(0, 16)}`;

/** The release's version (package.json), wherever the code runs from (source or dist/). */
function releaseVersion(): string {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file))
      return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

/**
 * What `doctor` compares between nodes: settings that must agree across an installation
 * (secrets as digests), key fingerprints, the release and its migration level.
 */
async function describeNode(
  config: Config,
  services: Services,
  deps: ServiceDeps,
  cookieSecret: string,
  known: Record<string, Migration>,
): Promise<NodeDescription> {
  const database = config.databaseUrl ? new URL(config.databaseUrl) : undefined;
  const settings: Record<string, string> = {
    PUBLIC_URL: config.publicUrl,
    INSTALLATION_NAME: config.installationName,
    LOG_ORIGIN: config.logOrigin,
    DATABASE: database ? `${database.hostname}:${database.port || '5432'}${database.pathname}` : 'sqlite',
    PULL_LEASE_SECONDS: String(config.pullLeaseSeconds),
    SESSION_IDLE_MINUTES: String(config.sessionIdleMinutes),
    SESSION_ABSOLUTE_HOURS: String(config.sessionAbsoluteHours),
    SESSION_SECRET: digest(cookieSecret),
    SMTP: config.smtpUrl ? new URL(config.smtpUrl).host : 'files',
    MAIL_FROM: config.mailFrom,
    WEBHOOKS_ALLOW_PRIVATE: String(config.webhooksAllowPrivate),
    WEBHOOK_TIMEOUT_SECONDS: String(config.webhookTimeoutSeconds),
    API_RATE_LIMIT_PER_MINUTE: String(config.apiRateLimitPerMinute),
    BLOBS: config.s3 ? `s3:${config.s3.endpoint ?? 'aws'}/${config.s3.bucket}` : 'DATA_DIR/blobs',
    DATABASE_STATEMENT_TIMEOUT_SECONDS: String(config.databaseStatementTimeoutMs / 1000),
    S3_TIMEOUT_SECONDS: String(config.s3TimeoutMs / 1000),
  };
  const keys: Record<string, string> = {
    'log key': services.logVerifierKey(),
    'platform seal': fingerprint((await deps.seals.platform()).certificateDer),
    'trusted CAs': (await deps.seals.trustedCaPems()).map(certificateFingerprint).sort().join(','),
  };
  return {
    nodeName: nodeName(config.nodeId),
    hostname: os.hostname(),
    pid: process.pid,
    version: releaseVersion(),
    migrationLevel: Object.keys(known).at(-1) ?? '',
    settings,
    keys,
  };
}

/**
 * Adapters and services without the HTTP layer: what the command line uses, and the first half
 * of createApp.
 */
export async function createServiceLayer(
  config: Config,
  options: {
    clock?: Clock;
    pgSchema?: string;
    logger?: Logger;
    migrate?: boolean;
    nodeId?: string;
    migrations?: Record<string, Migration>;
  } = {},
): Promise<{ database: OpenDatabase; services: Services; deps: ServiceDeps }> {
  const logger = options.logger ?? createLogger(config.logLevel, undefined, { node: config.nodeId });
  const known = options.migrations ?? allMigrations;
  const opened =
    options.migrate === false
      ? await openMigrated(config, logger, options.pgSchema, options.nodeId, known)
      : await openAndMigrate(config, options.pgSchema, { logger, nodeId: options.nodeId, migrations: known });
  const clock = options.clock ?? systemClock;
  // Several nodes need PostgreSQL; an embedded installation's processes share DATA_DIR/keys,
  // and its one SQLite connection is held by the transaction a seal is used in.
  const ownSeals = createSeals(config, clock);
  // The seal checks have a connection of their own: a receipt transaction holds the log's lock
  // while its seal's first check runs, and with one transaction per filing every other pooled
  // connection may be waiting for that lock.
  const sealChecks =
    opened.dialect === 'postgres' ? open(config, logger, options.pgSchema, options.nodeId, 1) : undefined;
  const seals = sealChecks ? sharedSeals(ownSeals, sealChecks.db) : ownSeals;
  const database: OpenDatabase = {
    ...opened,
    async close() {
      await sealChecks?.close();
      await opened.close();
    },
  };
  try {
    // The CA and the platform seal exist from the first start (or the configured ones load);
    // whether they are the installation's is checked by createApp, after the log key.
    await ownSeals.platform();
  } catch (error) {
    await database.close();
    throw error;
  }
  const logKey = loadOrCreateLogKey(config.dataDir);
  const deps: ServiceDeps = {
    db: database.db,
    dialect: database.dialect,
    ...(database.flushCommits ? { flushCommits: database.flushCommits } : {}),
    blobs: await createBlobStore(config),
    clock,
    config,
    seals,
    trust: createFileTrustStore({
      dir: path.join(config.dataDir, 'trust-lists'),
      platformCaPems: () => seals.trustedCaPems(),
      rereadAfterMs: 2000,
    }),
    ...(config.signatureRevocationOnline
      ? { revocationFetcher: createOnlineRevocationFetcher({ timeoutMs: 5000 }) }
      : {}),
    logSigner: ed25519Signer(config.logOrigin, logKey),
    auditKey: deriveAuditKey(logKey),
    mailer: createMailer(config, logger),
    webhookSender: createWebhookSender({
      allowPrivate: config.webhooksAllowPrivate,
      timeoutMs: config.webhookTimeoutSeconds * 1000,
      // Header values must be ASCII; the installation name may not be.
      userAgent: 'UrzadOnLine-Webhooks/1',
    }),
  };
  // Entries from before the audit key get their MACs once (docs/security.md, row 6).
  await keyEarlierAuditEntries(deps);
  return { database, services: createServices(deps), deps };
}

/**
 * Blobs in the S3 bucket when S3_* is set, else under DATA_DIR/blobs; staging is always local.
 * The S3 client is loaded only where it is used: it is a large part of the code a start loads.
 */
export async function createBlobStore(config: Config): Promise<BlobStore> {
  if (!config.s3) return createFsBlobStore(path.join(config.dataDir, 'blobs'));
  const { createS3BlobStore } = await import('./adapters/s3-blob-store');
  return createS3BlobStore(config.s3, path.join(config.dataDir, 'staging'));
}

/**
 * What must exist once before several processes start (the primary of `serve` with WORKERS
 * does this): applied migrations, the generated keys (login.gov.pl's too) and the cookie secret.
 */
export async function prepareInstallation(config: Config): Promise<void> {
  const { database } = await createServiceLayer(config, { migrate: config.migrateOnStart });
  await database.close();
  if (!config.sessionSecret) loadOrCreateSecret(config.dataDir, 'cookie-secret');
  await prepareNationalLoginKeys(config.loginGovPl, new Date());
}

export function createMailer(config: Config, logger: Logger): Mailer {
  return config.smtpUrl
    ? createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom, logger })
    : createFileMailer({ dir: path.join(config.dataDir, 'mail'), from: config.mailFrom, logger });
}

function open(
  config: Config,
  logger: Logger,
  pgSchema?: string,
  nodeId?: string,
  poolSize?: number,
): OpenDatabase {
  return openDatabase({
    ...(poolSize ? { poolSize } : {}),
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
    applicationName: `urzad-online ${nodeId ?? nodeName(config.nodeId)}`,
    onConnectionError: (error) => logger.warn({ err: error }, 'a database connection failed; it is replaced'),
    ...(pgSchema ? { pgSchema } : {}),
  });
}

/** The database must be reachable at start: the message names it, without a stack trace. */
async function reachable<T>(config: Config, database: OpenDatabase, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    await database.close();
    if (error instanceof StartupError) throw error;
    const where = config.databaseUrl
      ? (() => {
          const url = new URL(config.databaseUrl);
          return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
        })()
      : path.join(config.dataDir, 'urzad.sqlite');
    const cause = (error as { cause?: unknown }).cause ?? error;
    throw Object.assign(
      new StartupError(
        `The database (${where}) cannot be used: ${describeError(cause)} / Nie można użyć bazy danych (${where}).`,
      ),
      { cause: error },
    );
  }
}

/** MIGRATE_ON_START=false: the database must already hold every migration this release knows. */
async function openMigrated(
  config: Config,
  logger: Logger,
  pgSchema: string | undefined,
  nodeId: string | undefined,
  known: Record<string, Migration>,
): Promise<OpenDatabase> {
  const database = open(config, logger, pgSchema, nodeId);
  const level = await reachable(config, database, () => migrationLevel(database.db, database.dialect, known));
  if (level.pending.length > 0) {
    await database.close();
    throw new StartupError(
      `The database lacks migrations of this release (${level.pending.join(', ')}): run \`npm run cli -- migrate\` first (docs/operations.md). / ` +
        `W bazie danych brak migracji tego wydania (${level.pending.join(', ')}): najpierw uruchom \`npm run cli -- migrate\`.`,
    );
  }
  if (level.newer.length > 0)
    logger.info(
      { newer: level.newer },
      'the database has migrations of a newer release; running alongside it',
    );
  return database;
}

export async function openAndMigrate(
  config: Config,
  pgSchema?: string,
  options: { logger?: Logger; nodeId?: string | undefined; migrations?: Record<string, Migration> } = {},
): Promise<OpenDatabase> {
  const logger = options.logger ?? createLogger(config.logLevel, undefined, { node: config.nodeId });
  const database = open(config, logger, pgSchema, options.nodeId);
  const applied = await reachable(config, database, () =>
    migrate(database.db, database.dialect, options.migrations ?? allMigrations),
  );
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrations applied');
  return database;
}
