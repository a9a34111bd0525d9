import { randomUUID } from 'node:crypto';
import { termEnd } from '../domain/legal-time';
import { AppError, notFound, type FieldError } from '../domain/errors';
import { checkFiles, filesRefused } from '../domain/validation/index';
import type { ReceiptParty } from '../domain/receipts/index';
import { translate } from '../i18n/index';
import type { DeliveriesTable, Tx } from '../ports/database';
import { compiledOnce, compiledOnceWithList } from './compiled-once';
import type { ServiceDeps } from './deps';
import { confirmFresh } from './fresh-confirmation';
import { inReceiptTransaction } from './group-commit';
import { issueReceipt } from './issue-receipt';
import type { JobHandler } from './jobs';
import { enqueue } from './jobs';
import { getOffice } from './offices';
import { receivedFile, submitDocument, type Sender, type SubmittedFile } from './submit-document';
import { emitEvent } from './webhooks';

/** The second notice goes out once 7 calendar days without collection have passed. */
export const REMINDER_AFTER_DAYS = 7;
/** After 14 calendar days without collection delivery is deemed made on the following day. */
export const DEEMED_AFTER_DAYS = 14;

export const DELIVERY_NOTICE_JOB = 'delivery.notice';
export const DELIVERY_REMINDER_JOB = 'delivery.reminder';
export const DELIVERY_DEEM_JOB = 'delivery.deem';

export const DELIVERY_REPLY_BOX_JOB = 'delivery.reply-box';

export type DeliveryStatus = 'awaiting' | 'received' | 'deemed';

/** A resident's box address in ePUAP's form, `/{account id}/skrytka`: what an EZD sends to. */
export const residentBoxAddress = (accountId: string): string => `/${accountId}/skrytka`;

/** The account a resident's box address names, or undefined when it is not one. */
export function accountOfBoxAddress(address: string): string | undefined {
  return /^\/([0-9a-f-]{36})\/skrytka$/i.exec(address.trim())?.[1]?.toLowerCase();
}

export interface DeliverInput {
  officeId: string;
  sender: Sender;
  recipientAccountId?: string | undefined;
  recipientPesel?: string | undefined;
  title: string;
  /** `document` once, `attachment` any number of times. */
  files: SubmittedFile[];
  inReplyTo?: string | undefined;
  /** Sent by an EZD: the box of the sending office its proof of receipt goes back to. */
  replyBox?: string | undefined;
  /** The EZD's own document and case ids, echoed with the proof of receipt. */
  ezdDocumentId?: string | undefined;
  ezdCaseId?: string | undefined;
  /** Check everything, store nothing (ePUAP's trial sending, `CzyProbne`). */
  dryRun?: boolean | undefined;
}

export interface DeliverResult {
  deliveryId: string;
  proofOfSendingId: string;
  sentAt: string;
  /** The proof of sending's place in the transparency log: an integer id for EZD connectors. */
  number: number;
  /** The signed proof of sending. */
  proofOfSendingXml: string;
}

/**
 * The moment delivery is deemed made: the start of the Warsaw calendar day after the 14th day
 * from arrival (arrived at 00:30 or 23:30 on 2 March: deemed on 17 March, 00:00 Warsaw time).
 */
export function deemedMoment(sentAt: Date): Date {
  return termEnd(sentAt, DEEMED_AFTER_DAYS);
}

/** The job that deems a delivery delivered at the end of its term, when its office does so. */
const deemTimerKey = (deliveryId: string): string => `delivery-deem:${deliveryId}`;

/** The second notice: the start of the Warsaw day after the 7th day from arrival. */
export function reminderMoment(sentAt: Date): Date {
  return termEnd(sentAt, REMINDER_AFTER_DAYS);
}

const rejected = (fieldErrors: FieldError[]) =>
  new AppError({ code: 'validation_failed', status: 422, key: 'delivery.error.rejected', fieldErrors });

