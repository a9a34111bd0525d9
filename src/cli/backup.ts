import path from 'node:path';
import { parseArgs } from 'node:util';
import { backupDataDir, restoreDataDir } from '../adapters/embedded-backup';
import type { Config } from '../config';
import type { BackupManifest } from '../domain/backup-manifest';
import { AppError } from '../domain/errors';
import { UsageError } from './usage-error';

/**
 * `backup <dir>` and `restore <dir>` of the embedded installation (docs/operations.md).
 * Exit 0 done; refusals and failures are AppErrors, printed in Polish and English by main.
 */

function oneDirectory(command: string, args: string[]): string {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
  if (positionals.length !== 1 || !positionals[0]) throw new UsageError(`${command} takes exactly one <dir>`);
  return path.resolve(positionals[0]);
}

/** The embedded backup copies DATA_DIR; a database or blob store elsewhere has its own tools. */
function refuseOnPostgres(command: string, config: Config): void {
  if (config.databaseUrl)
    throw new AppError({
      code: 'backup_refused',
      status: 400,
      key: 'backup.error.postgres',
      params: { command },
    });
  if (config.s3)
    throw new AppError({ code: 'backup_refused', status: 400, key: 'backup.error.s3', params: { command } });
}

function summary(manifest: BackupManifest): string {
  const { database: d } = manifest;
  const checkpoint = d.checkpoint
    ? `latest checkpoint at size ${d.checkpoint.treeSize}`
    : 'no checkpoint yet';
  const secrets = manifest.files.filter(
    (f) => f.path.startsWith('keys/') || f.path.startsWith('secrets/'),
  ).length;
  return `${d.documents} documents, ${d.receipts} receipts, log size ${d.logSize} (${checkpoint}), ${d.blobs} blobs, ${secrets} key and secret files`;
}

export async function backupCommand(
  args: string[],
  config: Config,
  out: (line: string) => void,
): Promise<number> {
  const target = oneDirectory('backup', args);
  refuseOnPostgres('backup', config);
  const manifest = await backupDataDir({ dataDir: config.dataDir, target, sealsDir: config.sealsDir });
  out(`backup written to ${target}: ${summary(manifest)}`);
  out(
    'It holds personal data, the private keys of the seals and the log, and the installation secrets: keep it as safe as the server itself.',
  );
  if (manifest.seals === 'external')
    out(
      `The seals are configured in SEALS_DIR (${config.sealsDir}) and are not in this backup: keep them out of band.`,
    );
  return 0;
}

export async function restoreCommand(
  args: string[],
  config: Config,
  out: (line: string) => void,
): Promise<number> {
  const source = oneDirectory('restore', args);
  refuseOnPostgres('restore', config);
  const manifest = await restoreDataDir({ backupDir: source, dataDir: config.dataDir });
  out(`restored into ${config.dataDir} the backup of ${manifest.createdAt}: ${summary(manifest)}`);
  if (manifest.seals === 'external')
    out(
      'The backup was made with seals in SEALS_DIR: set SEALS_DIR to those seals before starting the server.',
    );
  return 0;
}
