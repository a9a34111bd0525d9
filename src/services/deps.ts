import type { Config } from '../config';
import type { BlobStore } from '../ports/blob-store';
import type { Clock } from '../ports/clock';
import type { Database, Dialect } from '../ports/database';
import type { Mailer } from '../ports/mailer';

/** What every service may use: ports only, never adapters. */
export interface ServiceDeps {
  db: Database;
  dialect: Dialect;
  blobs: BlobStore;
  clock: Clock;
  config: Config;
  mailer: Mailer;
}