/** An addressee by account id, or by the PESEL of a valid trusted profile. */
async function resolveRecipient(
  deps: ServiceDeps,
  input: DeliverInput,
): Promise<{ id: string; name: string; email: string }> {
  const byId = input.recipientAccountId?.trim();
  const pesel = input.recipientPesel?.trim();
  if (!byId && !pesel) throw rejected([{ field: 'recipientPesel', key: 'delivery.error.noRecipient' }]);
  let accountId = byId;
  if (!accountId) {
    // The PESEL the national node vouched for; else, where the local register is on, a
    // confirmed, unexpired local profile.
    const now = deps.clock.now().toISOString();
    const bound = await deps.db
      .selectFrom('national_identities')
      .select('account_id')
      .where('pesel', '=', pesel!)
      .executeTakeFirst();
    const profile =
      bound ??
      (deps.config.localTrustedProfiles
        ? await deps.db
            .selectFrom('trusted_profiles')
            .select('account_id')
            .where('pesel', '=', pesel!)
            .where('status', '=', 'confirmed')
            .where('valid_until', '>', now)
            .executeTakeFirst()
        : undefined);
    if (!profile) throw rejected([{ field: 'recipientPesel', key: 'delivery.error.unknownPesel' }]);
    accountId = profile.account_id;
  }
  const account = await deps.db
    .selectFrom('accounts')
    .select(['id', 'email', 'display_name'])
    .where('id', '=', accountId)
    .executeTakeFirst();
  if (!account) throw rejected([{ field: 'recipientAccountId', key: 'delivery.error.unknownAccount' }]);
  return { id: account.id, name: account.display_name, email: account.email };
}

/**
 * Sends a letter from an office to a resident. Nothing is stored unless the addressee and every
 * file are right; blobs are committed first, then one transaction writes the delivery, its files,
 * the signed proof of sending and the three timers (notice now, second notice at day 7, deemed
 * delivery after day 14), each once per delivery.
 */
/** The longest title of a letter an office sends. */
export const DELIVERY_TITLE_MAX = 300;

