import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Document, Element } from '@xmldom/xmldom';
import { sql, type Expression, type SqlBool } from 'kysely';
import { AppError, badRequest, type FieldError } from '../domain/errors';
import { NS } from '../domain/letters/general-letter';
import { isLetterKind, LETTER_KINDS } from '../domain/letters/letter-kind';
import {
  DOCUMENT_STATUSES,
  isCsvForm,
  isDocumentStatus,
  isIsoDay,
  type CsvForm,
  MAX_QUERY_WORDS,
  registrationNumber,
  searchTerms,
  SIGNATURE_STATUSES,
  toCsv,
  warsawDayStart,
  warsawLocalTime,
  warsawYear,
} from '../domain/journal/index';
import { readUntrustedXml, UnsafeXmlError } from '../domain/xml/read-untrusted';
import { audit } from './audit';
import { emitEvent } from './webhooks';
import { searchPage } from './box-search';
import { compiledOnce, compiledOnceWithList } from './compiled-once';
import { translate, type Lang } from '../i18n/index';
import type { DocumentsTable } from '../ports/database';
import type { ServiceDeps } from './deps';
import { getDocument, type DocumentView } from './read-documents';

export const BOX_PAGE_SIZE = 50;

export interface BoxFilters {
  status: string;
  kind: string;
  signature: string;
  department: string;
  from: string;
  to: string;
  q: string;
  sort: 'newest' | 'oldest';
}

export interface BoxItem {
  documentId: string;
  seq: number;
  title: string;
  senderName: string;
  kind: string | null;
  receivedAt: string;
  totalSize: number;
  fileCount: number;
  signatureStatus: string;
  status: string;
  registrationNumber: string | null;
  departmentName: string | null;
  receiptId: string;
  /** How many format findings (e.g. "archive not inspected") its files carry. */
  findings: number;
}

export interface BoxPage {
  filters: BoxFilters;
  items: BoxItem[];
  /** The cursor of the next page (a seq), when there is one. */
  next: number | undefined;
  departments: Department[];
}

export interface Department {
  id: string;
  name: string;
}

const text = (value: unknown, max: number): string =>
  typeof value === 'string' ? value.trim().slice(0, max) : '';

/** Reads the box's query string; a value outside its set is an error naming the field. */
export function parseBoxQuery(
  query: Record<string, unknown>,
  departments: Department[],
): { filters: BoxFilters; after: number | undefined; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const pick = (field: string, allowed: readonly string[]): string => {
    const value = text(query[field], 100);
    if (value && !allowed.includes(value)) {
      errors.push({ field, key: 'box.error.choice', params: { field } });
      return '';
    }
    return value;
  };
  const day = (field: string): string => {
    const value = text(query[field], 20);
    if (value && !isIsoDay(value)) {
      errors.push({ field, key: 'box.error.date' });
      return '';
    }
    return value;
  };
  const filters: BoxFilters = {
    status: pick('status', DOCUMENT_STATUSES),
    kind: pick('kind', LETTER_KINDS),
    signature: pick('signature', SIGNATURE_STATUSES),
    department: pick(
      'department',
      departments.map((d) => d.id),
    ),
    from: day('from'),
    to: day('to'),
    q: text(query.q, 200),
    sort: text(query.sort, 10) === 'oldest' ? 'oldest' : 'newest',
  };
  if (filters.from && filters.to && filters.from > filters.to)
    errors.push({ field: 'to', key: 'box.error.range' });
  const terms = searchTerms(filters.q);
  if (terms.words.length + (terms.prefix === undefined ? 0 : 1) > MAX_QUERY_WORDS)
    errors.push({ field: 'q', key: 'box.error.searchWords', params: { max: MAX_QUERY_WORDS } });
  const rawAfter = text(query.after, 20);
  const after = /^\d{1,15}$/.test(rawAfter) ? Number(rawAfter) : undefined;
  return { filters, after, errors };
}

const departmentsOf = compiledOnce((db, slots: { officeId: string }) =>
  db.selectFrom('departments').select(['id', 'name']).where('office_id', '=', slots.officeId).orderBy('name'),
);

