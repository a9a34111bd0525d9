import type { Translate } from '../../i18n/index';
import { acceptedExtensions, formatSize, type OfficePolicy } from '../policy';

/** What the browser pre-check needs, as the `data-policy` JSON of an upload form. */
export interface BrowserPolicy {
  extensions: string[];
  maxSizeBytes: number;
  /** The limit as the office writes it, per language ("5 MB"). */
  maxSize: { pl: string; en: string };
  /** Message templates in the page's language, placeholders left for the script to fill. */
  messages?: { heading: string; extension: string; noExtension: string; totalSize: string };
}

/**
 * Built from the same OfficePolicy as the server check, so the two never disagree. Pass the
 * page's translator to include the messages; without them public/precheck.js stays silent.
 */
export function browserPolicy(policy: OfficePolicy, t?: Translate): BrowserPolicy {
  const extensions = acceptedExtensions(policy);
  return {
    extensions,
    maxSizeBytes: policy.maxSizeBytes,
    maxSize: { pl: formatSize(policy.maxSizeBytes, 'pl'), en: formatSize(policy.maxSizeBytes, 'en') },
    ...(t
      ? {
          messages: {
            heading: t('validation.precheck.heading'),
            extension: t('validation.precheck.extension'),
            noExtension: t('validation.precheck.noExtension'),
            totalSize: t('validation.precheck.totalSize'),
          },
        }
      : {}),
  };
}

/** The attribute value; JSON is safe in an attribute once the renderer escapes quotes. */
export function browserPolicyJson(policy: OfficePolicy, t?: Translate): string {
  return JSON.stringify(browserPolicy(policy, t));
}
