import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import type { ReceiptFile, ReceiptReport } from '../../src/domain/receipts/index';
import {
  ed25519Signer,
  formatCheckpoint,
  inclusionProof,
  leafHash,
  memoryHashSource,
  parseVerifierKey,
  rootHash,
  signNote,
  verifierKeyString,
} from '../../src/domain/tlog/index';
import { checkLogInclusion, fileFindings, judge, matchFiles } from '../../src/domain/verification/index';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const entry = (role: ReceiptFile['role'], name: string, content: string): ReceiptFile => ({
  role,
  name,
  sha256: sha(content),
  size: Buffer.byteLength(content),
});
const given = (name: string, content: string) => ({
  name,
  sha256: sha(content),
  size: Buffer.byteLength(content),
});

describe('matchFiles', () => {
  const entries = [
    entry('main', 'wniosek.pdf', 'main'),
    entry('attachment', 'a.png', 'same'),
    entry('attachment', 'b.png', 'same'),
  ];

  test('by content first, preferring the entry of the same name; a renamed copy still matches', () => {
    const matches = matchFiles(entries, [
      given('a.png', 'same'),
      given('b.png', 'same'),
      given('kopia.pdf', 'main'),
    ]);
    assert.deepEqual(
      matches.map((m) => (m.status === 'matched' ? [m.entry.name, m.sameName] : m.status)),
      [
        ['a.png', true],
        ['b.png', true],
        ['wniosek.pdf', false],
      ],
    );
  });

  test('same name, other content is changed; neither is unknown; entries not given are listed, not failed', () => {
    const matches = matchFiles(entries, [given('wniosek.pdf', 'mai'), given('x.txt', 'x')]);
    assert.deepEqual(
      matches.map((m) => m.status),
      ['changed', 'unknown'],
    );
    const findings = fileFindings(entries, matches);
    assert.deepEqual(
      findings.map((f) => [f.key, f.ok, f.skipped ?? false]),
      [
        ['verification.file.changed', false, false],
        ['verification.file.unknown', false, false],
        ['verification.file.notGiven', true, true],
        ['verification.file.notGiven', true, true],
        ['verification.file.notGiven', true, true],
      ],
    );
    // The digest alone is not enough: the size must agree too.
    assert.equal(
      matchFiles([{ ...entries[0]!, size: 5 }], [given('wniosek.pdf', 'main')])[0]!.status,
      'changed',
    );
  });
});

describe('checkLogInclusion and judge', () => {
  const receiptBytes = [Buffer.from('receipt 0'), Buffer.from('receipt 1'), Buffer.from('receipt 2')];
  const entries = receiptBytes.map((b) => createHash('sha256').update(b).digest());
  const signer = ed25519Signer('example.gov.pl/log', generateKeyPairSync('ed25519').privateKey);
  const verifier = parseVerifierKey(verifierKeyString(signer));
  const note = signNote(
    formatCheckpoint({ origin: signer.name, size: 3, rootHash: rootHash(entries.map(leafHash)) }),
    [signer],
  );
  const report = (index: number | undefined, hex: string): ReceiptReport => ({
    valid: true,
    reasons: [],
    chainTrusted: true,
    files: [],
    notes: [],
    entryHash: hex,
    ...(index === undefined ? {} : { logIndex: index }),
  });
  const proofFor = async (index: number) => ({
    index,
    size: 3,
    hashes: await inclusionProof(memoryHashSource(entries.map(leafHash)), index, 3),
  });

  test('included under the signed checkpoint; another entry at that index is not', async () => {
    const ok = checkLogInclusion(report(1, entries[1]!.toString('hex')), {
      checkpointNote: note,
      verifier,
      proof: await proofFor(1),
    });
    assert.deepEqual(ok, { status: 'included', index: 1, size: 3, origin: 'example.gov.pl/log' });
    const other = checkLogInclusion(report(1, entries[2]!.toString('hex')), {
      checkpointNote: note,
      verifier,
      proof: await proofFor(1),
    });
    assert.equal(other.status === 'failed' && other.reason, 'not-included');
    assert.equal(judge(report(1, entries[2]!.toString('hex')), [], other).valid, false);
  });

  test('a checkpoint signed by another key, no index, no evidence', async () => {
    const stranger = ed25519Signer('example.gov.pl/log', generateKeyPairSync('ed25519').privateKey);
    const forged = signNote(
      formatCheckpoint({ origin: stranger.name, size: 3, rootHash: rootHash(entries.map(leafHash)) }),
      [stranger],
    );
    const result = checkLogInclusion(report(0, entries[0]!.toString('hex')), {
      checkpointNote: forged,
      verifier,
      proof: await proofFor(0),
    });
    assert.equal(result.status === 'failed' && result.reason, 'checkpoint-unverified');
    assert.deepEqual(
      checkLogInclusion(report(undefined, entries[0]!.toString('hex')), {
        checkpointNote: note,
        verifier,
        proof: await proofFor(0),
      }),
      { status: 'no-index' },
    );
    const notChecked = checkLogInclusion(report(0, entries[0]!.toString('hex')), undefined);
    assert.deepEqual(notChecked, { status: 'not-checked' });
    assert.equal(judge(report(0, entries[0]!.toString('hex')), [], notChecked).valid, true);
  });
});