export async function listDepartments(
  deps: Pick<ServiceDeps, 'db' | 'dialect'>,
  officeId: string,
): Promise<Department[]> {
  return (await departmentsOf(deps.db, deps.dialect, { officeId })).rows;
}

/** Adds a department (idempotent by name): office admins keep them, the demo adds two. */
export async function ensureDepartment(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  officeId: string,
  name: string,
): Promise<Department> {
  const existing = await deps.db
    .selectFrom('departments')
    .select(['id', 'name'])
    .where('office_id', '=', officeId)
    .where('name', '=', name)
    .executeTakeFirst();
  if (existing) return existing;
  const id = randomUUID();
  await deps.db
    .insertInto('departments')
    .values({ id, office_id: officeId, name, created_at: deps.clock.now().toISOString() })
    .execute();
  return { id, name };
}

const BOX_COLUMNS = [
  'documents.id',
  'documents.seq',
  'documents.title',
  'documents.sender_name',
  'documents.kind',
  'documents.received_at',
  'documents.total_size',
  'documents.file_count',
  'documents.signature_status',
  'documents.status',
  'documents.registration_number',
  'documents.department_id',
  'documents.receipt_id',
] as const;
type BoxRow = Pick<
  DocumentsTable,
  | 'id'
  | 'seq'
  | 'title'
  | 'sender_name'
  | 'kind'
  | 'received_at'
  | 'total_size'
  | 'file_count'
  | 'signature_status'
  | 'status'
  | 'registration_number'
  | 'department_id'
  | 'receipt_id'
>;

/** The filters other than the search, as conditions on `documents`. */
function filterConditions(filters: BoxFilters): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  const is = (column: string, value: string) => sql<SqlBool>`${sql.ref(`documents.${column}`)} = ${value}`;
  if (filters.status) conditions.push(is('status', filters.status));
  if (filters.kind) conditions.push(is('kind', filters.kind));
  if (filters.signature) conditions.push(is('signature_status', filters.signature));
  if (filters.department) conditions.push(is('department_id', filters.department));
  if (filters.from)
    conditions.push(sql<SqlBool>`documents.received_at >= ${warsawDayStart(filters.from).toISOString()}`);
  if (filters.to)
    conditions.push(
      sql<SqlBool>`documents.received_at < ${warsawDayStart(nextDay(filters.to)).toISOString()}`,
    );
  return conditions;
}

/**
 * One page of the office's box. Pages are keyset pages over `seq` (the order documents entered),
 * so a page never shifts when new documents arrive and the cost does not grow with the page
 * number. A search starts from the rarest of its terms in the word index and checks the other
 * terms and the filters document by document (see docs/office.md).
 */
/** The first page of a box with no filter, newest or oldest first. */
const boxFirstPage = (direction: 'asc' | 'desc') =>
  compiledOnce((db, slots: { officeId: string }) =>
    db
      .selectFrom('documents')
      .select(BOX_COLUMNS)
      .where('documents.office_id', '=', slots.officeId)
      .orderBy('documents.seq', direction)
      .limit(BOX_PAGE_SIZE + 1),
  );
const boxNewestFirst = boxFirstPage('desc');
const boxOldestFirst = boxFirstPage('asc');

/** The files of a page's documents that carry format findings. */
const findingsOf = compiledOnceWithList((db, _slots: Record<string, never>, documentIds) =>
  db
    .selectFrom('document_files')
    .select(['document_id', 'findings'])
    .where('document_id', 'in', documentIds)
    .where('findings', '!=', '[]'),
);

