import type { OfficePolicy } from '../policy';
import { contentFromFile } from './content';
import { cleanFileName } from './file-name';
import { checkContent } from './inspect';
import { reject, sizeParams, unpackLimit, type Session } from './session';
import { checkTotalSize, SizeLimitExceeded } from './size';
import {
  DEFAULT_LIMITS,
  Rejection,
  type CheckedFile,
  type FileProblem,
  type IncomingFile,
  type ValidationOptions,
} from './types';

export type CheckResult = { ok: true; files: CheckedFile[] } | { ok: false; problems: FileProblem[] };

/**
 * Checks every file of one filing against the office policy (domain §4 and §5). Either every
 * file is accepted, each with its format and findings for the clerk, or the answer lists every
 * problem, one per file, each naming the file and the rule broken. Reads the received files
 * only; deleting them on refusal is the caller's job.
 */
export async function checkFiles(
  policy: OfficePolicy,
  files: IncomingFile[],
  options: ValidationOptions = {},
): Promise<CheckResult> {
  const limits = { ...DEFAULT_LIMITS, ...options };
  const total = checkTotalSize(
    policy,
    files.map((file) => file.size),
  );
  if (total) return { ok: false, problems: [total] };

  const problems: FileProblem[] = [];
  const checked: CheckedFile[] = [];
  for (const file of files) {
    const name = cleanFileName(file.name);
    if (!name) {
      problems.push({
        file: '',
        field: file.field,
        rule: 'file-name',
        key: 'validation.fileName',
        params: { file: '', field: file.field },
        status: 422,
      });
      continue;
    }
    const session: Session = {
      policy,
      limits,
      packedSize: file.size,
      unpacked: { total: 0 },
      entries: 0,
      findings: [],
    };
    try {
      const content = await contentFromFile(file, name, name);
      const format = await checkContent(content, 0, session);
      checked.push({
        field: file.field,
        name,
        originalName: file.name,
        formatId: format.id,
        mediaType: format.mediaTypes[0] ?? 'application/octet-stream',
        size: file.size,
        findings: session.findings,
      });
    } catch (error) {
      const rejection = error instanceof SizeLimitExceeded ? tooMuchUnpacked(session, name) : error;
      if (!(rejection instanceof Rejection)) throw error;
      const display = String(rejection.params.file ?? name);
      const entry = display.startsWith(`${name}/`) ? display.slice(name.length + 1) : undefined;
      problems.push({
        file: name,
        field: file.field,
        rule: rejection.rule,
        key: rejection.key,
        params: rejection.params,
        status: rejection.status,
        ...(entry ? { entry } : {}),
      });
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, files: checked };
}

/** Which of the two unpacking caps was hit: the absolute one or the compression ratio. */
function tooMuchUnpacked(session: Session, name: string): Rejection {
  const limit = unpackLimit(session);
  if (limit >= session.limits.maxUncompressedBytes)
    return reject('archive-too-large', 'validation.archiveTooLarge', name, sizeParams(limit));
  return reject('archive-ratio', 'validation.archiveRatio', name, {
    ratio: session.limits.maxCompressionRatio,
  });
}
