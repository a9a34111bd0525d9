import type { NationalAuthEvidence } from '../ports/national-node';
import { AppError, type FieldError } from '../domain/errors';
import { isLetterKind, type LetterKind } from '../domain/letters/letter-kind';
import type { Lang } from '../i18n/index';
import type { ServiceDeps } from './deps';
import { mailReceipt } from './file-letter';
import { LETTER_LIMITS } from './letter-drafts';
import { getOffice } from './offices';
import { submitDocument, type SubmittedFile, type SubmitResult } from './submit-document';

/**
 * Files a document the resident prepared elsewhere (a PDF, a file signed with XAdES or PAdES,
 * any accepted format) with attachments, then mails the receipt. The same checks as every
 * filing apply; signatures on the files are verified and reported to the office.
 */
export async function fileReadyDocument(
  deps: ServiceDeps,
  input: {
    accountId: string;
    senderName: string;
    email: string;
    fields: Record<string, string>;
    files: SubmittedFile[];
    lang: Lang;
    authentication?: NationalAuthEvidence | undefined;
  },
): Promise<SubmitResult> {
  const errors: FieldError[] = [];
  const officeId = input.fields.officeId ?? '';
  const kind = input.fields.kind ?? '';
  const title = (input.fields.title ?? '').trim();
  if (!isLetterKind(kind)) errors.push({ field: 'kind', key: 'letter.error.kind' });
  if (!title) errors.push({ field: 'title', key: 'letter.error.titleMissing' });
  else if (title.length > LETTER_LIMITS.title)
    errors.push({ field: 'title', key: 'letter.error.titleLong', params: { max: LETTER_LIMITS.title } });
  if (!input.files.some((f) => f.field === 'document'))
    errors.push({ field: 'document', key: 'filing.error.noDocument' });
  const office = await getOffice(deps, officeId).catch(() => undefined);
  if (!office) errors.push({ field: 'officeId', key: 'letter.error.office' });
  if (errors.length > 0 || !office) {
    await Promise.all(input.files.map((f) => f.staged.discard()));
    throw new AppError({
      code: 'invalid_document',
      status: 400,
      key: 'form.errorSummary.title',
      fieldErrors: errors,
    });
  }
  const result = await submitDocument(deps, {
    officeId: office.id,
    boxName: office.boxes[0]!.name,
    sender: { type: 'account', ref: input.accountId, name: input.senderName },
    files: input.files,
    title,
    kind: kind as LetterKind,
    authentication: input.authentication,
  });
  // After the commit: a mail that fails does not undo the filing; the receipt stays under "My letters".
  await mailReceipt(deps, result, input.email, input.lang).catch(() => undefined);
  return result;
}