export async function listBox(
  deps: Pick<ServiceDeps, 'db' | 'dialect'>,
  officeId: string,
  query: Record<string, unknown>,
): Promise<BoxPage> {
  const departments = await listDepartments(deps, officeId);
  const { filters, after, errors } = parseBoxQuery(query, departments);
  if (errors.length > 0) throw badRequest(errors, 'box.error.filters');
  const newest = filters.sort === 'newest';
  const keyset =
    after === undefined ? undefined : { op: newest ? ('<' as const) : ('>' as const), seq: after };
  const limit = BOX_PAGE_SIZE + 1;
  let rows: BoxRow[];
  const conditions = filterConditions(filters);
  if (!filters.q && conditions.length === 0 && keyset === undefined) {
    // The box as it opens, with no filter: the page every clerk sees first.
    const firstPage = newest ? boxNewestFirst : boxOldestFirst;
    rows = (await firstPage(deps.db, deps.dialect, { officeId })).rows;
  } else if (!filters.q) {
    let q = deps.db.selectFrom('documents').select(BOX_COLUMNS).where('documents.office_id', '=', officeId);
    for (const condition of conditions) q = q.where(condition);
    if (keyset) q = q.where('documents.seq', keyset.op, keyset.seq);
    rows = await q
      .orderBy('documents.seq', newest ? 'desc' : 'asc')
      .limit(limit)
      .execute();
  } else {
    rows = await searchPage(
      deps.db,
      deps.dialect,
      officeId,
      searchTerms(filters.q),
      { newest, after, limit },
      async (from) => {
        let q = from.select(BOX_COLUMNS);
        for (const condition of conditions) q = q.where(condition);
        return q
          .orderBy('s.seq', newest ? 'desc' : 'asc')
          .limit(limit)
          .execute();
      },
    );
  }
  const page = rows.slice(0, BOX_PAGE_SIZE);
  const findings = new Map<string, number>();
  if (page.length > 0) {
    const { rows: files } = await findingsOf(
      deps.db,
      deps.dialect,
      {},
      page.map((r) => r.id),
    );
    for (const f of files)
      findings.set(
        f.document_id,
        (findings.get(f.document_id) ?? 0) + (JSON.parse(f.findings) as unknown[]).length,
      );
  }
  const departmentName = new Map(departments.map((d) => [d.id, d.name]));
  return {
    filters,
    departments,
    next: rows.length > BOX_PAGE_SIZE ? Number(page[page.length - 1]!.seq) : undefined,
    items: page.map((r) => ({
      documentId: r.id,
      seq: Number(r.seq),
      title: r.title,
      senderName: r.sender_name,
      kind: r.kind,
      receivedAt: r.received_at,
      totalSize: Number(r.total_size),
      fileCount: Number(r.file_count),
      signatureStatus: r.signature_status,
      status: r.status,
      registrationNumber: r.registration_number,
      departmentName: r.department_id ? (departmentName.get(r.department_id) ?? null) : null,
      receiptId: r.receipt_id,
      findings: findings.get(r.id) ?? 0,
    })),
  };
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The general letter as text to show: never the sender's markup. */
export interface RenderedLetter {
  title: string;
  kind: string;
  place: string;
  senderName: string;
  paragraphs: string[];
  attachments: string[];
}

const childText = (parent: Element, ns: string, name: string): string =>
  parent.getElementsByTagNameNS(ns, name)[0]?.textContent?.trim() ?? '';

/** Reads a general letter (CRWDE 2013/12/12/1410); undefined for anything else. */
export function renderGeneralLetter(xml: Buffer): RenderedLetter | undefined {
  let doc: Document;
  try {
    doc = readUntrustedXml(xml.toString('utf8'));
  } catch (error) {
    if (error instanceof UnsafeXmlError) return undefined;
    throw error;
  }
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== NS.wnio || root.localName !== 'Dokument') return undefined;
  const person = root.getElementsByTagNameNS(NS.oso, 'Osoba')[0];
  const kind = root.getElementsByTagNameNS(NS.wnio, 'RodzajWnioskuRozszerzony')[0];
  return {
    title: childText(root, NS.wnio, 'Tytul'),
    // "inne pismo" names the kind in @jakiInny.
    kind:
      (kind?.getAttribute('rodzaj') === 'inne pismo' ? kind.getAttribute('jakiInny') : '') ||
      (kind?.getAttribute('rodzaj') ?? ''),
    place: childText(root, NS.wnio, 'MiejscowoscDokumentu'),
    senderName: person
      ? `${childText(person, NS.oso, 'Imie')} ${childText(person, NS.oso, 'Nazwisko')}`.trim()
      : '',
    paragraphs: Array.from(root.getElementsByTagNameNS(NS.wnio, 'Informacja'))
      .map((e) => e.textContent?.trim() ?? '')
      .filter(Boolean),
    attachments: Array.from(root.getElementsByTagNameNS(NS.str, 'Zalacznik')).map(
      (e) => e.getAttribute('nazwaPliku') ?? '',
    ),
  };
}

