import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config';
import type { Clock } from '../../ports/clock';
import type { Seals } from '../../ports/seals';
import { createConfiguredSeals } from './configured-seals';
import { createGeneratedSeals } from './generated-seals';
import { pemBlocks } from './pem';

/**
 * Seals given by path (`SEALS_DIR`) in production; otherwise generated under `DATA_DIR/keys`.
 * Verification also trusts the certificates in the trust store (`DATA_DIR/trust/*.pem`):
 * retired authorities whose receipts stay valid, kept without their private keys.
 */
export function createSeals(config: Config, clock: Clock): Seals {
  const signing = config.sealsDir
    ? createConfiguredSeals({ dir: config.sealsDir, p12Password: config.sealsP12Password })
    : createGeneratedSeals({
        dir: path.join(config.dataDir, 'keys'),
        installationName: config.installationName,
        clock,
      });
  const trustDir = path.join(config.dataDir, 'trust');
  return {
    ...signing,
    async trustedCaPems() {
      const pems = new Set(await signing.trustedCaPems());
      for (const pem of readTrustStore(trustDir)) pems.add(pem);
      return [...pems];
    },
  };
}

/** Every certificate in `<dir>/*.pem` (PEM, one or more each); none when there is no store. */
export function readTrustStore(dir: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.endsWith('.pem'))
    .sort()
    .flatMap((entry) =>
      pemBlocks(fs.readFileSync(path.join(dir, entry), 'utf8'))
        .filter((block) => block.label === 'CERTIFICATE')
        .map((block) => block.pem),
    );
}
