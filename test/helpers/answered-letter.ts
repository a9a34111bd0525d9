import type { App } from '../../src/app';
import type { MailCatcher } from './mail';
import { samplePdf } from './sample-files';

export interface AnsweredLetter {
  residentId: string;
  documentId: string;
  receiptId: string;
  deliveryId: string;
  /** Confirms receipt of the answer with the code mailed to the resident (makes the UPD). */
  confirm(): Promise<void>;
}

/**
 * The demo resident files a letter with the demo office and the demo clerk answers it: a UPP, a
 * proof of sending and, once confirmed, a UPD, on both the resident's and the office's pages.
 * The app must send mail to `mail`.
 */
export async function answeredLetter(app: App, mail: MailCatcher): Promise<AnsweredLetter> {
  const account = (email: string) =>
    app.database.db
      .selectFrom('accounts')
      .select(['id', 'display_name'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
  const resident = await account('mieszkaniec@example.pl');
  const clerk = await account('urzednik@example.pl');
  const filed = await app.services.submitDocument({
    officeId: 'umczestochowa',
    boxName: 'skrytka',
    sender: { type: 'account', ref: resident.id, name: resident.display_name },
    title: 'Wniosek o dodatek mieszkaniowy',
    files: [{ field: 'document', name: 'wniosek.pdf', staged: await app.deps.blobs.stage(samplePdf('W')) }],
  });
  const sent = await app.services.deliverLetter({
    officeId: 'umczestochowa',
    sender: { type: 'account', ref: clerk.id, name: clerk.display_name },
    recipientAccountId: resident.id,
    title: 'Decyzja w sprawie dodatku',
    inReplyTo: filed.documentId,
    files: [{ field: 'document', name: 'decyzja.pdf', staged: await app.deps.blobs.stage(samplePdf('D')) }],
  });
  return {
    residentId: resident.id,
    documentId: filed.documentId,
    receiptId: filed.receiptId,
    deliveryId: sent.deliveryId,
    async confirm() {
      const challenge = await app.services.startFreshConfirmation({
        accountId: resident.id,
        purpose: 'receipt',
      });
      const codeMail = await mail.waitFor('mieszkaniec@example.pl', (m) => /kod \d{6}/.test(m.subject ?? ''));
      const code = /kod (\d{6})/.exec(codeMail.subject ?? '')![1]!;
      await app.services.confirmReceipt({
        accountId: resident.id,
        deliveryId: sent.deliveryId,
        challengeId: challenge.id,
        code,
      });
    },
  };
}