export interface Note {
  id: string;
  body: string;
  authorName: string;
  createdAt: string;
}

export interface Clerk {
  accountId: string;
  name: string;
}

export interface OfficeDocument {
  document: DocumentView;
  registrationNumber: string | null;
  registeredAt: string | null;
  department: Department | null;
  assignee: Clerk | null;
  closedAt: string | null;
  letter: RenderedLetter | undefined;
  notes: Note[];
  departments: Department[];
  clerks: Clerk[];
}

const documentNotFound = (id: string) =>
  new AppError({ code: 'not_found', status: 404, key: 'filing.error.documentNotFound', params: { id } });

/** The document's journal row, only within the office asking: another office's is 404. */
async function journalRow(deps: Pick<ServiceDeps, 'db'>, officeId: string, documentId: string) {
  const row = await deps.db
    .selectFrom('documents')
    .select([
      'id',
      'status',
      'registration_number',
      'registered_at',
      'department_id',
      'assignee_id',
      'closed_at',
      'sender_type',
      'sender_ref',
    ])
    .where('id', '=', documentId)
    .where('office_id', '=', officeId)
    .executeTakeFirst();
  if (!row) throw documentNotFound(documentId);
  return row;
}

/**
 * Separation of duties: a clerk who filed a document himself (from his own account) neither
 * registers, assigns nor closes it, and nobody assigns it to him.
 */
async function refuseOwnDocument(
  deps: Pick<ServiceDeps, 'db'>,
  input: { officeId: string; documentId: string; actorId: string; assigneeId?: string | null },
): Promise<void> {
  const row = await journalRow(deps, input.officeId, input.documentId);
  if (row.sender_type !== 'account') return;
  if (row.sender_ref === input.actorId)
    throw new AppError({ code: 'own_case', status: 403, key: 'box.error.ownCase' });
  if (input.assigneeId && row.sender_ref === input.assigneeId)
    throw badRequest([{ field: 'assigneeId', key: 'box.error.assigneeOwnCase' }], 'box.error.assign');
}

export async function listClerks(deps: Pick<ServiceDeps, 'db'>, officeId: string): Promise<Clerk[]> {
  const rows = await deps.db
    .selectFrom('account_roles')
    .innerJoin('accounts', 'accounts.id', 'account_roles.account_id')
    .select(['accounts.id', 'accounts.display_name'])
    .where('account_roles.role', '=', 'clerk')
    .where('account_roles.office_id', '=', officeId)
    .orderBy('accounts.display_name')
    .execute();
  const seen = new Set<string>();
  return rows
    .filter((r) => !seen.has(r.id) && seen.add(r.id))
    .map((r) => ({ accountId: r.id, name: r.display_name }));
}

