import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting comes from the environment and is validated here; README.md documents each one.
 * The same function serves the server, the command line and the tests.
 */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PUBLIC_URL: z
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  INSTALLATION_NAME: z.string().min(1).default('Urząd OnLine'),
  CONTACT_NAME: z.string().optional(),
  CONTACT_EMAIL: z
    .email()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  CONTACT_PHONE: z.string().optional(),
  DPO_EMAIL: z
    .email()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ACCESSIBILITY_STATEMENT_PUBLISHED: z.iso.date().default('2026-12-07'),
  ACCESSIBILITY_STATEMENT_UPDATED: z.iso
    .date()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  // Ask issuers online (OCSP, CRL distribution points) when a signature carries no revocation data.
  SIGNATURE_REVOCATION_ONLINE: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  SESSION_SECRET: z.string().min(32).optional(),
  // Who may read /metrics: a bearer token of at least 32 characters; unset, /metrics is off.
  METRICS_TOKEN: z
    .string()
    .min(32, 'at least 32 characters / co najmniej 32 znaki')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PULL_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  SEALS_DIR: z
    .string()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SEALS_P12_PASSWORD: z.string().optional(),
  // A C2SP signed-note key name: no spaces, no "+".
  LOG_ORIGIN: z
    .string()
    .regex(/^[^\s+]+$/u, 'must be a name without spaces or "+", e.g. urzad.example.gov.pl/log')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  // The national node: its metadata file, or "simulator"; empty = the simulator on embedded installs.
  LOGIN_GOV_PL_METADATA: z.string().optional(),
  LOGIN_GOV_PL_ENTITY_ID: z.string().optional(),
  LOGIN_GOV_PL_PROVIDER_NAME: z.string().min(1).max(200).optional(),
  LOGIN_GOV_PL_KEYS_DIR: z.string().optional(),
  LOGIN_GOV_PL_SIMULATOR_ALLOW_HTTPS: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  // The platform's own trusted-profile register, for closed installations only (docs/identity.md).
  LOCAL_TRUSTED_PROFILES: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  // How long before the session ends its warning dialog opens (docs/accounts.md, "Session end").
  SESSION_WARNING_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(24 * 3600)
    .default(120),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  MAIL_FROM: z.string().min(3).default('Urząd OnLine <no-reply@localhost>'),
  JOBS_POLL_MS: z.coerce.number().int().min(0).max(60_000).default(500),
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(16),
  WEBHOOKS_ALLOW_PRIVATE: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(60).default(10),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1200),
  S3_ENDPOINT: z
    .url('must be a URL such as https://s3.example.pl or http://127.0.0.1:9000')
    .regex(/^https?:\/\//, 'must be an http:// or https:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  S3_REGION: z
    .string()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  // S3 bucket naming rules: 3–63 lower-case letters, digits, dots and hyphens.
  S3_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'must be a bucket name of 3–63 lower-case letters, digits, "." or "-"',
    )
    .optional()
    .or(z.literal('').transform(() => undefined)),
  // Set but empty is a mistake (a variable left blank), not "no credentials".
  S3_ACCESS_KEY_ID: z
    .string()
    .min(1, 'must not be empty when set / nie może być puste, jeśli jest ustawione')
    .optional(),
  // Set but empty is a mistake (a variable left blank), not "no credentials".
  S3_SECRET_ACCESS_KEY: z
    .string()
    .min(1, 'must not be empty when set / nie może być puste, jeśli jest ustawione')
    .optional(),
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .or(z.literal('').transform(() => undefined))
    .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1')),
  WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  GROUP_COMMIT: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  DATABASE_CONNECT_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(300).default(5),
  DATABASE_STATEMENT_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
  S3_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
  MIGRATE_ON_START: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  // This node's name in logs, pg_stat_activity and `doctor`; the host name and process id when unset.
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be 1–63 letters, digits, ".", "_" or "-"')
    .optional(),
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().min(0).max(300).default(5),
});

/** Object storage settings; when present, blobs live in this bucket instead of DATA_DIR/blobs. */
export interface S3Config {
  endpoint: string | undefined;
  region: string;
  bucket: string;
  /** Both or neither; without them the SDK's own chain applies (AWS_* variables, instance role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key` (MinIO, Ceph). */
  forcePathStyle: boolean;
  /** A request gives up after this long; idempotent ones are retried with back-off. */
  timeoutMs?: number;
}

