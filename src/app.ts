import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { openDatabase, migrate, type OpenDatabase } from './adapters/database';
import { createFsBlobStore } from './adapters/fs-blob-store';
import { createS3BlobStore } from './adapters/s3-blob-store';
import type { BlobStore } from './ports/blob-store';
import { createSeals } from './adapters/keys/index';
import { createLogger } from './adapters/logger';
import { loadOrCreateLogKey } from './adapters/log-key';
import { startPeriodicTask } from './adapters/periodic-task';
import { startJobRunner } from './adapters/job-runner';
import { createWebhookSender } from './adapters/webhook-sender';
import { createFileTrustStore } from './adapters/trust-store';
import { randomUUID } from 'node:crypto';
import { createFileMailer } from './adapters/file-mailer';
import { createSmtpMailer } from './adapters/smtp-mailer';
import { loadOrCreateSecret } from './adapters/secrets';
import type { Config } from './config';
import { assertAssetsBuilt } from './http/assets';
import { createHttpApp } from './http/create-http-app';
import { systemClock, type Clock } from './ports/clock';
import type { Mailer } from './ports/mailer';
import { createServices, type Services } from './services/index';
import type { ServiceDeps } from './services/deps';
import { ed25519Signer } from './domain/tlog/note';
import { createNationalLogin, type NationalLoginSetup } from './adapters/login-gov-pl/index';

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

export interface AppOptions {
  config: Config;
  clock?: Clock;
  logger?: Logger;
  /** PostgreSQL schema to work in (tests). */
  pgSchema?: string;
  /** Apply pending migrations at start (default); cluster workers leave it to the primary. */
  migrate?: boolean;
}

export interface App {
  http: FastifyInstance;
  services: Services;
  /** The adapters behind the services: for the composition root and tests, never the HTTP layer. */
  deps: ServiceDeps;
  database: OpenDatabase;
  logger: Logger;
  /** This process's name as a lease holder and job runner. */
  nodeId: string;
  /** Login through login.gov.pl or its simulator, when configured. */
  nationalLogin: NationalLoginSetup | undefined;
  close(): Promise<void>;
}

/**
 * The composition root: adapters, then services, then the HTTP app. The server, the command
 * line and the tests all build the application here.
 */
export async function createApp(options: AppOptions): Promise<App> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const { database, services, deps } = await createServiceLayer(config, { ...options, logger });
  try {
    await services.checkLogKeyIsShared();
  } catch (error) {
    await database.close();
    throw error;
  }
  const nodeId = randomUUID();
  /** Runs `task` when this node holds (or takes) the lease: one node of the installation at a time. */
  const whileLeaseHeld =
    (lease: { name: string; ttlMs: number }, task: () => Promise<unknown>) => async () => {
      if (await services.acquireLease(lease.name, nodeId, lease.ttlMs)) await task();
    };
  const signCheckpoint = whileLeaseHeld(CHECKPOINT_LEASE, () => services.signCheckpointIfGrown());
  // A fresh installation publishes a checkpoint (of the empty tree) before it serves anything
  // (or another node, holding the lease, has published it).
  await signCheckpoint();
  const checkpointTimer = startPeriodicTask(signCheckpoint, CHECKPOINT_INTERVAL_MS, (error) =>
    logger.error({ err: error }, 'signing a transparency log checkpoint failed'),
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
  const cookieSecret = config.sessionSecret ?? loadOrCreateSecret(config.dataDir, 'cookie-secret');
  const nationalLogin = await createNationalLogin({
    config: config.loginGovPl,
    publicUrl: config.publicUrl,
    oneTimeIds: { claim: (id, expiresAt) => services.claimOneTimeId(id, expiresAt) },
    clock: options.clock ?? systemClock,
  });
  const http = await createHttpApp({ config, services, logger, cookieSecret, nationalLogin });
  return {
    http,
    services,
    deps,
    database,
    logger,
    nodeId,
    nationalLogin,
    async close() {
      await checkpointTimer.stop();
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
      await database.close();
    },
  };
}

/**
 * Adapters and services without the HTTP layer: what the command line uses, and the first half
 * of createApp.
 */
export async function createServiceLayer(
  config: Config,
  options: { clock?: Clock; pgSchema?: string; logger?: Logger; migrate?: boolean } = {},
): Promise<{ database: OpenDatabase; services: Services; deps: ServiceDeps }> {
  const database =
    options.migrate === false
      ? openDatabase({
          databaseUrl: config.databaseUrl,
          dataDir: config.dataDir,
          ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}),
        })
      : await openAndMigrate(config, options.pgSchema);
  const clock = options.clock ?? systemClock;
  const seals = createSeals(config, clock);
  try {
    // The CA and the platform seal exist from the first start (or the configured ones load).
    await seals.platform();
  } catch (error) {
    await database.close();
    throw error;
  }
  const deps: ServiceDeps = {
    db: database.db,
    dialect: database.dialect,
    blobs: createBlobStore(config),
    clock,
    config,
    seals,
    trust: createFileTrustStore({
      dir: path.join(config.dataDir, 'trust-lists'),
      platformCaPems: () => seals.trustedCaPems(),
    }),
    logSigner: ed25519Signer(config.logOrigin, loadOrCreateLogKey(config.dataDir)),
    mailer: createMailer(config, options.logger ?? createLogger(config.logLevel)),
    webhookSender: createWebhookSender({
      allowPrivate: config.webhooksAllowPrivate,
      timeoutMs: config.webhookTimeoutSeconds * 1000,
      // Header values must be ASCII; the installation name may not be.
      userAgent: 'UrzadOnLine-Webhooks/1',
    }),
  };
  return { database, services: createServices(deps), deps };
}

/** Blobs in the S3 bucket when S3_* is set, else under DATA_DIR/blobs; staging is always local. */
export function createBlobStore(config: Config): BlobStore {
  return config.s3
    ? createS3BlobStore(config.s3, path.join(config.dataDir, 'staging'))
    : createFsBlobStore(path.join(config.dataDir, 'blobs'));
}

/**
 * What must exist once before several processes start (the primary of `serve` with WORKERS
 * does this): applied migrations, the generated keys and the cookie secret.
 */
export async function prepareInstallation(config: Config): Promise<void> {
  const { database } = await createServiceLayer(config);
  await database.close();
  if (!config.sessionSecret) loadOrCreateSecret(config.dataDir, 'cookie-secret');
}

export function createMailer(config: Config, logger: Logger): Mailer {
  return config.smtpUrl
    ? createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom, logger })
    : createFileMailer({ dir: path.join(config.dataDir, 'mail'), from: config.mailFrom, logger });
}

export async function openAndMigrate(config: Config, pgSchema?: string): Promise<OpenDatabase> {
  const database = openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    ...(pgSchema ? { pgSchema } : {}),
  });
  try {
    await migrate(database.db, database.dialect);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