/** Opens a document for a clerk of its office; every opening is audited. */
export async function openOfficeDocument(
  deps: ServiceDeps,
  input: { officeId: string; documentId: string; actorId: string },
): Promise<OfficeDocument> {
  const row = await journalRow(deps, input.officeId, input.documentId);
  const document = await getDocument(
    deps,
    { kind: 'account', accountId: input.actorId, clerkOfOffices: [input.officeId] },
    input.documentId,
  );
  const main = document.files.find((f) => f.role === 'main');
  const letter =
    main && main.mediaType.includes('xml')
      ? renderGeneralLetter(await deps.blobs.read(main.sha256))
      : undefined;
  const [departments, clerks, notes] = await Promise.all([
    listDepartments(deps, input.officeId),
    listClerks(deps, input.officeId),
    deps.db
      .selectFrom('document_notes')
      .innerJoin('accounts', 'accounts.id', 'document_notes.author_id')
      .select([
        'document_notes.id',
        'document_notes.body',
        'document_notes.created_at',
        'accounts.display_name',
      ])
      .where('document_notes.document_id', '=', input.documentId)
      .orderBy('document_notes.created_at')
      .orderBy('document_notes.id')
      .execute(),
  ]);
  const assigneeName = row.assignee_id
    ? ((
        await deps.db
          .selectFrom('accounts')
          .select('display_name')
          .where('id', '=', row.assignee_id)
          .executeTakeFirst()
      )?.display_name ?? '—')
    : undefined;
  await audit(deps, {
    action: 'document.opened',
    actorId: input.actorId,
    subject: input.documentId,
    details: { officeId: input.officeId },
  });
  return {
    document,
    registrationNumber: row.registration_number,
    registeredAt: row.registered_at,
    department: departments.find((d) => d.id === row.department_id) ?? null,
    assignee: row.assignee_id ? { accountId: row.assignee_id, name: assigneeName ?? '—' } : null,
    closedAt: row.closed_at,
    letter,
    notes: notes.map((n) => ({
      id: n.id,
      body: n.body,
      authorName: n.display_name,
      createdAt: n.created_at,
    })),
    departments,
    clerks,
  };
}

/** A file of a document as a download for a clerk of its office; audited. */
export async function downloadOfficeFile(
  deps: ServiceDeps,
  input: { officeId: string; documentId: string; position: string; actorId: string },
): Promise<{ name: string; size: number; sha256: string; stream: Readable }> {
  await journalRow(deps, input.officeId, input.documentId);
  const file = await deps.db
    .selectFrom('document_files')
    .select(['name', 'size', 'sha256', 'position'])
    .where('document_id', '=', input.documentId)
    .where('position', '=', /^\d{1,4}$/.test(input.position) ? Number(input.position) : -1)
    .executeTakeFirst();
  if (!file) throw documentNotFound(input.documentId);
  const stream = await deps.blobs.get(file.sha256);
  await audit(deps, {
    action: 'document.file-downloaded',
    actorId: input.actorId,
    subject: input.documentId,
    details: { officeId: input.officeId, position: Number(file.position) },
  });
  return { name: file.name, size: Number(file.size), sha256: file.sha256, stream };
}

const conflict = (key: 'box.error.alreadyRegistered' | 'box.error.notRegistered' | 'box.error.closed') =>
  new AppError({ code: 'conflict', status: 409, key });

/**
 * Every change of a document's state is one conditional UPDATE in its transaction (the status
 * it may start from is part of the WHERE), so two clerks acting at once cannot both succeed
 * from the same state; the one that updated nothing learns why from this.
 */
const OPEN_REGISTERED: string[] = ['registered', 'assigned'];

async function refuseStateChange(db: Pick<ServiceDeps, 'db'>['db'], officeId: string, documentId: string) {
  const row = await journalRow({ db }, officeId, documentId);
  throw conflict(row.status === 'closed' ? 'box.error.closed' : 'box.error.notRegistered');
}

/**
 * Gives the document the next number of its office and year. The counter row is bumped in the
 * same transaction that marks the document registered: the row lock (PostgreSQL) or the single
 * writer (SQLite) serialises registrations, and a failed registration rolls its number back, so
 * the numbers have no gaps and no duplicates.
 */
