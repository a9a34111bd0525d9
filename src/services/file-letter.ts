import type { NationalAuthEvidence } from '../ports/national-node';
import { AppError } from '../domain/errors';
import { translate, type Lang } from '../i18n/index';
import type { ServiceDeps } from './deps';
import { fileDraft, type LetterSender } from './letter-drafts';
import type { SubmitResult } from './submit-document';
import { currentProfile } from './trusted-profiles';
import { signLetterWithTrustedProfile } from '../domain/trusted-signature/sign-letter';
import { getOffice } from './offices';

/**
 * Files a resident's draft, signed with the trusted profile when asked (the caller has already
 * checked a fresh confirmation), and mails the receipt once per filing. The mail goes after the
 * filing is committed: a mail that fails does not undo a filing the office already has.
 */
export async function fileLetter(
  deps: ServiceDeps,
  input: {
    draftId: string;
    sender: LetterSender;
    sign: boolean;
    lang?: Lang;
    /** Set after a login through login.gov.pl: the letter is authenticated, no signing step needed. */
    authentication?: NationalAuthEvidence | undefined;
  },
): Promise<SubmitResult & { mailed: boolean }> {
  let sign: ((xml: string) => Promise<string>) | undefined;
  if (input.sign) {
    const profile = await currentProfile(deps, input.sender.accountId);
    if (!profile || profile.state !== 'valid')
      throw new AppError({ code: 'forbidden', status: 403, key: 'letter.error.profile' });
    sign = async (xml) =>
      signLetterWithTrustedProfile(
        xml,
        {
          firstNames: profile.firstNames,
          surname: profile.surname,
          pesel: profile.pesel,
          dateOfBirth: profile.birthDate,
          profileId: profile.id,
          issuer: deps.config.installationName,
        },
        deps.clock.now(),
        await deps.seals.platform(),
      );
  }
  const result = await fileDraft(deps, {
    draftId: input.draftId,
    sender: input.sender,
    sign,
    authentication: input.authentication,
  });
  // A replayed filing (the same draft sent again, e.g. from a second tab at the same moment)
  // is the same event: its receipt was mailed by the filing that made it.
  if (result.replayed) return { ...result, mailed: false };
  let mailed = false;
  try {
    await mailReceipt(deps, result, input.sender.email, input.lang ?? 'pl');
    mailed = true;
  } catch {
    // The receipt stays available under "My letters"; the resident can download it there.
  }
  return { ...result, mailed };
}

/** Mails the receipt of a filing to the resident, the signed XML attached. */
export async function mailReceipt(
  deps: ServiceDeps,
  result: SubmitResult,
  to: string,
  lang: Lang,
): Promise<void> {
  const receipt = await deps.db
    .selectFrom('receipts')
    .select(['xml', 'office_id', 'document_id'])
    .where('id', '=', result.receiptId)
    .executeTakeFirstOrThrow();
  const document = await deps.db
    .selectFrom('documents')
    .select('title')
    .where('id', '=', receipt.document_id)
    .executeTakeFirstOrThrow();
  const office = await getOffice(deps, receipt.office_id);
  const date = new Intl.DateTimeFormat(lang === 'pl' ? 'pl-PL' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Warsaw',
  }).format(new Date(result.receivedAt));
  await deps.mailer.send({
    to,
    subject: translate(lang, 'letter.mail.subject', { title: document.title }),
    text: translate(lang, 'letter.mail.text', {
      office: office.name,
      title: document.title,
      date,
      receiptId: result.receiptId,
      verifyUrl: `${deps.config.publicUrl}/weryfikacja`,
    }),
    attachments: [
      {
        filename: `UPP-${result.receiptId}.xml`,
        content: Buffer.from(receipt.xml, 'utf8'),
        contentType: 'application/xml',
      },
    ],
  });
}
