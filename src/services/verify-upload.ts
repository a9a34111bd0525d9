import { largestOfficeLimit } from './offices';
import type { ReceiptReport } from '../domain/receipts/index';
import { openCheckpoint, parseVerifierKey } from '../domain/tlog/index';
import {
  checkLogInclusion,
  judge,
  matchFiles,
  type GivenFile,
  type LogStatus,
  type Verification,
} from '../domain/verification/index';
import type { ServiceDeps } from './deps';
import { checkReceipt } from './receipts';
import { inclusionProof, latestCheckpoint, logTreeSize, logVerifierKey } from './transparency-log';

/**
 * The public verification page's check: the receipt against the installation's CAs, the files
 * against its digests, and its inclusion in this installation's own log under the newest signed
 * checkpoint. Reads the log; writes nothing.
 */
export async function verifyUploadedReceipt(
  deps: Pick<ServiceDeps, 'db' | 'seals' | 'clock' | 'logSigner'>,
  input: { xml: Buffer; files: GivenFile[] },
): Promise<Verification> {
  const report = await checkReceipt(deps, input.xml);
  return judge(report, matchFiles(report.files, input.files), await ownLogInclusion(deps, report));
}

async function ownLogInclusion(
  deps: Pick<ServiceDeps, 'db' | 'logSigner'>,
  report: ReceiptReport,
): Promise<LogStatus> {
  const index = report.logIndex;
  if (index === undefined) return { status: 'no-index' };
  const verifier = parseVerifierKey(logVerifierKey(deps));
  const note = await latestCheckpoint(deps);
  const signedSize = note ? openCheckpoint(note, verifier).size : 0;
  if (!note || index >= signedSize) {
    // Checkpoints are signed every half second: a receipt just issued may not be under one yet.
    return index < (await logTreeSize(deps))
      ? { status: 'pending', index, size: signedSize }
      : { status: 'not-in-log' };
  }
  const proof = await inclusionProof(deps, index, signedSize);
  return checkLogInclusion(report, { checkpointNote: note, verifier, proof });
}

/**
 * How many bytes of files the page accepts together: the largest limit of any office, so that
 * every filing this installation accepted can be checked.
 */
export async function verificationFilesLimit(deps: Pick<ServiceDeps, 'db'>): Promise<number> {
  return largestOfficeLimit(deps);
}