export async function registerDocument(
  deps: ServiceDeps,
  input: { officeId: string; documentId: string; actorId: string },
): Promise<string> {
  await refuseOwnDocument(deps, input);
  const now = deps.clock.now();
  const year = warsawYear(now);
  return deps.db.transaction().execute(async (tx) => {
    const office = await tx
      .selectFrom('offices')
      .select('short_code')
      .where('id', '=', input.officeId)
      .executeTakeFirst();
    if (!office) throw documentNotFound(input.documentId);
    const marked = await tx
      .updateTable('documents')
      .set({ status: 'registered', registered_at: now.toISOString() })
      .where('id', '=', input.documentId)
      .where('office_id', '=', input.officeId)
      .where('registration_number', 'is', null)
      .executeTakeFirst();
    if (Number(marked.numUpdatedRows) === 0) {
      await journalRow({ db: tx }, input.officeId, input.documentId);
      throw conflict('box.error.alreadyRegistered');
    }
    const counter = await tx
      .insertInto('journal_counters')
      .values({ office_id: input.officeId, year, last_number: 1 })
      .onConflict((oc) =>
        oc.columns(['office_id', 'year']).doUpdateSet({ last_number: sql`journal_counters.last_number + 1` }),
      )
      .returning('last_number')
      .executeTakeFirstOrThrow();
    const number = registrationNumber(office.short_code, year, Number(counter.last_number));
    await tx
      .updateTable('documents')
      .set({ registration_number: number })
      .where('id', '=', input.documentId)
      .execute();
    await audit(
      deps,
      {
        action: 'document.registered',
        actorId: input.actorId,
        subject: input.documentId,
        details: { officeId: input.officeId, registrationNumber: number },
      },
      tx,
    );
    await emitEvent(tx, deps, {
      type: 'document.registered',
      officeId: input.officeId,
      data: { documentId: input.documentId, registrationNumber: number, registeredAt: now.toISOString() },
    });
    return number;
  });
}

/** Assigns a registered document to a department and, optionally, one of the office's clerks. */
export async function assignDocument(
  deps: ServiceDeps,
  input: {
    officeId: string;
    documentId: string;
    actorId: string;
    departmentId: unknown;
    assigneeId: unknown;
  },
): Promise<void> {
  await journalRow(deps, input.officeId, input.documentId);
  const [departments, clerks] = await Promise.all([
    listDepartments(deps, input.officeId),
    listClerks(deps, input.officeId),
  ]);
  const errors: FieldError[] = [];
  const department = departments.find((d) => d.id === input.departmentId);
  if (!department) errors.push({ field: 'departmentId', key: 'box.error.department' });
  const assigneeId =
    typeof input.assigneeId === 'string' && input.assigneeId !== '' ? input.assigneeId : null;
  if (assigneeId && !clerks.some((c) => c.accountId === assigneeId))
    errors.push({ field: 'assigneeId', key: 'box.error.assignee' });
  if (errors.length > 0) throw badRequest(errors, 'box.error.assign');
  await refuseOwnDocument(deps, { ...input, assigneeId });
  await deps.db.transaction().execute(async (tx) => {
    // The status is checked by the update itself: a document closed meanwhile is not reopened.
    const updated = await tx
      .updateTable('documents')
      .set({ status: 'assigned', department_id: department!.id, assignee_id: assigneeId })
      .where('id', '=', input.documentId)
      .where('office_id', '=', input.officeId)
      .where('status', 'in', OPEN_REGISTERED)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await refuseStateChange(tx, input.officeId, input.documentId);
    await audit(
      deps,
      {
        action: 'document.assigned',
        actorId: input.actorId,
        subject: input.documentId,
        details: { officeId: input.officeId, departmentId: department!.id, assigneeId },
      },
      tx,
    );
  });
}

export async function addNote(
  deps: ServiceDeps,
  input: { officeId: string; documentId: string; actorId: string; body: unknown },
): Promise<void> {
  await journalRow(deps, input.officeId, input.documentId);
  const body = typeof input.body === 'string' ? input.body.trim() : '';
  if (body.length === 0 || body.length > 2000)
    throw badRequest([{ field: 'note', key: 'box.error.note' }], 'box.error.noteTitle');
  await deps.db.transaction().execute(async (tx) => {
    const id = randomUUID();
    await tx
      .insertInto('document_notes')
      .values({
        id,
        document_id: input.documentId,
        author_id: input.actorId,
        body,
        created_at: deps.clock.now().toISOString(),
      })
      .execute();
    await audit(
      deps,
      {
        action: 'document.note-added',
        actorId: input.actorId,
        subject: input.documentId,
        details: { officeId: input.officeId, noteId: id },
      },
      tx,
    );
  });
}

