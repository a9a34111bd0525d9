import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { openDatabase, migrate, type OpenDatabase } from './adapters/database';
import { createFsBlobStore } from './adapters/fs-blob-store';
import { createFileMailer } from './adapters/file-mailer';
import { createLogger } from './adapters/logger';
import { createSmtpMailer } from './adapters/smtp-mailer';
import { loadOrCreateSecret } from './adapters/secrets';
import type { Config } from './config';
import { buildAssets } from './http/assets';
import { createHttpApp } from './http/create-http-app';
import { systemClock, type Clock } from './ports/clock';
import type { Mailer } from './ports/mailer';
import { createServices, type Services } from './services/index';

export interface AppOptions {
  config: Config;
  clock?: Clock;
  logger?: Logger;
  /** PostgreSQL schema to work in (tests). */
  pgSchema?: string;
}

export interface App {
  http: FastifyInstance;
  services: Services;
  database: OpenDatabase;
  logger: Logger;
  close(): Promise<void>;
}

/**
 * The composition root: adapters, then services, then the HTTP app. The server, the command
 * line and the tests all build the application here.
 */
export async function createApp(options: AppOptions): Promise<App> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openAndMigrate(config, options.pgSchema);
  const blobs = createFsBlobStore(path.join(config.dataDir, 'blobs'));
  const services = createServices({
    db: database.db,
    dialect: database.dialect,
    blobs,
    clock: options.clock ?? systemClock,
    config,
    mailer: createMailer(config, logger),
  });
  buildAssets();
  const cookieSecret = config.sessionSecret ?? loadOrCreateSecret(config.dataDir, 'cookie-secret');
  const http = await createHttpApp({ config, services, logger, cookieSecret });
  return {
    http,
    services,
    database,
    logger,
    async close() {
      await http.close();
      await database.close();
    },
  };
}

/** SMTP when SMTP_URL is set, otherwise .eml files under DATA_DIR/mail. */
export function createMailer(config: Config, logger: Logger): Mailer {
  return config.smtpUrl
    ? createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom, logger })
    : createFileMailer({ dir: path.join(config.dataDir, 'mail'), from: config.mailFrom, logger });
}

export async function openAndMigrate(config: Config, pgSchema?: string): Promise<OpenDatabase> {
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, ...(pgSchema ? { pgSchema } : {}) });
  try {
    await migrate(database.db, database.pgSchema);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
