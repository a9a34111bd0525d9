import type { Config } from '../config';
import type { BlobStore } from '../ports/blob-store';
import type { Clock } from '../ports/clock';
import type { Database, Dialect, FlushCommits } from '../ports/database';
import type { Seals } from '../ports/seals';
import type { RevocationFetcher } from '../ports/revocation-fetcher';
import type { TrustStore } from '../ports/trust-store';
import type { NoteSigner } from '../domain/tlog/note';
import type { Mailer } from '../ports/mailer';
import type { WebhookSender } from '../ports/webhook-sender';

/** What every service may use: ports only, never adapters. */
export interface ServiceDeps {
  db: Database;
  dialect: Dialect;
  /**
   * SQLite: receipt transactions commit without waiting for the disk and are made durable with
   * this, off the event loop, before anyone is answered (src/services/group-commit.ts).
   */
  flushCommits?: FlushCommits;
  blobs: BlobStore;
  clock: Clock;
  seals: Seals;
  /** Anchors for the signatures people attach; without it only the installation's own CAs count. */
  trust?: TrustStore;
  /** Fetches revocation data online; present only when SIGNATURE_REVOCATION_ONLINE allows it. */
  revocationFetcher?: RevocationFetcher;
  config: Config;
  /** Signs transparency log checkpoints; absent in processes that only append (e.g. the CLI). */
  logSigner?: NoteSigner;
  /**
   * MACs the audit log (a key kept outside the database, docs/security.md row 6). Absent only
   * where nothing writes the audit log; verifying without it is refused.
   */
  auditKey?: Buffer;
  mailer: Mailer;
  webhookSender: WebhookSender;
}
