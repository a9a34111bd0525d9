import type { MessageKey, Params, Translate } from '../../i18n/index';
import type { ReceiptFile, ReceiptReport } from '../receipts/index';
import { checkInclusion, type InclusionProofDocument, type NoteVerifier } from '../tlog/index';

/**
 * Verification of a receipt with what its holder has: the receipt itself (`verifyReceipt`),
 * the files it names, and the evidence that it is in the public log. One judgement for the
 * command line and the public verification page.
 */

/** A file the holder gives, hashed as it was read. */
export interface GivenFile {
  name: string;
  /** Lower-case hex SHA-256. */
  sha256: string;
  size: number;
}

/**
 * - `matched`: the file is an entry of the receipt (same SHA-256 and size); `sameName` tells
 *   whether it also carries the entry's name (a renamed copy still matches).
 * - `changed`: an entry has this file's name but another digest: the file is not what was filed.
 * - `unknown`: neither its content nor its name is in the receipt.
 */
export type FileMatch =
  | { given: GivenFile; status: 'matched'; entry: ReceiptFile; sameName: boolean }
  | { given: GivenFile; status: 'changed'; entry: ReceiptFile }
  | { given: GivenFile; status: 'unknown' };

export function matchFiles(entries: readonly ReceiptFile[], given: readonly GivenFile[]): FileMatch[] {
  return given.map((file) => {
    const byContent = entries.filter((e) => e.sha256 === file.sha256 && e.size === file.size);
    const entry = byContent.find((e) => e.name === file.name) ?? byContent[0];
    if (entry) return { given: file, status: 'matched', entry, sameName: entry.name === file.name };
    const named = entries.find((e) => e.name === file.name);
    return named ? { given: file, status: 'changed', entry: named } : { given: file, status: 'unknown' };
  });
}

/** What the holder has to show that the receipt is in the log. */
export interface LogEvidence {
  checkpointNote: string;
  verifier: NoteVerifier;
  proof: InclusionProofDocument;
}

export type LogStatus =
  /** The receipt is entry `index` of the tree of `size` entries under a checkpoint signed by the log key. */
  | { status: 'included'; index: number; size: number; origin: string }
  /** No evidence was given, so inclusion was not checked (the command line without --checkpoint). */
  | { status: 'not-checked' }
  /** The receipt is newer than the newest signed checkpoint: try again in a moment. */
  | { status: 'pending'; index: number; size: number }
  /** The receipt carries no log index. */
  | { status: 'no-index' }
  /** This installation's log has no such entry (the page checks against its own log). */
  | { status: 'not-in-log' }
  | {
      status: 'failed';
      reason: 'checkpoint-unverified' | 'index-mismatch' | 'size-mismatch' | 'not-included';
      detail: string;
    };

export function checkLogInclusion(report: ReceiptReport, evidence: LogEvidence | undefined): LogStatus {
  if (!evidence) return { status: 'not-checked' };
  if (report.logIndex === undefined) return { status: 'no-index' };
  const check = checkInclusion({
    entry: Buffer.from(report.entryHash, 'hex'),
    index: report.logIndex,
    checkpointNote: evidence.checkpointNote,
    verifier: evidence.verifier,
    proof: evidence.proof,
  });
  if (!check.ok) return { status: 'failed', reason: check.reason, detail: check.detail };
  return {
    status: 'included',
    index: report.logIndex,
    size: check.checkpoint.size,
    origin: check.checkpoint.origin,
  };
}

export interface Verification {
  /** The receipt holds (signature, certificate, structure), every given file matches, and the log check passed or was not asked for. */
  valid: boolean;
  report: ReceiptReport;
  files: FileMatch[];
  log: LogStatus;
}

export function judge(report: ReceiptReport, files: FileMatch[], log: LogStatus): Verification {
  const filesOk = files.every((f) => f.status === 'matched');
  const logOk = log.status === 'included' || log.status === 'not-checked';
  return { valid: report.valid && filesOk && logOk, report, files, log };
}

/** A sentence of the report: a message key and its parameters (read in Polish or English). */
export interface Finding {
  key: MessageKey;
  params?: Params;
  /** A message filled in as the {role} parameter (the kind of a receipt entry). */
  roleKey?: MessageKey;
  ok: boolean;
  /** Nothing was checked (a file not given, no log evidence): neither a success nor a failure. */
  skipped?: boolean;
}

export function findingText(t: Translate, finding: Finding): string {
  return t(finding.key, { ...finding.params, ...(finding.roleKey ? { role: t(finding.roleKey) } : {}) });
}

const roleParam = (entry: ReceiptFile): MessageKey =>
  entry.role === 'main' ? 'verification.entry.main' : 'verification.entry.attachment';

/** One finding per given file, then one per receipt entry that no given file matched. */
export function fileFindings(entries: readonly ReceiptFile[], files: readonly FileMatch[]): Finding[] {
  const out: Finding[] = files.map((m): Finding => {
    const actual = { file: m.given.name, actual: m.given.sha256, actualSize: m.given.size };
    if (m.status === 'matched') {
      return {
        key: m.sameName ? 'verification.file.matched' : 'verification.file.matchedRenamed',
        params: { ...actual, entry: m.entry.name },
        roleKey: roleParam(m.entry),
        ok: true,
      };
    }
    if (m.status === 'changed') {
      return {
        key: 'verification.file.changed',
        params: { ...actual, entry: m.entry.name, expected: m.entry.sha256, expectedSize: m.entry.size },
        ok: false,
      };
    }
    return { key: 'verification.file.unknown', params: actual, ok: false };
  });
  for (const entry of entries) {
    if (!files.some((m) => m.status === 'matched' && m.entry === entry)) {
      out.push({
        key: 'verification.file.notGiven',
        params: { entry: entry.name },
        roleKey: roleParam(entry),
        ok: true,
        skipped: true,
      });
    }
  }
  return out;
}

export function logFinding(log: LogStatus, index?: number): Finding {
  switch (log.status) {
    case 'included':
      return {
        key: 'verification.log.included',
        params: { index: log.index, size: log.size, origin: log.origin },
        ok: true,
      };
    case 'not-checked':
      return { key: 'verification.log.notChecked', ok: true, skipped: true };
    case 'pending':
      return { key: 'verification.log.pending', params: { index: log.index, size: log.size }, ok: false };
    case 'no-index':
      return { key: 'verification.log.noIndex', ok: false };
    case 'not-in-log':
      return { key: 'verification.log.notInLog', ok: false };
    case 'failed':
      return { key: `verification.log.${log.reason}`, params: { index: index ?? '' }, ok: false };
  }
}