export async function deliverLetter(deps: ServiceDeps, input: DeliverInput): Promise<DeliverResult> {
  try {
    const office = await getOffice(deps, input.officeId);
    const title = input.title.trim();
    const errors: FieldError[] = [];
    if (!title || title.length > DELIVERY_TITLE_MAX)
      errors.push({ field: 'title', key: 'delivery.error.title' });
    const mains = input.files.filter((f) => f.field === 'document');
    if (mains.length !== 1)
      errors.push({
        field: 'document',
        key: mains.length === 0 ? 'filing.error.noDocument' : 'filing.error.manyDocuments',
      });
    if (errors.length > 0) throw rejected(errors);
    const recipient = await resolveRecipient(deps, input);
    if (input.inReplyTo) {
      const original = await deps.db
        .selectFrom('documents')
        .select('id')
        .where('id', '=', input.inReplyTo)
        .where('office_id', '=', office.id)
        .executeTakeFirst();
      if (!original) throw rejected([{ field: 'inReplyTo', key: 'delivery.error.unknownReply' }]);
    }
    const ordered = [...mains, ...input.files.filter((f) => f.field === 'attachment')];
    const checked = await checkFiles(
      office.policy,
      ordered.map((f) => receivedFile(f.field, f.name, f.staged)),
    );
    if (!checked.ok) throw filesRefused(checked.problems);
    if (input.replyBox && !office.boxes.some((b) => b.name === input.replyBox))
      throw rejected([{ field: 'replyBox', key: 'delivery.error.unknownReplyBox' }]);
    if (input.dryRun) {
      await Promise.all(input.files.map((f) => f.staged.discard()));
      return { deliveryId: '', proofOfSendingId: '', sentAt: '', number: 0, proofOfSendingXml: '' };
    }

    for (const file of ordered) await file.staged.commit();

    const deliveryId = randomUUID();
    const box = office.boxes[0]!;
    return await inReceiptTransaction(deps, async (tx) => {
      const sentAt = deps.clock.now();
      const proof = await issueReceipt(tx, deps, {
        kind: 'sending',
        documentId: deliveryId,
        office: { id: office.id, name: office.name, boxAddress: box.address },
        sender: senderParty(input.sender),
        recipient: { name: recipient.name, id: recipient.id, idType: 'IdentyfikatorKonta' },
        title,
        ...(input.inReplyTo ? { caseReference: input.inReplyTo } : {}),
        enteredAt: sentAt,
        files: checked.files.map((f, i) => ({
          role: i === 0 ? 'main' : 'attachment',
          name: f.name,
          sha256: ordered[i]!.staged.sha256,
          size: f.size,
        })),
      });
      await tx
        .insertInto('deliveries')
        .values({
          id: deliveryId,
          office_id: office.id,
          recipient_account_id: recipient.id,
          sender_name: input.sender.name,
          title,
          in_reply_to: input.inReplyTo ?? null,
          status: 'awaiting',
          sent_at: sentAt.toISOString(),
          received_at: null,
          deemed_at: null,
          sending_proof_id: proof.id,
          receipt_proof_id: null,
          reply_box: input.replyBox ?? null,
          ezd_document_id: input.ezdDocumentId ?? null,
          ezd_case_id: input.ezdCaseId ?? null,
          reply_document_id: null,
        })
        .execute();
      await tx
        .insertInto('delivery_files')
        .values(
          checked.files.map((f, position) => ({
            delivery_id: deliveryId,
            position,
            role: position === 0 ? 'main' : 'attachment',
            name: f.name,
            media_type: f.mediaType,
            size: f.size,
            sha256: ordered[position]!.staged.sha256,
          })),
        )
        .execute();
      const payload = { deliveryId };
      await enqueue(tx, {
        kind: DELIVERY_NOTICE_JOB,
        payload,
        runAt: sentAt,
        dedupeKey: `delivery-notice:${deliveryId}`,
      });
      await enqueue(tx, {
        kind: DELIVERY_REMINDER_JOB,
        payload,
        runAt: reminderMoment(sentAt),
        dedupeKey: `delivery-reminder:${deliveryId}`,
      });
      // The office's reading of the law at the time of sending decides: no timer, no fiction.
      if (office.policy.deemedDelivery)
        await enqueue(tx, {
          kind: DELIVERY_DEEM_JOB,
          payload,
          runAt: deemedMoment(sentAt),
          dedupeKey: deemTimerKey(deliveryId),
        });
      return {
        deliveryId,
        proofOfSendingId: proof.id,
        sentAt: sentAt.toISOString(),
        number: proof.logIndex,
        proofOfSendingXml: proof.xml,
      };
    });
  } catch (error) {
    await Promise.all(input.files.map((f) => f.staged.discard()));
    throw error;
  }
}

function senderParty(sender: Sender): ReceiptParty {
  return {
    name: sender.name,
    id: sender.ref,
    idType: sender.type === 'token' ? 'Token' : 'IdentyfikatorKonta',
  };
}

/**
 * Makes the proof of receipt (UPD) inside one transaction, guarded by the status: only an
 * awaiting delivery changes, so confirming twice, or confirming while the deemed job runs,
 * makes exactly one proof.
 */
