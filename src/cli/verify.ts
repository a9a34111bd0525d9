import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_RECEIPT_BYTES, verifyReceipt } from '../domain/receipts/index';
import {
  MAX_NOTE_BYTES,
  NoteError,
  parseInclusionProof,
  parseVerifierKey,
  ProofFormatError,
  type NoteVerifier,
} from '../domain/tlog/index';
import {
  checkLogInclusion,
  fileFindings,
  findingText,
  judge,
  logFinding,
  matchFiles,
  type Finding,
  type GivenFile,
  type LogEvidence,
  type Verification,
} from '../domain/verification/index';
import { translator, type Lang, type Translate } from '../i18n/index';
import { terminalSafe } from './terminal-text';
import { isZip, printExportVerification, verifyExportFile } from './verify-export';
import { UsageError } from './usage-error';

/**
 * `verify <receipt.xml> [--ca ca.pem]… [--file path]… [--checkpoint file --proof file --log-key key]`:
 * the offline check of a receipt; `verify <export.zip> [--ca ca.pem]… [--log-key key]`: of a
 * resident's whole export. Exit 0 valid, 1 not valid (with the reasons), 2 usage.
 * See docs/verification.md.
 */

export interface VerifyContext {
  /** The CAs this installation trusts, used when no --ca is given. */
  installationCas: () => Promise<string[]>;
  /** This installation's log key (C2SP verifier key), used for an export when no --log-key is given. */
  installationLogKey: () => Promise<string>;
  out: (line: string) => void;
}

/** A C2SP verifier key given inline (`name+id+key`) or as a file holding it. */
function readLogKey(value: string): NoteVerifier {
  const text = /^[^\s+]+\+[0-9a-f]{8}\+\S+$/.test(value.trim()) ? value : readText(value, '--log-key', 4096);
  try {
    return parseVerifierKey(text);
  } catch (error) {
    if (error instanceof NoteError) throw new UsageError(`--log-key: ${error.message}`);
    throw error;
  }
}

function readText(file: string, option: string, maxBytes: number): string {
  return readBytes(file, option, maxBytes).toString('utf8');
}

function readBytes(file: string, option: string, maxBytes: number): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UsageError(`${option}: cannot read "${file}"`);
  }
  if (!stat.isFile()) throw new UsageError(`${option}: "${file}" is not a file`);
  // Larger files are read only up to the limit + 1, which is enough to refuse them.
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes + 1));
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

/** Hashes a file as it streams: files of any size, in constant memory. */
async function hashFile(file: string): Promise<GivenFile> {
  try {
    if (!fs.statSync(file).isFile()) throw new Error('not a file');
  } catch {
    throw new UsageError(`--file: cannot read "${file}"`);
  }
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { name: path.basename(file).normalize('NFC'), sha256: hash.digest('hex'), size };
}

function readEvidence(values: {
  checkpoint?: string | undefined;
  proof?: string | undefined;
  'log-key'?: string | undefined;
}): LogEvidence | undefined {
  const given = [values.checkpoint, values.proof, values['log-key']].filter((v) => v !== undefined).length;
  if (given === 0) return undefined;
  if (given !== 3) throw new UsageError('--checkpoint, --proof and --log-key go together');
  const verifier = readLogKey(values['log-key']!);
  const checkpointNote = readText(values.checkpoint!, '--checkpoint', MAX_NOTE_BYTES);
  try {
    return {
      checkpointNote,
      verifier,
      proof: parseInclusionProof(readText(values.proof!, '--proof', 64 * 1024)),
    };
  } catch (error) {
    if (error instanceof ProofFormatError) throw new UsageError(`--proof: ${error.message}`);
    throw error;
  }
}

const mark = (f: Finding) => (f.skipped ? '[--]' : f.ok ? '[OK]' : '[!!]');

