export type {
  IncomingFile,
  FileProblem,
  ValidationRule,
  FileFinding,
  CheckedFile,
  ValidationOptions,
} from './types';
export { DEFAULT_LIMITS } from './types';
export { checkFiles, type CheckResult } from './check-files';
export { cleanFileName, extensionOf } from './file-name';
export { collectChunks } from './content';
export { checkTotalSize, limitBytes, limitChunks, SizeLimitExceeded } from './size';

export { browserPolicy, browserPolicyJson, type BrowserPolicy } from './browser-policy';
export { filesRefused } from './to-app-error';
