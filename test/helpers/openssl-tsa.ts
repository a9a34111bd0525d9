import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { TestKey } from './test-pki';

/**
 * A time-stamping authority run by `openssl ts` (RFC 3161), the independent counterpart of our
 * time-stamp reading: requests from `openssl ts -query`, tokens from `openssl ts -reply`, and
 * `openssl ts -verify` to confirm what a token covers.
 */
export interface OpensslTsa {
  dir: string;
  /** A DER time-stamp token (CMS ContentInfo) over the SHA-256 of `data`, made now. */
  token(data: Buffer): Buffer;
  /**
   * The TSTInfo of a real token over `data`, signed by `signer` with `openssl cms` (which, unlike
   * `openssl ts`, signs with a certificate that is not for time-stamping).
   */
  tokenSignedBy(data: Buffer, signer: TestKey): Buffer;
  /** The time printed by `openssl ts -reply -text` for a token. */
  printedTime(token: Buffer): Date;
  /** Whether `openssl ts -verify` accepts `token` over `data` with `ca` as the only trusted CA. */
  verifies(token: Buffer, data: Buffer, ca: TestKey): boolean;
  cleanup(): void;
}

function run(args: string[], cwd: string): string {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args.slice(0, 2).join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

const keyPem = (key: TestKey) => key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

/** `tsa` needs extendedKeyUsage id-kp-timeStamping (critical); `chain` is carried in the tokens. */
export function opensslTsa(tsa: TestKey, chain: TestKey[] = []): OpensslTsa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openssl-tsa-'));
  fs.writeFileSync(path.join(dir, 'tsa.pem'), tsa.pem);
  fs.writeFileSync(path.join(dir, 'tsa.key'), keyPem(tsa), { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'chain.pem'), chain.map((c) => c.pem).join(''));
  fs.writeFileSync(path.join(dir, 'serial'), '01\n');
  fs.writeFileSync(
    path.join(dir, 'tsa.cnf'),
    [
      '[tsa]',
      'default_tsa = test',
      '[test]',
      'serial = serial',
      'signer_digest = sha256',
      'default_policy = 1.2.3.4.1',
      'digests = sha256, sha384, sha512',
      'accuracy = secs:1',
      'ordering = no',
      'tsa_name = yes',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );
  let n = 0;
  return {
    dir,
    token(data) {
      const i = ++n;
      const digest = createHash('sha256').update(data).digest('hex');
      run(['ts', '-query', '-digest', digest, '-sha256', '-cert', '-out', `q-${i}.tsq`], dir);
      const args = ['ts', '-reply', '-config', 'tsa.cnf', '-queryfile', `q-${i}.tsq`];
      args.push('-signer', 'tsa.pem', '-inkey', 'tsa.key', '-token_out', '-out', `t-${i}.der`);
      if (chain.length > 0) args.push('-chain', 'chain.pem');
      run(args, dir);
      return fs.readFileSync(path.join(dir, `t-${i}.der`));
    },
    tokenSignedBy(data, signer) {
      const token = this.token(data);
      const i = ++n;
      fs.writeFileSync(path.join(dir, `r-${i}.der`), token);
      fs.writeFileSync(path.join(dir, `r-${i}.pem`), signer.pem);
      fs.writeFileSync(path.join(dir, `r-${i}.key`), keyPem(signer), { mode: 0o600 });
      run(['cms', '-verify', '-noverify', '-inform', 'DER', '-in', `r-${i}.der`, '-out', `r-${i}.tst`], dir);
      run(
        ['cms', '-sign', '-binary', '-nodetach', '-outform', 'DER', '-md', 'sha256']
          .concat(['-econtent_type', '1.2.840.113549.1.9.16.1.4', '-in', `r-${i}.tst`])
          .concat(['-signer', `r-${i}.pem`, '-inkey', `r-${i}.key`, '-out', `r-${i}.p7`]),
        dir,
      );
      return fs.readFileSync(path.join(dir, `r-${i}.p7`));
    },
    printedTime(token) {
      const i = ++n;
      fs.writeFileSync(path.join(dir, `p-${i}.der`), token);
      const text = run(['ts', '-reply', '-in', `p-${i}.der`, '-token_in', '-text', '-token_out'], dir);
      const match = /Time stamp: (.+)/.exec(text);
      if (!match) throw new Error(`no time in: ${text}`);
      return new Date(match[1]!.trim());
    },
    verifies(token, data, ca) {
      const i = ++n;
      fs.writeFileSync(path.join(dir, `v-${i}.der`), token);
      fs.writeFileSync(path.join(dir, `v-${i}.bin`), data);
      fs.writeFileSync(path.join(dir, `v-${i}-ca.pem`), ca.pem);
      const result = spawnSync(
        'openssl',
        [
          'ts',
          '-verify',
          '-in',
          `v-${i}.der`,
          '-token_in',
          '-data',
          `v-${i}.bin`,
          '-CAfile',
          `v-${i}-ca.pem`,
        ],
        { cwd: dir, encoding: 'utf8' },
      );
      return result.status === 0 && result.stdout.includes('Verification: OK');
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The value a CMS signature time-stamp covers: the signer's signature (RFC 3161 appendix A). */
export function cmsSignatureValue(cms: Buffer): Buffer {
  const signed = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(cms)).content });
  return Buffer.from(signed.signerInfos[0]!.signature.valueBlock.valueHexView);
}

/** The CMS with `token` as the signer's id-aa-signatureTimeStampToken unsigned attribute. */
export function withSignatureTimestamp(cms: Buffer, token: Buffer): Buffer {
  const info = pkijs.ContentInfo.fromBER(new Uint8Array(cms));
  const signed = new pkijs.SignedData({ schema: info.content });
  const signer = signed.signerInfos[0]!;
  signer.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 1,
    attributes: [
      new pkijs.Attribute({
        type: '1.2.840.113549.1.9.16.2.14',
        values: [asn1js.fromBER(new Uint8Array(token)).result],
      }),
    ],
  });
  const out = new pkijs.ContentInfo({ contentType: info.contentType, content: signed.toSchema(true) });
  return Buffer.from(out.toSchema().toBER(false));
}
