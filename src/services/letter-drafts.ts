import type { NationalAuthEvidence } from '../ports/national-node';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AppError, type FieldError } from '../domain/errors';
import { buildGeneralLetterXml, type GeneralLetter } from '../domain/letters/general-letter';
import { isLetterKind, type LetterKind } from '../domain/letters/letter-kind';
import { checkFiles, checkTotalSize, filesRefused } from '../domain/validation/index';
import type { StagedBlob } from '../ports/blob-store';
import { compiledOnce } from './compiled-once';
import type { ServiceDeps } from './deps';
import { getOffice } from './offices';
import { getDocument, type DocumentView } from './read-documents';
import { receivedFile, submitDocument, type SubmitResult } from './submit-document';

export const LETTER_LIMITS = { title: 200, place: 100, body: 20_000 } as const;

export interface DraftFields {
  officeId: string;
  kind: LetterKind;
  title: string;
  place: string;
  body: string;
}

export interface Draft extends DraftFields {
  id: string;
  updatedAt: string;
  documentId: string | null;
  attachments: { position: number; name: string; mediaType: string; size: number; sha256: string }[];
}

const text = (value: unknown): string =>
  typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : '';

/** Checks the text fields of a letter; every mistake is named by its field. */
export async function readDraftFields(
  deps: Pick<ServiceDeps, 'db'>,
  raw: Record<string, unknown>,
): Promise<{ fields: DraftFields; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const officeId = text(raw.officeId);
  const offices = await deps.db.selectFrom('offices').select('id').where('id', '=', officeId).execute();
  if (offices.length === 0) errors.push({ field: 'officeId', key: 'letter.error.office' });
  const kind = text(raw.kind);
  if (!isLetterKind(kind)) errors.push({ field: 'kind', key: 'letter.error.kind' });
  const title = text(raw.title);
  if (!title) errors.push({ field: 'title', key: 'letter.error.titleMissing' });
  else if (title.length > LETTER_LIMITS.title)
    errors.push({ field: 'title', key: 'letter.error.titleLong', params: { max: LETTER_LIMITS.title } });
  const place = text(raw.place);
  if (!place) errors.push({ field: 'place', key: 'letter.error.placeMissing' });
  else if (place.length > LETTER_LIMITS.place)
    errors.push({ field: 'place', key: 'letter.error.placeLong', params: { max: LETTER_LIMITS.place } });
  const body = text(raw.body);
  if (!body) errors.push({ field: 'body', key: 'letter.error.bodyMissing' });
  else if (body.length > LETTER_LIMITS.body)
    errors.push({ field: 'body', key: 'letter.error.bodyLong', params: { max: LETTER_LIMITS.body } });
  return {
    fields: { officeId, kind: (isLetterKind(kind) ? kind : 'podanie') as LetterKind, title, place, body },
    errors,
  };
}

const MISSING_KEYS = new Set([
  'letter.error.titleMissing',
  'letter.error.placeMissing',
  'letter.error.bodyMissing',
]);

/** Whether a draft has everything a letter needs (an autosaved draft may still lack a title, place or text). */
export function isDraftComplete(draft: DraftFields): boolean {
  return draft.title !== '' && draft.place !== '' && draft.body !== '';
}

/** The text fields of a letter, or a 400 naming every mistake (a `partial` draft may leave fields empty). */
async function checkedDraftFields(
  deps: Pick<ServiceDeps, 'db'>,
  raw: Record<string, unknown>,
  partial: boolean,
): Promise<DraftFields> {
  const read = await readDraftFields(deps, raw);
  const errors = partial ? read.errors.filter((e) => !MISSING_KEYS.has(e.key)) : read.errors;
  if (errors.length > 0)
    throw new AppError({
      code: 'invalid_letter',
      status: 400,
      key: 'form.errorSummary.title',
      fieldErrors: errors,
    });
  return read.fields;
}

/**
 * Creates or updates a draft. New attachments are checked against the office policy before
 * anything is kept; a draft with a mistake keeps nothing new and answers with every problem.
 * A `partial` draft (saved while being written: "Zapisz szkic", the autosave, a form kept when
 * the session ended) may leave the title, place or text empty; it is completed before filing.
 */