export type RawConfig = z.input<typeof schema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  publicUrl: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  installationName: string;
  /** Who answers for the service: named in the accessibility statement, privacy notice and terms. */
  legal: LegalConfig;
  trustProxy: boolean;
  /** Fetch revocation data (OCSP, CRL) of signers' certificates online; off by default (offline verification). */
  signatureRevocationOnline: boolean;
  /** Secret for signed cookies; generated and kept in DATA_DIR when not given. */
  sessionSecret: string | undefined;
  /** Bearer token that reads /metrics (Prometheus); undefined: /metrics answers 404. */
  metricsToken: string | undefined;
  /** How long a document handed out by the pull queue stays leased. */
  pullLeaseSeconds: number;
  /** Seals given by the operator (PEM or PKCS#12 files); generated under DATA_DIR/keys when unset. */
  sealsDir: string | undefined;
  sealsP12Password: string | undefined;
  /** Origin line of transparency log checkpoints and name of the log's key. */
  logOrigin: string;
  /** A session ends after this long without a request… */
  sessionIdleMinutes: number;
  /** …and at the latest this long after login. */
  sessionAbsoluteHours: number;
  /** The "Przedłuż sesję" dialog opens this long before the session ends. */
  sessionWarningSeconds: number;
  /** SMTP server for outgoing mail; when absent, mail is written to DATA_DIR/mail. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** How often this process looks for due jobs; 0 runs no jobs here (a web-only node). */
  jobsPollMs: number;
  /** Jobs run at once by this process. */
  jobsConcurrency: number;
  /** Webhooks to loopback/private addresses and over plain http (tests, private networks only). */
  webhooksAllowPrivate: boolean;
  /** A webhook endpoint that has not answered after this is cut off. */
  webhookTimeoutSeconds: number;
  /** Requests one integration token may make per minute (counted across all nodes). */
  apiRateLimitPerMinute: number;
  /** Blobs in S3-compatible object storage; undefined keeps them under DATA_DIR/blobs. */
  s3: S3Config | undefined;
  /** Processes `serve` runs on this machine (node:cluster) when above 1. */
  workers: number;
  /** Receipts issued at the same moment share one durable commit (services/group-commit.ts). */
  groupCommit: boolean;
  /** PostgreSQL: connecting gives up after this long. */
  databaseConnectTimeoutMs: number;
  /** PostgreSQL: a statement is cancelled after this long (a frozen connection shortly after). */
  databaseStatementTimeoutMs: number;
  /** Object store: a request gives up after this long (and is retried when idempotent). */
  s3TimeoutMs: number;
  /** `serve` applies pending migrations before listening (false: `migrate` is a separate step). */
  migrateOnStart: boolean;
  /** This node's name, when set; otherwise `<hostname>-<pid>`. */
  nodeId: string | undefined;
  /** On SIGTERM /readyz answers 503 for this long before the server stops accepting requests. */
  shutdownDrainMs: number;
  loginGovPl: LoginGovPlConfig;
  /**
   * The platform's own trusted-profile register (apply, confirm at a point, sign with it). Not the
   * legal trusted profile: off by default; residents are pointed to the national one.
   */
  localTrustedProfiles: boolean;
}

/** The operator's contact details and the accessibility statement's dates (docs/legal-pages.md). */
export interface LegalConfig {
  contactName: string | undefined;
  contactEmail: string | undefined;
  contactPhone: string | undefined;
  /** The data protection officer's e-mail; an office's own notice names it when set. */
  dpoEmail: string | undefined;
  /** YYYY-MM-DD. */
  statementPublished: string;
  statementUpdated: string;
}

/** Login through the national node (docs/identity.md). */
export interface LoginGovPlConfig {
  /** The node's metadata file; undefined with `simulator` true runs the built-in simulator; both off = no national login. */
  metadataPath: string | undefined;
  simulator: boolean;
  entityId: string;
  providerName: string;
  /** Our signing and encryption keys (P-256), generated here when absent. */
  keysDir: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw invalid(lines);
  }
  const e = parsed.data;
  const s3 = s3Config(e);
  const publicHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST;
  const publicUrl = (e.PUBLIC_URL ?? `http://${publicHost}:${e.PORT}`).replace(/\/$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    publicUrl,
    logLevel: e.LOG_LEVEL,
    installationName: e.INSTALLATION_NAME,
    legal: {
      contactName: e.CONTACT_NAME || undefined,
      contactEmail: e.CONTACT_EMAIL,
      contactPhone: e.CONTACT_PHONE || undefined,
      dpoEmail: e.DPO_EMAIL,
      statementPublished: e.ACCESSIBILITY_STATEMENT_PUBLISHED,
      statementUpdated: e.ACCESSIBILITY_STATEMENT_UPDATED ?? e.ACCESSIBILITY_STATEMENT_PUBLISHED,
    },
    trustProxy: e.TRUST_PROXY,
    signatureRevocationOnline: e.SIGNATURE_REVOCATION_ONLINE,
    sessionSecret: e.SESSION_SECRET,
    metricsToken: e.METRICS_TOKEN,
    pullLeaseSeconds: e.PULL_LEASE_SECONDS,
    sealsDir: e.SEALS_DIR ? path.resolve(e.SEALS_DIR) : undefined,
    sealsP12Password: e.SEALS_P12_PASSWORD,
    logOrigin: e.LOG_ORIGIN ?? `${new URL(publicUrl).host}/log`,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.SESSION_ABSOLUTE_HOURS,
    sessionWarningSeconds: e.SESSION_WARNING_SECONDS,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    jobsPollMs: e.JOBS_POLL_MS,
    jobsConcurrency: e.JOBS_CONCURRENCY,
    webhooksAllowPrivate: e.WEBHOOKS_ALLOW_PRIVATE,
    webhookTimeoutSeconds: e.WEBHOOK_TIMEOUT_SECONDS,
    apiRateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
    s3,
    workers: e.WORKERS,
    groupCommit: e.GROUP_COMMIT,
    databaseConnectTimeoutMs: Math.round(e.DATABASE_CONNECT_TIMEOUT_SECONDS * 1000),
    databaseStatementTimeoutMs: Math.round(e.DATABASE_STATEMENT_TIMEOUT_SECONDS * 1000),
    s3TimeoutMs: Math.round(e.S3_TIMEOUT_SECONDS * 1000),
    migrateOnStart: e.MIGRATE_ON_START,
    nodeId: e.NODE_ID,
    shutdownDrainMs: Math.round(e.SHUTDOWN_DRAIN_SECONDS * 1000),
    loginGovPl: loginGovPlConfig(e, publicUrl),
    localTrustedProfiles: e.LOCAL_TRUSTED_PROFILES,
  };
}

