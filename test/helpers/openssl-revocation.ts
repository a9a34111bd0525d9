import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestKey } from './test-pki';

/**
 * Revocation data made by openssl, the independent counterpart of our CRL/OCSP reading: a CA
 * directory in the layout of `openssl ca` (index.txt), CRLs from `openssl ca -gencrl`, OCSP
 * responses from `openssl ocsp` (offline, from a request file) and a live `openssl ocsp` responder.
 */
export interface OpensslCa {
  dir: string;
  ca: TestKey;
  /** Marks `cert` revoked at `at` (or known and good when `at` is absent) in index.txt. */
  record(cert: TestKey, at?: Date): void;
  /** A DER CRL issued now. */
  crl(): Buffer;
  /** A DER OCSP response about `cert`, issued now; a certificate not in index.txt is "unknown". */
  ocspResponse(cert: TestKey, signer?: TestKey): Buffer;
  cleanup(): void;
}

function run(args: string[], cwd: string): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
}

/** openssl's index.txt time: YYMMDDHHMMSSZ. */
const indexTime = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';

const keyPem = (key: TestKey) => key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

export function opensslCa(ca: TestKey): OpensslCa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openssl-ca-'));
  fs.writeFileSync(path.join(dir, 'ca.pem'), ca.pem);
  fs.writeFileSync(path.join(dir, 'ca.key'), keyPem(ca), { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'crlnumber'), '01\n');
  fs.writeFileSync(
    path.join(dir, 'ca.cnf'),
    '[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\ncrlnumber = crlnumber\ndefault_md = sha256\ndefault_crl_days = 1\n',
  );
  const lines = new Map<string, string>();
  let requests = 0;
  return {
    dir,
    ca,
    record(cert, at) {
      const serial = cert.certificate.serialNumber.toUpperCase();
      const expiry = indexTime(cert.certificate.notAfter);
      // Unique per certificate: openssl indexes valid entries by subject.
      const subject = `/CN=${serial}`;
      lines.set(
        serial,
        [at ? 'R' : 'V', expiry, at ? indexTime(at) : '', serial, 'unknown', subject].join('\t'),
      );
      fs.writeFileSync(path.join(dir, 'index.txt'), [...lines.values()].map((l) => `${l}\n`).join(''));
    },
    crl() {
      run(
        ['ca', '-gencrl', '-config', 'ca.cnf', '-keyfile', 'ca.key', '-cert', 'ca.pem', '-out', 'crl.pem'],
        dir,
      );
      run(['crl', '-in', 'crl.pem', '-outform', 'DER', '-out', 'crl.der'], dir);
      return fs.readFileSync(path.join(dir, 'crl.der'));
    },
    ocspResponse(cert, signer = ca) {
      const n = ++requests;
      fs.writeFileSync(path.join(dir, `cert-${n}.pem`), cert.pem);
      fs.writeFileSync(path.join(dir, `signer-${n}.pem`), signer.pem);
      fs.writeFileSync(path.join(dir, `signer-${n}.key`), keyPem(signer), { mode: 0o600 });
      run(
        ['ocsp', '-issuer', 'ca.pem', '-cert', `cert-${n}.pem`, '-no_nonce', '-reqout', `req-${n}.der`],
        dir,
      );
      run(
        [
          'ocsp',
          '-index',
          'index.txt',
          '-CA',
          'ca.pem',
          '-rsigner',
          `signer-${n}.pem`,
          '-rkey',
          `signer-${n}.key`,
          '-reqin',
          `req-${n}.der`,
          '-respout',
          `resp-${n}.der`,
          '-ndays',
          '1',
        ],
        dir,
      );
      return fs.readFileSync(path.join(dir, `resp-${n}.der`));
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A live `openssl ocsp` responder over the CA's index.txt; resolves once it accepts connections.
 * openssl re-reads index.txt only when its modification second changes, so record the
 * certificates first; `port` (from `freePort`) lets them name the responder before it starts.
 */
export async function ocspResponder(
  ca: OpensslCa,
  port = 0,
): Promise<{ url: string; stop(): Promise<void> }> {
  // Port 0: openssl picks a free port; either way it prints "ACCEPT [::]:<port> PID=<pid>".
  const child = spawn(
    'openssl',
    [
      'ocsp',
      '-index',
      'index.txt',
      '-CA',
      'ca.pem',
      '-rsigner',
      'ca.pem',
      '-rkey',
      'ca.key',
      '-port',
      String(port),
      '-ndays',
      '1',
    ],
    { cwd: ca.dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const bound = await new Promise<number>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /ACCEPT .*:(\d+) /.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`openssl ocsp exited with ${code}: ${err}`)));
  });
  return {
    url: `http://127.0.0.1:${bound}/`,
    async stop() {
      child.kill();
      await exited;
    },
  };
}

/** A loopback port free right now (for a server whose address must be known before it starts). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