export async function saveDraft(
  deps: ServiceDeps,
  input: {
    accountId: string;
    draftId?: string | undefined;
    raw: Record<string, unknown>;
    newFiles: { name: string; staged: StagedBlob }[];
    remove: number[];
    partial?: boolean | undefined;
  },
): Promise<string> {
  const discard = () => Promise.all(input.newFiles.map((f) => f.staged.discard()));
  try {
    const existing = input.draftId ? await getDraft(deps, input.accountId, input.draftId) : undefined;
    if (existing?.documentId)
      throw new AppError({ code: 'conflict', status: 409, key: 'letter.error.alreadyFiled' });
    const fields = await checkedDraftFields(deps, input.raw, input.partial ?? false);
    const office = await getOffice(deps, fields.officeId);
    const kept = (existing?.attachments ?? []).filter((a) => !input.remove.includes(a.position));
    const files = input.newFiles.filter((f) => f.staged.size > 0 || f.name);
    if (files.length > 0) {
      const checked = await checkFiles(
        office.policy,
        files.map((f) => receivedFile('attachments', f.name, f.staged)),
      );
      if (!checked.ok) throw filesRefused(checked.problems);
      const tooLarge = checkTotalSize(office.policy, [
        ...kept.map((a) => a.size),
        ...files.map((f) => f.staged.size),
      ]);
      if (tooLarge) throw filesRefused([{ ...tooLarge, field: 'attachments' }]);
      for (const f of files) await f.staged.commit();
      kept.push(
        ...checked.files.map((c, i) => ({
          position: 0,
          name: c.name,
          mediaType: c.mediaType,
          size: files[i]!.staged.size,
          sha256: files[i]!.staged.sha256,
        })),
      );
    }
    const now = deps.clock.now().toISOString();
    const id = existing?.id ?? randomUUID();
    await deps.db.transaction().execute(async (tx) => {
      const values = {
        office_id: fields.officeId,
        kind: fields.kind,
        title: fields.title,
        place: fields.place,
        body: fields.body,
        updated_at: now,
      };
      if (existing) await tx.updateTable('letter_drafts').set(values).where('id', '=', id).execute();
      else
        await tx
          .insertInto('letter_drafts')
          .values({ id, account_id: input.accountId, ...values, created_at: now, document_id: null })
          .execute();
      await tx.deleteFrom('letter_draft_files').where('draft_id', '=', id).execute();
      if (kept.length > 0) {
        await tx
          .insertInto('letter_draft_files')
          .values(
            kept.map((a, position) => ({
              draft_id: id,
              position,
              name: a.name,
              media_type: a.mediaType,
              size: a.size,
              sha256: a.sha256,
            })),
          )
          .execute();
      }
    });
    return id;
  } catch (error) {
    await discard();
    throw error;
  }
}

export async function getDraft(
  deps: Pick<ServiceDeps, 'db'>,
  accountId: string,
  draftId: string,
): Promise<Draft> {
  const row = await deps.db
    .selectFrom('letter_drafts')
    .selectAll()
    .where('id', '=', draftId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) throw new AppError({ code: 'not_found', status: 404, key: 'letter.error.draftNotFound' });
  const files = await deps.db
    .selectFrom('letter_draft_files')
    .selectAll()
    .where('draft_id', '=', draftId)
    .orderBy('position')
    .execute();
  return {
    id: row.id,
    officeId: row.office_id,
    kind: row.kind as LetterKind,
    title: row.title,
    place: row.place,
    body: row.body,
    updatedAt: row.updated_at,
    documentId: row.document_id,
    attachments: files.map((f) => ({
      position: f.position,
      name: f.name,
      mediaType: f.media_type,
      size: f.size,
      sha256: f.sha256,
    })),
  };
}

export interface LetterList {
  drafts: { id: string; title: string; officeId: string; updatedAt: string }[];
  sent: {
    documentId: string;
    title: string;
    officeName: string;
    receivedAt: string;
    receiptId: string;
    status: string;
    registrationNumber: string | null;
  }[];
}

export type SentLetter = LetterList['sent'][number];

const draftsOf = compiledOnce((db, slots: { accountId: string }) =>
  db
    .selectFrom('letter_drafts')
    .select(['id', 'title', 'office_id', 'updated_at'])
    .where('account_id', '=', slots.accountId)
    .where('document_id', 'is', null)
    .orderBy('updated_at', 'desc'),
);

const sentBy = compiledOnce((db, slots: { accountId: string }) =>
  db
    .selectFrom('documents')
    .innerJoin('offices', 'offices.id', 'documents.office_id')
    .select([
      'documents.id',
      'documents.title',
      'offices.name',
      'documents.received_at',
      'documents.receipt_id',
      'documents.status',
      'documents.registration_number',
    ])
    .where('documents.sender_type', '=', 'account')
    .where('documents.sender_ref', '=', slots.accountId)
    .orderBy('documents.received_at', 'desc')
    .limit(200),
);

/** The resident's drafts and filed letters with their receipts, newest first. */
export async function listLetters(
  deps: Pick<ServiceDeps, 'db' | 'dialect'>,
  accountId: string,
): Promise<LetterList> {
  const { rows: drafts } = await draftsOf(deps.db, deps.dialect, { accountId });
  return {
    drafts: drafts.map((d) => ({ id: d.id, title: d.title, officeId: d.office_id, updatedAt: d.updated_at })),
    sent: await listSentLetters(deps, accountId),
  };
}

/**
 * The documents a resident filed, newest first, with the receipt and, once the office has
 * registered them, the journal number and status.
 */
