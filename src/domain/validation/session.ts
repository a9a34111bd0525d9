import type { MessageKey, Params } from '../../i18n/index';
import type { OfficePolicy } from '../policy';
import { formatSize } from '../policy';
import { Rejection, type FileFinding, type Limits, type ValidationRule } from './types';

/** What one top-level file's check shares across every archive level inside it. */
export interface Session {
  policy: OfficePolicy;
  limits: Limits;
  /** Size of the file as sent: the base of the compression ratio. */
  packedSize: number;
  /** Bytes produced by decompression so far, all levels together. */
  unpacked: { total: number };
  entries: number;
  findings: FileFinding[];
}

/** The hard cap on decompressed bytes for this file: the absolute cap, or the ratio, whichever is lower. */
export function unpackLimit(session: Session): number {
  const { maxUncompressedBytes, maxCompressionRatio, ratioFloorBytes } = session.limits;
  return Math.min(maxUncompressedBytes, Math.max(ratioFloorBytes, maxCompressionRatio * session.packedSize));
}

export function reject(
  rule: ValidationRule,
  key: MessageKey,
  file: string,
  params: Params = {},
  status: 413 | 415 | 422 = 422,
): Rejection {
  return new Rejection(rule, key, { file, ...params }, status);
}

/** Both spellings of a size, for the Polish and English messages. */
export function sizeParams(bytes: number): Params {
  return { limit: formatSize(bytes, 'pl'), limitEn: formatSize(bytes, 'en') };
}