export function printVerification(v: Verification, t: Translate, out: (line: string) => void): void {
  const { report } = v;
  const files = fileFindings(report.files, v.files);
  const log = logFinding(v.log, report.logIndex);
  out(t(v.valid ? 'verification.cli.valid' : 'verification.cli.invalid'));
  for (const reason of report.reasons) out(`  - ${t(reason.key, reason.params)}`);
  for (const f of files.filter((x) => !x.ok)) out(`  - ${findingText(t, f)}`);
  if (!log.ok) out(`  - ${findingText(t, log)}`);
  out('');
  const row = (key: Parameters<Translate>[0], value: string | undefined) => {
    if (value !== undefined) out(`${t(key)}: ${value}`);
  };
  if (report.kind) row('verification.row.kind', t(`receipt.kind.${report.kind}`));
  row('verification.row.receiptId', report.receiptId);
  row('verification.row.issuer', report.signer?.subject);
  if (report.office) row('verification.row.office', `${report.office.name} (${report.office.id})`);
  if (report.party) row('verification.row.party', report.party.name);
  row(
    report.kind === 'sending'
      ? 'verification.row.sentAt'
      : report.kind === 'UPD'
        ? 'verification.row.receivedAt'
        : 'verification.row.enteredAt',
    report.enteredAt,
  );
  row('verification.row.issuedAt', report.issuedAt);
  row('verification.row.documentId', report.documentId);
  row(
    'verification.row.signature',
    t(report.valid ? 'verification.signature.ok' : 'verification.signature.bad'),
  );
  out(`${t('verification.row.files')}:`);
  for (const f of report.files)
    out(
      `  ${t(f.role === 'main' ? 'receipt.pdf.mainDocument' : 'receipt.pdf.attachment')}: ${f.name} (${f.size} B) SHA-256 ${f.sha256}`,
    );
  for (const f of files) out(`  ${mark(f)} ${findingText(t, f)}`);
  out(`${t('verification.row.log')}: ${mark(log)} ${findingText(t, log)}`);
  out(`${t('verification.row.entryHash')}: ${report.entryHash}`);
}

export async function verifyCommand(args: string[], caller: VerifyContext): Promise<number> {
  // Everything printed may carry text from the file being checked.
  const context: VerifyContext = { ...caller, out: (line) => caller.out(terminalSafe(line)) };
  const { values, positionals } = parseArgs({
    args,
    options: {
      ca: { type: 'string', multiple: true },
      file: { type: 'string', multiple: true },
      checkpoint: { type: 'string' },
      proof: { type: 'string' },
      'log-key': { type: 'string' },
      lang: { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [receiptFile] = positionals;
  if (!receiptFile || positionals.length > 1) throw new UsageError('verify needs exactly one receipt file');
  if (values.lang !== undefined && values.lang !== 'pl' && values.lang !== 'en')
    throw new UsageError('--lang is pl or en');
  const lang: Lang = values.lang === 'en' ? 'en' : 'pl';
  if (isZip(readBytes(receiptFile, 'receipt', 4))) {
    if (values.file || values.checkpoint || values.proof)
      throw new UsageError(
        'an export carries its files, checkpoint and proofs: give only --ca and --log-key',
      );
    const cas = values.ca?.map((ca) => readText(ca, '--ca', 1024 * 1024));
    const verifier = readLogKey(values['log-key'] ?? (await context.installationLogKey()));
    const verification = await verifyExportFile(receiptFile, {
      trustedCaPems: cas ?? (await context.installationCas()),
      verifier,
    });
    if (values.json) context.out(JSON.stringify(verification, null, 2));
    else printExportVerification(verification, translator(lang), context.out);
    return verification.valid ? 0 : 1;
  }
  // Everything the user named is read before anything is judged: a wrong path is a usage error.
  const xml = readBytes(receiptFile, 'receipt', MAX_RECEIPT_BYTES);
  const cas = values.ca?.map((ca) => readText(ca, '--ca', 1024 * 1024));
  const evidence = readEvidence(values);
  const given: GivenFile[] = [];
  for (const file of values.file ?? []) given.push(await hashFile(file));

  const report = await verifyReceipt(xml, { trustedCaPems: cas ?? (await context.installationCas()) });
  const verification = judge(report, matchFiles(report.files, given), checkLogInclusion(report, evidence));
  if (values.json) context.out(JSON.stringify(verification, null, 2));
  else printVerification(verification, translator(lang), context.out);
  return verification.valid ? 0 : 1;
}