async function makeProofOfReceipt(
  tx: Tx,
  deps: ServiceDeps,
  deliveryId: string,
  at: Date,
  deemed: boolean,
): Promise<string | undefined> {
  const delivery = await tx
    .selectFrom('deliveries')
    .selectAll()
    .where('id', '=', deliveryId)
    .executeTakeFirstOrThrow();
  if (delivery.status !== 'awaiting') return undefined;
  // Claim the row first: a concurrent confirmation finds it no longer awaiting.
  const status: DeliveryStatus = deemed ? 'deemed' : 'received';
  const claimed = await tx
    .updateTable('deliveries')
    .set({
      status,
      received_at: deemed ? null : at.toISOString(),
      deemed_at: deemed ? at.toISOString() : null,
    })
    .where('id', '=', deliveryId)
    .where('status', '=', 'awaiting')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return undefined;
  // Through the transaction: on SQLite the one connection is held by it, so a read outside
  // would wait for the transaction to end, and the transaction for the read.
  const office = await getOffice({ db: tx }, delivery.office_id);
  const recipient = await tx
    .selectFrom('accounts')
    .select(['id', 'display_name'])
    .where('id', '=', delivery.recipient_account_id)
    .executeTakeFirstOrThrow();
  const files = await tx
    .selectFrom('delivery_files')
    .selectAll()
    .where('delivery_id', '=', deliveryId)
    .orderBy('position')
    .execute();
  const proof = await issueReceipt(tx, deps, {
    kind: 'UPD',
    documentId: deliveryId,
    office: { id: office.id, name: office.name, boxAddress: office.boxes[0]!.address },
    sender: { name: delivery.sender_name, id: office.id, idType: 'IdentyfikatorUrzedu' },
    recipient: { name: recipient.display_name, id: recipient.id, idType: 'IdentyfikatorKonta' },
    ...(delivery.in_reply_to ? { caseReference: delivery.in_reply_to } : {}),
    enteredAt: at,
    arrivedAt: new Date(delivery.sent_at),
    files: files.map((f) => ({
      role: f.role === 'main' ? 'main' : 'attachment',
      name: f.name,
      sha256: f.sha256,
      size: Number(f.size),
    })),
    ...(deemed ? { deemed: true } : {}),
  });
  await tx
    .updateTable('deliveries')
    .set({ receipt_proof_id: proof.id })
    .where('id', '=', deliveryId)
    .execute();
  // Sent by an EZD: the proof goes back to the office's reply box, durably, once.
  if (delivery.reply_box)
    await enqueue(tx, {
      kind: DELIVERY_REPLY_BOX_JOB,
      payload: { deliveryId },
      runAt: at,
      dedupeKey: `delivery-reply-box:${deliveryId}`,
    });
  await emitEvent(tx, deps, {
    type: deemed ? 'delivery.deemed' : 'delivery.received',
    officeId: office.id,
    data: { deliveryId, proofId: proof.id, at: at.toISOString() },
  });
  return proof.id;
}

/**
 * The addressee confirms receipt after a fresh confirmation (purpose `receipt`): the UPD is made
 * once; confirming again returns the same proof.
 */
export async function confirmReceipt(
  deps: ServiceDeps,
  input: { accountId: string; deliveryId: string; challengeId: unknown; code: unknown },
): Promise<{ proofOfReceiptId: string; status: DeliveryStatus }> {
  const delivery = await deps.db
    .selectFrom('deliveries')
    .select(['id', 'status', 'receipt_proof_id'])
    .where('id', '=', input.deliveryId)
    .where('recipient_account_id', '=', input.accountId)
    .executeTakeFirst();
  if (!delivery) throw notFound();
  if (delivery.status === 'awaiting') {
    await confirmFresh(deps, {
      accountId: input.accountId,
      challengeId: input.challengeId,
      code: input.code,
      purpose: 'receipt',
    });
    await inReceiptTransaction(deps, (tx) =>
      makeProofOfReceipt(tx, deps, input.deliveryId, deps.clock.now(), false),
    );
  }
  const after = await deps.db
    .selectFrom('deliveries')
    .select(['status', 'receipt_proof_id'])
    .where('id', '=', input.deliveryId)
    .executeTakeFirstOrThrow();
  return { proofOfReceiptId: after.receipt_proof_id!, status: after.status as DeliveryStatus };
}

export interface DeliveryView {
  id: string;
  officeId: string;
  officeName: string;
  recipientAccountId: string;
  title: string;
  inReplyTo: string | null;
  status: DeliveryStatus;
  sentAt: string;
  receivedAt: string | null;
  deemedAt: string | null;
  proofs: { id: string; kind: 'sending' | 'UPD' }[];
  /**
   * Still awaiting after the 14 days (an office without deemed delivery): the moment the term
   * ended, so the office sees the letter was never collected.
   */
  notCollectedSince?: string;
  /**
   * While awaiting: the last moment (end of the 14th Warsaw day) the letter can be collected,
   * and whether the office deems it delivered then (art. 46 § 4 KPA) or only records it as not
   * collected.
   */
  collection?: { until: string; deemed: boolean };
  /** Only once received or deemed. */
  files?: { position: number; role: string; name: string; mediaType: string; size: number; sha256: string }[];
}

/**
 * The one rule of what the addressee may see of a letter before receipt: the law allows only
 * the notice that a letter waits (office and moment of sending) — no title, no files, no
 * proofs (the proof of sending names the files). The office always sees everything.
 */
