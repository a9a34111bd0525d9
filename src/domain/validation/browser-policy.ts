import { acceptedExtensions, formatSize, type OfficePolicy } from '../policy';

/** What the browser pre-check needs, as the `data-policy` JSON of an upload form. */
export interface BrowserPolicy {
  extensions: string[];
  maxSizeBytes: number;
  /** The limit as the office writes it, per language ("5 MB"). */
  maxSize: { pl: string; en: string };
}

/** Built from the same OfficePolicy as the server check, so the two never disagree. */
export function browserPolicy(policy: OfficePolicy): BrowserPolicy {
  const extensions = acceptedExtensions(policy).filter((extension) =>
    policy.formats.some((format) => format.extensions.includes(extension) && (policy.acceptUninspectableArchives || !format.archive || format.archive.inspectable)),
  );
  return {
    extensions,
    maxSizeBytes: policy.maxSizeBytes,
    maxSize: { pl: formatSize(policy.maxSizeBytes, 'pl'), en: formatSize(policy.maxSizeBytes, 'en') },
  };
}

/** The attribute value; JSON is safe in an attribute once the renderer escapes quotes. */
export function browserPolicyJson(policy: OfficePolicy): string {
  return JSON.stringify(browserPolicy(policy));
}
