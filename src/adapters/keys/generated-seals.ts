import fs from 'node:fs';
import path from 'node:path';
import { x509 } from '../../domain/receipts/crypto-engine';
import { officeSealId, PLATFORM_SEAL_ID } from '../../domain/receipts/model';
import type { Clock } from '../../ports/clock';
import type { Seal, Seals } from '../../ports/seals';
import { createFileOnce as createOnce, makeDurableDirSync } from '../durable-files';
import { createCertificateAuthority, issueSealCertificate, type IssuedKey } from './certificates';
import { pemBlocks, sealFromPem } from './pem';

/** Office ids become file names: only this shape, never a path. */
const OFFICE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Certificates start a little in the past so a node whose clock lags still accepts them. */
const BACKDATE_MS = 60 * 60 * 1000;

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** One file holds a private key and its chain, so the pair appears at once or not at all. */
function keyFile(issued: IssuedKey, issuers: string[]): string {
  return issued.privateKeyPem + issued.certificate.toString('pem') + '\n' + issuers.join('');
}

function splitKeyFile(text: string, source: string): { keyPem: string; chainPem: string } {
  const blocks = pemBlocks(text);
  const key = blocks.find((b) => b.label.endsWith('PRIVATE KEY'));
  if (!key) throw new Error(`${source}: no private key`);
  return {
    keyPem: key.pem,
    chainPem: blocks
      .filter((b) => b.label === 'CERTIFICATE')
      .map((b) => b.pem)
      .join(''),
  };
}

/**
 * Seals generated on first use under `<dir>` (mode 0600 files): a local certification authority
 * (`ca.pem`, its certificate also in `ca.cert.pem`), the platform seal (`platform.pem`) and
 * one seal per office (`offices/<officeId>.pem`). Safe when several processes start at once.
 */
export function createGeneratedSeals(options: {
  dir: string;
  installationName: string;
  clock: Clock;
}): Seals {
  const { dir, installationName, clock } = options;
  const cache = new Map<string, Promise<Seal>>();
  let caPromise:
    Promise<{ privateKeyPem: string; certificate: x509.X509Certificate; pem: string }> | undefined;

  const notBefore = () => new Date(clock.now().getTime() - BACKDATE_MS);

  function ensureDirs(): void {
    makeDurableDirSync(path.join(dir, 'offices'), path.dirname(dir), 0o700);
  }

  function authority() {
    caPromise ??= (async () => {
      ensureDirs();
      const file = path.join(dir, 'ca.pem');
      let text = readIfExists(file);
      if (text === undefined) {
        const ca = await createCertificateAuthority(installationName, notBefore());
        text = createOnce(file, keyFile(ca, []));
      }
      const { keyPem, chainPem } = splitKeyFile(text, file);
      const certificate = new x509.X509Certificate(chainPem);
      // The public half, for people who verify receipts with xmlsec1.
      const certFile = path.join(dir, 'ca.cert.pem');
      if (readIfExists(certFile) !== chainPem) createOnce(certFile, chainPem);
      return { privateKeyPem: keyPem, certificate, pem: chainPem };
    })();
    caPromise.catch(() => (caPromise = undefined));
    return caPromise;
  }

  function seal(cacheKey: string, file: string, organisationName: string, sealId: string): Promise<Seal> {
    let found = cache.get(cacheKey);
    if (!found) {
      found = (async () => {
        const ca = await authority();
        let text = readIfExists(file);
        if (text === undefined) {
          const issued = await issueSealCertificate(ca, organisationName, sealId, notBefore());
          text = createOnce(file, keyFile(issued, [ca.pem]));
        }
        const { keyPem, chainPem } = splitKeyFile(text, file);
        return sealFromPem(keyPem, chainPem, file);
      })();
      cache.set(cacheKey, found);
      found.catch(() => cache.delete(cacheKey));
    }
    return found;
  }

  return {
    forOffice(officeId, officeName) {
      if (!OFFICE_ID.test(officeId))
        return Promise.reject(new Error(`invalid office id for a seal: ${JSON.stringify(officeId)}`));
      return seal(
        `office:${officeId}`,
        path.join(dir, 'offices', `${officeId}.pem`),
        officeName,
        officeSealId(officeId),
      );
    },
    platform() {
      return seal('platform', path.join(dir, 'platform.pem'), installationName, PLATFORM_SEAL_ID);
    },
    async trustedCaPems() {
      return [(await authority()).pem];
    },
    reload() {
      cache.clear();
      caPromise = undefined;
    },
  };
}