export async function closeDocument(
  deps: ServiceDeps,
  input: { officeId: string; documentId: string; actorId: string },
): Promise<void> {
  await refuseOwnDocument(deps, input);
  await deps.db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('documents')
      .set({ status: 'closed', closed_at: deps.clock.now().toISOString() })
      .where('id', '=', input.documentId)
      .where('office_id', '=', input.officeId)
      .where('status', 'in', OPEN_REGISTERED)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await refuseStateChange(tx, input.officeId, input.documentId);
    await audit(
      deps,
      {
        action: 'document.closed',
        actorId: input.actorId,
        subject: input.documentId,
        details: { officeId: input.officeId },
      },
      tx,
    );
  });
}

const JOURNAL_COLUMNS = [
  'number',
  'registeredAt',
  'receivedAt',
  'sender',
  'title',
  'kind',
  'status',
  'department',
  'assignee',
  'closedAt',
  'document',
  'receipt',
] as const;

/**
 * The journal for a range of registration days (Polish calendar days), as CSV: by default in
 * the form Polish spreadsheet programs open directly (semicolons, BOM, Warsaw times, status and
 * kind in words of the clerk's language), or in the machine form (see CsvForm). The column
 * names are in the clerk's language in both. The fields are named as on the export form.
 */
export async function exportJournal(
  deps: ServiceDeps,
  input: { officeId: string; actorId: string; from: unknown; to: unknown; form?: unknown; lang: Lang },
): Promise<{ csv: string; from: string; to: string }> {
  const from = typeof input.from === 'string' ? input.from.trim() : '';
  const to = typeof input.to === 'string' ? input.to.trim() : '';
  const form: CsvForm =
    input.form === undefined || input.form === '' ? 'spreadsheet' : (input.form as CsvForm);
  const errors: FieldError[] = [];
  if (!isIsoDay(from)) errors.push({ field: 'exportFrom', key: 'box.error.date' });
  if (!isIsoDay(to)) errors.push({ field: 'exportTo', key: 'box.error.date' });
  else if (isIsoDay(from) && from > to) errors.push({ field: 'exportTo', key: 'box.error.range' });
  if (!isCsvForm(form)) errors.push({ field: 'exportForm', key: 'box.error.exportForm' });
  if (errors.length > 0) throw badRequest(errors, 'box.error.export');
  const rows = await deps.db
    .selectFrom('documents')
    .leftJoin('departments', 'departments.id', 'documents.department_id')
    .leftJoin('accounts', 'accounts.id', 'documents.assignee_id')
    .select([
      'documents.registration_number',
      'documents.registered_at',
      'documents.received_at',
      'documents.sender_name',
      'documents.title',
      'documents.kind',
      'documents.status',
      'departments.name as department',
      'accounts.display_name as assignee',
      'documents.closed_at',
      'documents.id',
      'documents.receipt_id',
    ])
    .where('documents.office_id', '=', input.officeId)
    .where('documents.registered_at', '>=', warsawDayStart(from).toISOString())
    .where('documents.registered_at', '<', warsawDayStart(nextDay(to)).toISOString())
    .orderBy('documents.registered_at')
    .orderBy('documents.registration_number')
    .execute();
  await audit(deps, {
    action: 'journal.exported',
    actorId: input.actorId,
    subject: input.officeId,
    details: { from, to, rows: rows.length },
  });
  const header = JOURNAL_COLUMNS.map((column) => translate(input.lang, `box.export.column.${column}`));
  const time = (iso: string | null) =>
    iso === null ? null : form === 'spreadsheet' ? warsawLocalTime(iso, input.lang) : iso;
  return {
    from,
    to,
    csv: toCsv(
      [
        header,
        ...rows.map((r) => [
          r.registration_number,
          time(r.registered_at),
          time(r.received_at),
          r.sender_name,
          r.title,
          r.kind && form === 'spreadsheet' && isLetterKind(r.kind)
            ? translate(input.lang, `letter.kind.${r.kind}`)
            : r.kind,
          form === 'spreadsheet' && isDocumentStatus(r.status)
            ? translate(input.lang, `letter.status.${r.status}`)
            : r.status,
          r.department,
          r.assignee,
          time(r.closed_at),
          r.id,
          r.receipt_id,
        ]),
      ],
      form,
    ),
  };
}
