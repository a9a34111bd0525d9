import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { createGeneratedSeals } from '../../src/adapters/keys/generated-seals';
import { xadesjs } from '../../src/domain/receipts/crypto-engine';
import type { ReceiptInput, ReceiptKind } from '../../src/domain/receipts/index';
import '../../src/domain/receipts/verify-receipt'; // registers xmldom with xadesjs
import { ManualClock } from '../../src/ports/clock';
import type { Seals } from '../../src/ports/seals';

export const OFFICE = {
  id: 'umczestochowa',
  name: 'Urząd Miasta Częstochowy',
  boxAddress: '/umczestochowa/skrytka',
};

/** Seals generated into a fresh temporary directory, removed by `cleanup`. */
export function temporarySeals(clock = new ManualClock(new Date())): {
  seals: Seals;
  dir: string;
  cleanup(): void;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-keys-'));
  return {
    seals: createGeneratedSeals({ dir, installationName: 'Urząd OnLine', clock }),
    dir,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Fixed for the whole test run, a minute ago (within the validity of freshly made certificates). */
const ENTERED = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);

export function receiptInput(kind: ReceiptKind, overrides: Partial<ReceiptInput> = {}): ReceiptInput {
  const resident = { name: 'Jan Kowalski', id: 'konto-7f3a', idType: 'IdentyfikatorKonta' };
  return {
    kind,
    receiptId: `${kind}-2026-000042`,
    documentId: 'DOC-2026-000042',
    office: OFFICE,
    sender:
      kind === 'UPP'
        ? resident
        : { name: 'Wydział Komunikacji', id: 'urzednik-12', idType: 'IdentyfikatorKonta' },
    ...(kind === 'UPP' ? {} : { recipient: resident }),
    ...(kind === 'sending' ? { title: 'Decyzja w sprawie „zajęcia pasa” <drogowego> & opłat' } : {}),
    ...(kind === 'UPP' ? {} : { caseReference: 'WK.5410.12.2026' }),
    enteredAt: ENTERED,
    ...(kind === 'UPD' ? { arrivedAt: new Date(ENTERED.getTime() - 3 * 86_400_000) } : {}),
    issuedAt: new Date(ENTERED.getTime() + 1_234),
    files: [
      { role: 'main', name: 'wniosek.xml', sha256: 'a3'.repeat(32), size: 2048 },
      { role: 'attachment', name: 'skan dowodu.pdf', sha256: '5b'.repeat(32), size: 1_048_576 },
      { role: 'attachment', name: 'zaświadczenie.jpg', sha256: 'c0'.repeat(32), size: 52_113 },
    ],
    ...(kind === 'UPD' ? { deemed: false } : {}),
    logIndex: 1234,
    ...overrides,
  };
}

/**
 * xmlsec1, the independent reference implementation, exactly as an outsider would run it; `at`
 * checks the certificates at that time instead of now.
 */
export function xmlsecVerifies(
  xml: string | Buffer,
  caPem: string,
  at?: Date,
): { ok: boolean; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-xmlsec-'));
  try {
    fs.writeFileSync(path.join(dir, 'ca.pem'), caPem);
    fs.writeFileSync(path.join(dir, 'receipt.xml'), xml);
    const run = spawnSync(
      'xmlsec1',
      [
        '--verify',
        '--trusted-pem',
        'ca.pem',
        '--id-attr:Id',
        'SignedProperties',
        ...(at ? ['--verification-gmt-time', at.toISOString().slice(0, 19).replace('T', ' ')] : []),
        'receipt.xml',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    if (run.error) throw run.error;
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** xadesjs on its own (signature and references only; it does not judge trust). */
export async function xadesjsVerifies(xml: string): Promise<boolean> {
  try {
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const signature = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0];
    if (!signature) return false;
    const signed = new xadesjs.SignedXml(doc as unknown as Document);
    signed.LoadXml(signature as unknown as Element);
    return await signed.Verify();
  } catch {
    return false;
  }
}