/**
 * The simulator runs when asked for, or when no node is configured on an embedded (SQLite)
 * install; never behind https unless explicitly allowed, so a public site cannot end up with a
 * login anyone can fake.
 */
function loginGovPlConfig(e: z.infer<typeof schema>, publicUrl: string): LoginGovPlConfig {
  const setting = (e.LOGIN_GOV_PL_METADATA ?? '').trim();
  const https = publicUrl.startsWith('https:');
  const wantsSimulator = setting === 'simulator' || (setting === '' && !e.DATABASE_URL);
  if (setting === 'simulator' && https && !e.LOGIN_GOV_PL_SIMULATOR_ALLOW_HTTPS)
    throw invalid([
      '  LOGIN_GOV_PL_METADATA: the simulator is not allowed with an https PUBLIC_URL unless LOGIN_GOV_PL_SIMULATOR_ALLOW_HTTPS=true / symulator jest niedozwolony przy PUBLIC_URL https bez LOGIN_GOV_PL_SIMULATOR_ALLOW_HTTPS=true',
    ]);
  return {
    metadataPath: setting && setting !== 'simulator' ? path.resolve(setting) : undefined,
    simulator: wantsSimulator && (!https || e.LOGIN_GOV_PL_SIMULATOR_ALLOW_HTTPS),
    entityId: e.LOGIN_GOV_PL_ENTITY_ID || publicUrl,
    providerName: e.LOGIN_GOV_PL_PROVIDER_NAME ?? e.INSTALLATION_NAME,
    keysDir: path.resolve(e.LOGIN_GOV_PL_KEYS_DIR || path.join(e.DATA_DIR, 'keys')),
  };
}

function invalid(lines: string[]): ConfigError {
  return new ConfigError(`Invalid settings / Nieprawidłowe ustawienia:\n${lines.join('\n')}`);
}

/** All or nothing: any S3_* setting means blobs go to S3, so the bucket must be named. */
function s3Config(e: z.infer<typeof schema>): S3Config | undefined {
  const given = [
    e.S3_ENDPOINT,
    e.S3_REGION,
    e.S3_BUCKET,
    e.S3_ACCESS_KEY_ID,
    e.S3_SECRET_ACCESS_KEY,
    e.S3_FORCE_PATH_STYLE,
  ].some((v) => v !== undefined);
  if (!given) return undefined;
  const problems: string[] = [];
  if (!e.S3_BUCKET) {
    problems.push(
      '  S3_BUCKET: is required when any S3_* setting is given / jest wymagane, gdy podano którekolwiek ustawienie S3_*',
    );
  }
  if ((e.S3_ACCESS_KEY_ID === undefined) !== (e.S3_SECRET_ACCESS_KEY === undefined)) {
    const missing = e.S3_ACCESS_KEY_ID === undefined ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY';
    problems.push(
      `  ${missing}: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together / należy podać oba albo żadne`,
    );
  }
  if (problems.length > 0 || !e.S3_BUCKET) throw invalid(problems);
  return {
    endpoint: e.S3_ENDPOINT,
    region: e.S3_REGION ?? 'us-east-1',
    bucket: e.S3_BUCKET,
    credentials:
      e.S3_ACCESS_KEY_ID !== undefined && e.S3_SECRET_ACCESS_KEY !== undefined
        ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
        : undefined,
    forcePathStyle: e.S3_FORCE_PATH_STYLE ?? e.S3_ENDPOINT !== undefined,
    timeoutMs: Math.round(e.S3_TIMEOUT_SECONDS * 1000),
  };
}