export function addresseeMaySeeContent(status: string): boolean {
  return status !== 'awaiting';
}

type Audience = 'office' | 'addressee';

/** One delivery with its files (when the audience may see them). */
async function viewOf(
  deps: ServiceDeps,
  row: { id: string },
  withFiles: boolean,
  audience: Audience,
): Promise<DeliveryView> {
  const d = await deps.db
    .selectFrom('deliveries')
    .selectAll()
    .where('id', '=', row.id)
    .executeTakeFirstOrThrow();
  const view = (await viewsOf(deps, [d], audience))[0]!;
  if (withFiles && addresseeMaySeeContent(d.status)) {
    const files = await deps.db
      .selectFrom('delivery_files')
      .selectAll()
      .where('delivery_id', '=', d.id)
      .orderBy('position')
      .execute();
    view.files = files.map((f) => ({
      position: Number(f.position),
      role: f.role,
      name: f.name,
      mediaType: f.media_type,
      size: Number(f.size),
      sha256: f.sha256,
    }));
  }
  return view;
}

/**
 * Deliveries as their audience sees them, without files. A list is two queries whatever its
 * length: its rows, and the deemed-delivery timers of those still awaiting.
 */
const jobsByKey = compiledOnceWithList((db, _slots: Record<string, never>, keys) =>
  db.selectFrom('jobs').select('dedupe_key').where('dedupe_key', 'in', keys),
);

async function viewsOf(
  deps: ServiceDeps,
  rows: DeliveriesTable[],
  audience: Audience,
): Promise<DeliveryView[]> {
  const now = deps.clock.now().getTime();
  const collecting = rows.flatMap((d) => {
    if (d.status !== 'awaiting') return [];
    const termEnded = deemedMoment(new Date(d.sent_at));
    return termEnded.getTime() > now ? [{ id: d.id, termEnded }] : [];
  });
  const timers = new Set<string>();
  if (collecting.length > 0) {
    const { rows: jobs } = await jobsByKey(
      deps.db,
      deps.dialect,
      {},
      collecting.map((c) => deemTimerKey(c.id)),
    );
    for (const job of jobs) if (job.dedupe_key) timers.add(job.dedupe_key);
  }
  const termEnds = new Map(collecting.map((c) => [c.id, c.termEnded]));
  const views: DeliveryView[] = [];
  for (const d of rows) {
    const office = await getOffice(deps, d.office_id);
    const open = audience === 'office' || addresseeMaySeeContent(d.status);
    const proofs: DeliveryView['proofs'] = open ? [{ id: d.sending_proof_id, kind: 'sending' }] : [];
    if (open && d.receipt_proof_id) proofs.push({ id: d.receipt_proof_id, kind: 'UPD' });
    const view: DeliveryView = {
      id: d.id,
      officeId: d.office_id,
      officeName: office.name,
      recipientAccountId: d.recipient_account_id,
      title: open ? d.title : '',
      inReplyTo: d.in_reply_to,
      status: d.status as DeliveryStatus,
      sentAt: d.sent_at,
      receivedAt: d.received_at,
      deemedAt: d.deemed_at,
      proofs,
    };
    const termEnded = termEnds.get(d.id);
    if (termEnded)
      view.collection = {
        until: new Date(termEnded.getTime() - 1).toISOString(),
        deemed: timers.has(deemTimerKey(d.id)),
      };
    else if (d.status === 'awaiting')
      view.notCollectedSince = deemedMoment(new Date(d.sent_at)).toISOString();
    views.push(view);
  }
  return views;
}

/** The office's (or its token's) view of one delivery; another office's delivery is not found. */
export async function getOfficeDelivery(
  deps: ServiceDeps,
  officeId: string,
  deliveryId: string,
): Promise<DeliveryView> {
  const row = await deps.db
    .selectFrom('deliveries')
    .select('id')
    .where('id', '=', deliveryId)
    .where('office_id', '=', officeId)
    .executeTakeFirst();
  if (!row) throw notFound();
  return viewOf(deps, row, true, 'office');
}

