import { execFileSync } from 'node:child_process';
import { X509Certificate, createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Seal, Seals } from '../../ports/seals';
import { pemBlocks, sealFromPem } from './pem';

const OFFICE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Seals given by an operator in `SEALS_DIR`: for each office `<officeId>.key.pem` and
 * `<officeId>.chain.pem` (seal certificate, then its issuers), or `<officeId>.p12` (PKCS#12,
 * password in `SEALS_P12_PASSWORD`, read with Debian's `openssl pkcs12`); the platform seal as
 * `platform.*`. A missing seal is an error: a production box never seals with a made-up key.
 */
export function createConfiguredSeals(options: { dir: string; p12Password?: string | undefined }): Seals {
  const { dir } = options;
  const cache = new Map<string, Seal>();

  function load(name: string): Seal {
    const cached = cache.get(name);
    if (cached) return cached;
    const keyFile = path.join(dir, `${name}.key.pem`);
    const chainFile = path.join(dir, `${name}.chain.pem`);
    const p12File = path.join(dir, `${name}.p12`);
    let seal: Seal;
    if (fs.existsSync(keyFile) && fs.existsSync(chainFile)) {
      seal = sealFromPem(fs.readFileSync(keyFile, 'utf8'), fs.readFileSync(chainFile, 'utf8'), keyFile);
    } else if (fs.existsSync(p12File)) {
      seal = readPkcs12(p12File, options.p12Password ?? '');
    } else {
      throw new Error(
        `No seal "${name}" in SEALS_DIR (${name}.key.pem with ${name}.chain.pem, or ${name}.p12)`,
      );
    }
    cache.set(name, seal);
    return seal;
  }

  return {
    async forOffice(officeId) {
      if (!OFFICE_ID.test(officeId))
        throw new Error(`invalid office id for a seal: ${JSON.stringify(officeId)}`);
      return load(officeId);
    },
    async platform() {
      return load('platform');
    },
    async trustedCaPems() {
      const roots = new Set<string>();
      for (const entry of fs.readdirSync(dir)) {
        const name = /^(.+)\.(chain\.pem|p12)$/.exec(entry)?.[1];
        if (name) roots.add(load(name).caPem);
      }
      return [...roots];
    },
    reload() {
      cache.clear();
    },
  };
}

/** Key and chain out of a PKCS#12 file; the password goes through the environment, never argv. */
function readPkcs12(file: string, password: string): Seal {
  const run = (args: string[]) =>
    execFileSync('openssl', ['pkcs12', '-in', file, '-passin', 'env:SEAL_P12_PASSWORD', ...args], {
      env: { ...process.env, SEAL_P12_PASSWORD: password },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const keyText = run(['-nocerts', '-nodes']);
  const certText = run(['-nokeys']);
  const key = pemBlocks(keyText).find((b) => b.label.endsWith('PRIVATE KEY'));
  if (!key) throw new Error(`${file}: no private key in the PKCS#12 file`);
  // openssl lists the end-entity certificate first when it carries a local key id; order the
  // rest by issuance so the chain reads seal → issuers.
  const certificates = pemBlocks(certText)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => b.pem);
  return sealFromPem(key.pem, orderChain(key.pem, certificates), file);
}

function orderChain(keyPem: string, certificates: string[]): string {
  const spki = createPublicKey(keyPem).export({ format: 'der', type: 'spki' });
  const parsed = certificates.map((pem) => ({ pem, cert: new X509Certificate(pem) }));
  const leaf = parsed.find((c) => c.cert.publicKey.export({ format: 'der', type: 'spki' }).equals(spki));
  if (!leaf) return certificates.join('');
  const ordered = [leaf];
  let current = leaf;
  while (ordered.length < parsed.length) {
    const issuer = parsed.find((c) => !ordered.includes(c) && current.cert.checkIssued(c.cert));
    if (!issuer) break;
    ordered.push(issuer);
    current = issuer;
  }
  return ordered.map((c) => c.pem).join('');
}
