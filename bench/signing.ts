/**
 * Receipts signed per second: the canonical-form signer, xadesjs signing the same receipt, and a
 * bare ECDSA P-256 signature of 32 bytes (the floor: one private-key operation), in one run.
 * Targets: the signer ≥ 50 % of the bare signature and ≥ 50× xadesjs.
 */
import { randomBytes, sign, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';
import { createGeneratedSeals } from '../src/adapters/keys/generated-seals';
import { xadesjs } from '../src/domain/receipts/crypto-engine';
import { receiptDocument, signReceipt, type ReceiptInput } from '../src/domain/receipts/index';
import '../src/domain/receipts/verify-receipt';
import { systemClock } from '../src/ports/clock';

export interface Measurement {
  name: string;
  perSecond: number;
}

/** Operations per second of `fn` over about `ms` milliseconds. */
async function rate(fn: () => unknown, ms: number): Promise<number> {
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 20; i++) await fn();
    count += 20;
    now = performance.now();
  }
  return (count * 1000) / (now - start);
}

/**
 * Measures the cases in interleaved rounds (A, B, C, A, B, C, ...) and keeps each case's
 * median, so a neighbour's load on a shared machine skews every case alike.
 */
async function measureInterleaved(
  cases: { name: string; fn: () => unknown }[],
  totalMs: number,
  rounds = 7,
): Promise<Measurement[]> {
  for (const c of cases) await rate(c.fn, 200); // warm-up
  const samples = cases.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (const [index, c] of cases.entries()) samples[index]!.push(await rate(c.fn, totalMs / rounds));
  }
  return cases.map((c, index) => {
    const sorted = samples[index]!.sort((a, b) => a - b);
    return { name: c.name, perSecond: sorted[Math.floor(sorted.length / 2)]! };
  });
}

export function benchInput(i: number): ReceiptInput {
  const at = new Date();
  return {
    kind: 'UPP',
    receiptId: `UPP-2026-${String(i).padStart(9, '0')}`,
    documentId: `DOC-2026-${String(i).padStart(9, '0')}`,
    office: { id: 'umczestochowa', name: 'Urząd Miasta Częstochowy', boxAddress: '/umczestochowa/skrytka' },
    sender: { name: 'Jan Kowalski', id: 'konto-7f3a', idType: 'IdentyfikatorKonta' },
    enteredAt: at,
    issuedAt: at,
    files: [
      { role: 'main', name: 'wniosek.xml', sha256: 'a3'.repeat(32), size: 2048 },
      { role: 'attachment', name: 'skan dowodu.pdf', sha256: '5b'.repeat(32), size: 1_048_576 },
    ],
    logIndex: i,
  };
}

export async function runSigningBenchmark(options: { ms?: number } = {}): Promise<Measurement[]> {
  /** Time per case. */
  const ms = options.ms ?? 3500;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-bench-'));
  try {
    const seals = createGeneratedSeals({ dir, installationName: 'Urząd OnLine', clock: systemClock });
    const seal = await seals.forOffice('umczestochowa', 'Urząd Miasta Częstochowy');
    const digest = randomBytes(32);
    const cryptoKey = await webcrypto.subtle.importKey(
      'pkcs8',
      seal.privateKey.export({ format: 'der', type: 'pkcs8' }),
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    );
    const certificateBase64 = seal.certificateDer.toString('base64');

    let i = 0;
    return await measureInterleaved(
      [
        {
          name: 'bare ECDSA P-256 (32 bytes)',
          fn: () => sign('sha256', digest, { key: seal.privateKey, dsaEncoding: 'ieee-p1363' }),
        },
        { name: 'signReceipt (canonical-form signer)', fn: () => signReceipt(benchInput(i++), seal) },
        {
          name: 'xadesjs signing the same receipt',
          fn: async () => {
            const input = benchInput(i++);
            const doc = new DOMParser().parseFromString(receiptDocument(input), 'text/xml');
            const signed = new xadesjs.SignedXml();
            await signed.Sign(
              { name: 'ECDSA', hash: 'SHA-256' } as Algorithm,
              cryptoKey,
              doc as unknown as Document,
              {
                x509: [certificateBase64],
                signingCertificate: certificateBase64,
                signingTime: { value: input.issuedAt },
                references: [{ hash: 'SHA-256', transforms: ['enveloped', 'exc-c14n'] }],
              },
            );
            return signed.toString();
          },
        },
      ],
      ms * 3,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function printSigningBenchmark(results: Measurement[]): { ofBare: number; overXadesjs: number } {
  const [bare, ours, viaXadesjs] = results as [Measurement, Measurement, Measurement];
  for (const r of results) console.log(`${r.name.padEnd(40)} ${r.perSecond.toFixed(0).padStart(8)} /s`);
  const ofBare = ours.perSecond / bare.perSecond;
  const overXadesjs = ours.perSecond / viaXadesjs.perSecond;
  console.log(`signer / bare ECDSA: ${(ofBare * 100).toFixed(1)} % (target ≥ 50 %)`);
  console.log(`signer / xadesjs:    ${overXadesjs.toFixed(1)}× (target ≥ 50×)`);
  return { ofBare, overXadesjs };
}

// `npx tsx bench/signing.ts` runs this benchmark alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printSigningBenchmark(await runSigningBenchmark());
}