/** The addressee's view: the title, files and proofs only once received or deemed. */
export async function getResidentDelivery(
  deps: ServiceDeps,
  accountId: string,
  deliveryId: string,
): Promise<DeliveryView> {
  const row = await deps.db
    .selectFrom('deliveries')
    .select('id')
    .where('id', '=', deliveryId)
    .where('recipient_account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) throw notFound();
  return viewOf(deps, row, true, 'addressee');
}

const deliveriesTo = compiledOnce((db, slots: { accountId: string }) =>
  db
    .selectFrom('deliveries')
    .selectAll()
    .where('recipient_account_id', '=', slots.accountId)
    .orderBy('sent_at', 'desc')
    .limit(200),
);

/** The addressee's inbox, newest first. */
export async function listResidentDeliveries(deps: ServiceDeps, accountId: string): Promise<DeliveryView[]> {
  const { rows } = await deliveriesTo(deps.db, deps.dialect, { accountId });
  return viewsOf(deps, rows, 'addressee');
}

/** A file of a delivery for its addressee: not found while the letter awaits receipt. */
export async function downloadDeliveryFile(
  deps: ServiceDeps,
  accountId: string,
  deliveryId: string,
  position: number,
): Promise<{ name: string; mediaType: string; content: Buffer }> {
  const view = await getResidentDelivery(deps, accountId, deliveryId);
  const file = view.files?.find((f) => f.position === position);
  if (!file) throw notFound();
  return { name: file.name, mediaType: file.mediaType, content: await deps.blobs.read(file.sha256) };
}

async function mailNotice(deps: ServiceDeps, deliveryId: string, reminder: boolean): Promise<void> {
  const d = await deps.db
    .selectFrom('deliveries')
    .selectAll()
    .where('id', '=', deliveryId)
    .executeTakeFirst();
  // Collected (or deemed) already: nothing to announce.
  if (!d || d.status !== 'awaiting') return;
  const account = await deps.db
    .selectFrom('accounts')
    .select(['email'])
    .where('id', '=', d.recipient_account_id)
    .executeTakeFirstOrThrow();
  const office = await getOffice(deps, d.office_id);
  const fmt = (iso: Date) =>
    new Intl.DateTimeFormat('pl-PL', { dateStyle: 'long', timeZone: 'Europe/Warsaw' }).format(iso);
  const termEnd = deemedMoment(new Date(d.sent_at));
  const params = {
    office: office.name,
    date: fmt(new Date(d.sent_at)),
    url: `${deps.config.publicUrl}/skrzynka/${d.id}`,
    deemed: fmt(termEnd),
    until: fmt(new Date(termEnd.getTime() - 1)),
  };
  // The mail promises deemed delivery only when this letter's timer was set.
  const deemed = await willBeDeemed(deps, d.id);
  const key = reminder
    ? deemed
      ? 'delivery.mail.reminderText'
      : 'delivery.mail.reminderTextNotDeemed'
    : deemed
      ? 'delivery.mail.text'
      : 'delivery.mail.textNotDeemed';
  await deps.mailer.send({
    to: account.email,
    subject: translate('pl', reminder ? 'delivery.mail.reminderSubject' : 'delivery.mail.subject', params),
    text: `${translate('pl', key, params)}\n${translate('en', key, params)}`,
  });
}

/**
 * Whether an awaiting letter will be deemed delivered: its timer was set when it was sent, by
 * the office's setting at that time (a later change of the setting does not touch it).
 */
async function willBeDeemed(deps: ServiceDeps, deliveryId: string): Promise<boolean> {
  const timer = await deps.db
    .selectFrom('jobs')
    .select('id')
    .where('dedupe_key', '=', deemTimerKey(deliveryId))
    .executeTakeFirst();
  return timer !== undefined;
}

/**
 * Files the signed proof of receipt of a letter an EZD sent into the office's reply box, where
 * the EZD pulls it like any other document. The idempotency key makes a second run return the
 * first filing.
 */
async function fileProofInReplyBox(deps: ServiceDeps, deliveryId: string): Promise<void> {
  const d = await deps.db
    .selectFrom('deliveries')
    .selectAll()
    .where('id', '=', deliveryId)
    .executeTakeFirst();
  if (!d?.reply_box || !d.receipt_proof_id) return;
  const proof = await deps.db
    .selectFrom('receipts')
    .select(['xml'])
    .where('id', '=', d.receipt_proof_id)
    .executeTakeFirstOrThrow();
  const office = await getOffice(deps, d.office_id);
  const filed = await submitDocument(deps, {
    officeId: d.office_id,
    boxName: d.reply_box,
    sender: { type: 'token', ref: `delivery:${deliveryId}`, name: office.name },
    title: `UPD: ${d.title}`,
    files: [
      {
        field: 'document',
        name: `UPD-${d.receipt_proof_id}.xml`,
        staged: await deps.blobs.stage(Buffer.from(proof.xml, 'utf8')),
      },
    ],
    idempotencyKey: `upd:${deliveryId}`,
  });
  await deps.db
    .updateTable('deliveries')
    .set({ reply_document_id: filed.documentId })
    .where('id', '=', deliveryId)
    .execute();
}

/** The EZD ids a document in a reply box echoes: the delivery whose proof of receipt it is. */
export async function deliveryOfReplyDocument(
  deps: Pick<ServiceDeps, 'db'>,
  documentId: string,
): Promise<{ ezdDocumentId: string | null; ezdCaseId: string | null; number: number } | undefined> {
  const row = await deps.db
    .selectFrom('deliveries')
    .innerJoin('receipts', 'receipts.id', 'deliveries.sending_proof_id')
    .select(['deliveries.ezd_document_id', 'deliveries.ezd_case_id', 'receipts.log_index'])
    .where('deliveries.reply_document_id', '=', documentId)
    .executeTakeFirst();
  return row
    ? { ezdDocumentId: row.ezd_document_id, ezdCaseId: row.ezd_case_id, number: Number(row.log_index) }
    : undefined;
}

/** The timers of a delivery; each checks the state first, so running twice changes nothing. */
export function deliveryJobHandlers(deps: ServiceDeps): Record<string, JobHandler> {
  const idOf = (payload: unknown) => (payload as { deliveryId: string }).deliveryId;
  return {
    [DELIVERY_NOTICE_JOB]: { run: (job) => mailNotice(deps, idOf(job.payload), false) },
    [DELIVERY_REMINDER_JOB]: { run: (job) => mailNotice(deps, idOf(job.payload), true) },
    [DELIVERY_REPLY_BOX_JOB]: { run: (job) => fileProofInReplyBox(deps, idOf(job.payload)) },
    [DELIVERY_DEEM_JOB]: {
      run: async (job) => {
        const deliveryId = idOf(job.payload);
        const d = await deps.db
          .selectFrom('deliveries')
          .select(['sent_at'])
          .where('id', '=', deliveryId)
          .executeTakeFirst();
        if (!d) return;
        await inReceiptTransaction(deps, (tx) =>
          makeProofOfReceipt(tx, deps, deliveryId, deemedMoment(new Date(d.sent_at)), true),
        );
      },
    },
  };
}

/** The letters an office sent in answer to one of its documents, oldest first. */
export async function listRepliesTo(
  deps: ServiceDeps,
  officeId: string,
  documentId: string,
): Promise<DeliveryView[]> {
  const rows = await deps.db
    .selectFrom('deliveries')
    .selectAll()
    .where('office_id', '=', officeId)
    .where('in_reply_to', '=', documentId)
    .orderBy('sent_at')
    .execute();
  return viewsOf(deps, rows, 'office');
}

/** Who an answer goes to by default: the resident who filed the document, if a resident did. */
export async function replyRecipientOf(
  deps: ServiceDeps,
  officeId: string,
  documentId: string,
): Promise<{ accountId: string; name: string } | undefined> {
  const doc = await deps.db
    .selectFrom('documents')
    .select(['sender_type', 'sender_ref', 'sender_name'])
    .where('id', '=', documentId)
    .where('office_id', '=', officeId)
    .executeTakeFirst();
  if (!doc) throw notFound();
  return doc.sender_type === 'account' ? { accountId: doc.sender_ref, name: doc.sender_name } : undefined;
}
