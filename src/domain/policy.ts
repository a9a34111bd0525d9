import {
  DEFAULT_FORMAT_IDS,
  FORMAT_CATEGORIES,
  FORMATS,
  formatById,
  type Format,
  type FormatCategory,
} from './formats';

/** The seed: a document with its attachments may be at most 5 MB. */
export const DEFAULT_MAX_SIZE_BYTES = 5 * 1024 * 1024;

/** What an office accepts. One object drives the validator, the formats page and the browser pre-check. */
export interface OfficePolicy {
  maxSizeBytes: number;
  formats: readonly Format[];
  /** Archives that cannot be opened (7z, rar) are accepted, marked "not inspected", only if true. */
  acceptUninspectableArchives: boolean;
  /**
   * Whether a letter this office sends to a resident's inbox here is deemed delivered 14 days
   * after arrival when not collected (docs/deliveries.md explains the two legal readings). When
   * false the letter stays awaiting until collected and the office sees it was never collected.
   */
  deemedDelivery: boolean;
}

export interface StoredPolicy {
  maxSizeBytes?: number;
  formatIds?: string[];
  acceptUninspectableArchives?: boolean;
  deemedDelivery?: boolean;
}

export function buildPolicy(stored: StoredPolicy = {}): OfficePolicy {
  const ids = stored.formatIds ?? DEFAULT_FORMAT_IDS;
  const formats = FORMATS.filter((format) => ids.includes(format.id));
  const unknown = ids.filter((id) => !formatById(id));
  if (unknown.length > 0) throw new Error(`Unknown format ids in office policy: ${unknown.join(', ')}`);
  return {
    maxSizeBytes: stored.maxSizeBytes ?? DEFAULT_MAX_SIZE_BYTES,
    formats,
    acceptUninspectableArchives: stored.acceptUninspectableArchives ?? false,
    deemedDelivery: stored.deemedDelivery ?? true,
  };
}

/**
 * The formats a file is actually accepted in: the enabled ones, less archives the validator
 * cannot open unless the office accepts those. The public page, the browser pre-check and the
 * validator's messages all read this one list, so none of them offers what filing refuses.
 */
export function acceptedFormats(policy: OfficePolicy): Format[] {
  return policy.formats.filter(
    (format) => policy.acceptUninspectableArchives || !format.archive || format.archive.inspectable,
  );
}

/** Accepted formats grouped by category, in catalogue order; empty categories are left out. */
export function formatsByCategory(policy: OfficePolicy): { category: FormatCategory; formats: Format[] }[] {
  const accepted = acceptedFormats(policy);
  return FORMAT_CATEGORIES.map((category) => ({
    category,
    formats: accepted.filter((format) => format.category === category),
  })).filter((group) => group.formats.length > 0);
}

/** Every extension a file is accepted with, lower-case, sorted, without duplicates. */
export function acceptedExtensions(policy: OfficePolicy): string[] {
  return [...new Set(acceptedFormats(policy).flatMap((format) => format.extensions))].sort();
}

/** Formats that an extension may stand for under this policy. */
export function formatsForExtension(policy: OfficePolicy, extension: string): Format[] {
  const ext = extension.toLowerCase().replace(/^\./, '');
  return policy.formats.filter((format) => format.extensions.includes(ext));
}

/** "5 MB" for 5 × 1024 × 1024 bytes: the way the seed writes the limit. */
export function formatSize(bytes: number, lang: 'pl' | 'en' = 'pl'): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1 && value % 1024 === 0) {
    value /= 1024;
    unit += 1;
  }
  if (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
    const text = value.toFixed(1);
    return `${lang === 'pl' ? text.replace('.', ',') : text} ${units[unit]}`;
  }
  return `${value} ${units[unit]}`;
}