export async function listSentLetters(
  deps: Pick<ServiceDeps, 'db' | 'dialect'>,
  accountId: string,
): Promise<SentLetter[]> {
  const { rows: sent } = await sentBy(deps.db, deps.dialect, { accountId });
  return sent.map((s) => ({
    documentId: s.id,
    title: s.title,
    officeName: s.name,
    receivedAt: s.received_at,
    receiptId: s.receipt_id,
    status: s.status,
    registrationNumber: s.registration_number,
  }));
}

export interface LetterSender {
  accountId: string;
  firstName: string;
  surname: string;
  email: string;
  pesel?: string | undefined;
}

/** The letter XML a draft makes, exactly as it would be filed (before any signature). */
export async function draftLetterXml(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  draft: Draft,
  sender: LetterSender,
): Promise<string> {
  const office = await getOffice(deps, draft.officeId);
  const letter: GeneralLetter = {
    createdAt: deps.clock.now(),
    office: { id: office.id, name: office.name },
    sender: {
      firstName: sender.firstName,
      surname: sender.surname,
      pesel: sender.pesel,
      email: sender.email,
    },
    place: draft.place,
    title: draft.title,
    kind: draft.kind,
    body: draft.body,
    attachments: draft.attachments.map((a) => ({ name: a.name, mediaType: a.mediaType, sha256: a.sha256 })),
  };
  return buildGeneralLetterXml(letter);
}

/**
 * Files a draft as a general letter: the letter XML (signed with the trusted profile when `sign`
 * is given) is the main document and the draft's attachments follow it.
 */
export async function fileDraft(
  deps: ServiceDeps,
  input: {
    draftId: string;
    sender: LetterSender;
    sign?: ((xml: string) => Promise<string>) | undefined;
    authentication?: NationalAuthEvidence | undefined;
  },
): Promise<SubmitResult> {
  const draft = await getDraft(deps, input.sender.accountId, input.draftId);
  if (draft.documentId)
    throw new AppError({ code: 'conflict', status: 409, key: 'letter.error.alreadyFiled' });
  await checkedDraftFields(deps, { ...draft }, false);
  const office = await getOffice(deps, draft.officeId);
  const unsigned = await draftLetterXml(deps, draft, input.sender);
  const xml = input.sign ? await input.sign(unsigned) : unsigned;
  const main = await deps.blobs.stage(Buffer.from(xml, 'utf8'));
  const attachments = [];
  for (const a of draft.attachments)
    attachments.push({
      field: 'attachment' as const,
      name: a.name,
      staged: await deps.blobs.stage(await deps.blobs.get(a.sha256)),
    });
  const result = await submitDocument(deps, {
    officeId: office.id,
    boxName: office.boxes[0]!.name,
    sender: {
      type: 'account',
      ref: input.sender.accountId,
      name: `${input.sender.firstName} ${input.sender.surname}`,
    },
    files: [{ field: 'document', name: 'pismo.xml', staged: main }, ...attachments],
    title: draft.title,
    authentication: input.authentication,
    kind: draft.kind,
    idempotencyKey: `draft:${draft.id}`,
  });
  await deps.db
    .updateTable('letter_drafts')
    .set({ document_id: result.documentId })
    .where('id', '=', draft.id)
    .execute();
  return result;
}

/** One filed letter as its sender sees it: the list's facts plus the files that were sent. */
export interface SentLetterView extends SentLetter {
  kind: string | null;
  signatureStatus: string;
  files: DocumentView['files'];
}

/**
 * A letter the resident filed, read through the same rule as every document read (only its
 * sender, here; anyone else gets 404, so existence never leaks).
 */
export async function getSentLetter(
  deps: Pick<ServiceDeps, 'db'>,
  accountId: string,
  documentId: string,
): Promise<SentLetterView> {
  const document = await getDocument(deps, { kind: 'account', accountId, clerkOfOffices: [] }, documentId);
  const row = await deps.db
    .selectFrom('documents')
    .innerJoin('offices', 'offices.id', 'documents.office_id')
    .select(['offices.name', 'documents.registration_number'])
    .where('documents.id', '=', documentId)
    .executeTakeFirstOrThrow();
  return {
    documentId,
    title: document.title,
    officeName: row.name,
    receivedAt: document.receivedAt,
    receiptId: document.receiptId,
    status: document.status,
    registrationNumber: row.registration_number,
    kind: document.kind,
    signatureStatus: document.signature.status,
    files: document.files,
  };
}

/** A file of a letter the resident filed (the letter XML or an attachment), for download. */
export async function sentLetterFile(
  deps: Pick<ServiceDeps, 'db' | 'blobs'>,
  accountId: string,
  documentId: string,
  position: number,
): Promise<{ name: string; size: number; stream: Readable }> {
  const document = await getDocument(deps, { kind: 'account', accountId, clerkOfOffices: [] }, documentId);
  const file = document.files.find((f) => f.position === position);
  if (!file)
    throw new AppError({
      code: 'not_found',
      status: 404,
      key: 'filing.error.documentNotFound',
      params: { id: documentId },
    });
  return { name: file.name, size: file.size, stream: await deps.blobs.get(file.sha256) };
}
