import path from 'node:path';
import type { Config } from '../../config';
import type { Clock } from '../../ports/clock';
import type { Seals } from '../../ports/seals';
import { createConfiguredSeals } from './configured-seals';
import { createGeneratedSeals } from './generated-seals';

/** Seals given by path (`SEALS_DIR`) in production; otherwise generated under `DATA_DIR/keys`. */
export function createSeals(config: Config, clock: Clock): Seals {
  if (config.sealsDir)
    return createConfiguredSeals({ dir: config.sealsDir, p12Password: config.sealsP12Password });
  return createGeneratedSeals({
    dir: path.join(config.dataDir, 'keys'),
    installationName: config.installationName,
    clock,
  });
}
