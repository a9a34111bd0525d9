import type { MessageKey, Params } from '../../i18n/index';

/**
 * A file as received: its content in memory (`bytes`, small uploads) or a staged temporary
 * file (`path`) the validator may read.
 */
export interface IncomingFile {
  /** Form field or API part the file came in, e.g. "document" or "attachment[2]". */
  field: string;
  /** The name the sender gave, untrusted. */
  name: string;
  size: number;
  bytes?: Buffer | undefined;
  path?: string | undefined;
  /**
   * Reads the whole content from its first byte; by default the file at `path` is read. The
   * blob store's reader hashes what it reads, so validation's read is also its integrity check.
   * A chunk may be lent: valid until the next one is asked for.
   */
  read?: (() => AsyncIterable<Buffer>) | undefined;
}

export type ValidationRule =
  | 'extension-not-allowed'
  | 'content-mismatch'
  | 'empty-file'
  | 'not-utf8'
  | 'xml-malformed'
  | 'xml-dtd'
  | 'xml-too-deep'
  | 'xml-too-large'
  | 'archive-path'
  | 'archive-link'
  | 'archive-too-many-entries'
  | 'archive-too-large'
  | 'archive-ratio'
  | 'archive-depth'
  | 'archive-entry'
  | 'archive-corrupt'
  | 'archive-not-inspectable'
  | 'archive-encrypted'
  | 'file-name'
  | 'total-size'
  | 'svg-script';

export interface FileProblem {
  /** Cleaned display name of the file as sent (the archive, when the problem is inside one). */
  file: string;
  field: string;
  rule: ValidationRule;
  key: MessageKey;
  /** Always carries `file`: the display name, with the path inside archives ("a.zip/b/c.pdf"). */
  params: Params;
  status: 413 | 415 | 422;
  /** Path of the offending entry inside the archive, when there is one. */
  entry?: string;
}

/** Accepted, but worth telling the clerk (e.g. an archive not inspected, an SVG with scripts). */
export interface FileFinding {
  key: MessageKey;
  params: Params;
}

export interface CheckedFile {
  field: string;
  /** Cleaned name (NFC, no control characters, no path parts, at most 255 UTF-8 bytes). */
  name: string;
  originalName: string;
  formatId: string;
  mediaType: string;
  size: number;
  findings: FileFinding[];
}

export interface ValidationOptions {
  /** Cap on the bytes unpacked from one file, all archive levels together (default 100 MB). */
  maxUncompressedBytes?: number;
  /** Entries of one file, all archive levels together (default 1,000). */
  maxEntries?: number;
  /** Archive levels that may be opened (default 3). */
  maxArchiveDepth?: number;
  /** Unpacked bytes over packed bytes (default 100); applies past `ratioFloorBytes`. */
  maxCompressionRatio?: number;
  /** Below this many unpacked bytes the ratio is not held against an archive (default 1 MB). */
  ratioFloorBytes?: number;
  /** Element nesting of an XML document (default 256). */
  maxXmlDepth?: number;
  /** Size of one XML document read into memory (default 20 MB). */
  maxXmlBytes?: number;
  /** Reject SVG with active content instead of accepting it with a finding (default false). */
  rejectActiveSvg?: boolean;
}

export type Limits = Required<ValidationOptions>;

export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxUncompressedBytes: 100 * 1024 * 1024,
  maxEntries: 1000,
  maxArchiveDepth: 3,
  maxCompressionRatio: 100,
  ratioFloorBytes: 1024 * 1024,
  maxXmlDepth: 256,
  maxXmlBytes: 20 * 1024 * 1024,
  rejectActiveSvg: false,
});

/**
 * Thrown inside the validator when a file breaks a rule; `checkFiles` turns it into a
 * FileProblem. Never escapes the module.
 */
export class Rejection extends Error {
  constructor(
    readonly rule: ValidationRule,
    readonly key: MessageKey,
    readonly params: Params,
    readonly status: 413 | 415 | 422,
  ) {
    super(rule);
    this.name = 'Rejection';
  }
}
