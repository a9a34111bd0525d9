import { buildPolicy, DEFAULT_MAX_SIZE_BYTES, type OfficePolicy, type StoredPolicy } from '../domain/policy';
import { badRequest, notFound, type FieldError } from '../domain/errors';
import { formatById } from '../domain/formats';
import { text } from './account-fields';
import { audit } from './audit';
import type { ServiceDeps } from './deps';

/** Length limits of an office's fields; forms show them (maxlength and a hint). */
export const OFFICE_LIMITS = { name: 200, shortCode: 16, address: 300 } as const;

export interface Office {
  id: string;
  name: string;
  shortCode: string;
  address: string;
  email: string | null;
  phone: string | null;
  website: string | null;
  boxes: { name: string; title: string; address: string }[];
  externalAddresses: { platform: string; address: string }[];
  policy: OfficePolicy;
}

export interface OfficeSummary {
  id: string;
  name: string;
  address: string;
}

export const boxAddress = (officeId: string, boxName: string): string => `/${officeId}/${boxName}`;

export async function listOffices(deps: Pick<ServiceDeps, 'db'>): Promise<OfficeSummary[]> {
  return deps.db.selectFrom('offices').select(['id', 'name', 'address']).orderBy('name').execute();
}

/**
 * Offices change rarely and are read on every filing: they are kept in memory for a moment.
 * A change made in this process is seen at once; one made by another node within OFFICE_TTL_MS.
 */
const OFFICE_TTL_MS = 2000;
const officeCache = new WeakMap<object, Map<string, { office: Office; until: number }>>();

function cacheOf(db: object): Map<string, { office: Office; until: number }> {
  let cache = officeCache.get(db);
  if (!cache) officeCache.set(db, (cache = new Map()));
  return cache;
}

/** The office with its boxes, addresses elsewhere and policy; 404 when unknown. */
/**
 * The largest size limit of any office: what an upload may reach before the office it goes to
 * is known (and what the verification page accepts, so every accepted filing can be checked).
 */
export async function largestOfficeLimit(deps: Pick<ServiceDeps, 'db'>): Promise<number> {
  const rows = await deps.db.selectFrom('offices').select('policy').execute();
  return Math.max(
    DEFAULT_MAX_SIZE_BYTES,
    ...rows.map((r) => buildPolicy(JSON.parse(r.policy) as StoredPolicy).maxSizeBytes),
  );
}

export async function getOffice(deps: Pick<ServiceDeps, 'db'>, officeId: string): Promise<Office> {
  const cache = cacheOf(deps.db);
  const hit = cache.get(officeId);
  if (hit && hit.until > Date.now()) return hit.office;
  const office = await loadOffice(deps, officeId);
  cache.set(officeId, { office, until: Date.now() + OFFICE_TTL_MS });
  return office;
}

async function loadOffice(deps: Pick<ServiceDeps, 'db'>, officeId: string): Promise<Office> {
  const row = await deps.db.selectFrom('offices').selectAll().where('id', '=', officeId).executeTakeFirst();
  if (!row) throw notFound('error.officeNotFound', { officeId });
  const [boxes, external] = await Promise.all([
    deps.db
      .selectFrom('boxes')
      .select(['name', 'title'])
      .where('office_id', '=', officeId)
      .orderBy('position')
      .orderBy('name')
      .execute(),
    deps.db
      .selectFrom('office_external_addresses')
      .select(['platform', 'address'])
      .where('office_id', '=', officeId)
      .orderBy('position')
      .execute(),
  ]);
  return {
    id: row.id,
    name: row.name,
    shortCode: row.short_code,
    address: row.address,
    email: row.email,
    phone: row.phone,
    website: row.website,
    boxes: boxes.map((b) => ({ ...b, address: boxAddress(row.id, b.name) })),
    externalAddresses: external,
    policy: buildPolicy(JSON.parse(row.policy) as StoredPolicy),
  };
}

export interface OfficeInput {
  id: string;
  name: string;
  shortCode: string;
  address: string;
  email?: string;
  phone?: string;
  website?: string;
  boxes: { name: string; title: string }[];
  externalAddresses?: { platform: string; address: string }[];
  policy?: StoredPolicy;
}

/** Creates the office, or updates it to match the input (idempotent; used by `demo`). */
export async function upsertOffice(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  input: OfficeInput,
): Promise<'created' | 'updated'> {
  buildPolicy(input.policy); // rejects unknown format ids before anything is written
  const now = deps.clock.now().toISOString();
  const result = await deps.db.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom('offices')
      .select('id')
      .where('id', '=', input.id)
      .executeTakeFirst();
    const values = {
      name: input.name,
      short_code: input.shortCode,
      address: input.address,
      email: input.email ?? null,
      phone: input.phone ?? null,
      website: input.website ?? null,
      policy: JSON.stringify(input.policy ?? {}),
    };
    if (existing) await tx.updateTable('offices').set(values).where('id', '=', input.id).execute();
    else
      await tx
        .insertInto('offices')
        .values({ id: input.id, ...values, created_at: now })
        .execute();
    for (const [position, box] of input.boxes.entries()) {
      await tx
        .insertInto('boxes')
        .values({ office_id: input.id, name: box.name, title: box.title, created_at: now, position })
        .onConflict((oc) => oc.columns(['office_id', 'name']).doUpdateSet({ title: box.title, position }))
        .execute();
    }
    await tx.deleteFrom('office_external_addresses').where('office_id', '=', input.id).execute();
    const external = input.externalAddresses ?? [];
    if (external.length > 0) {
      await tx
        .insertInto('office_external_addresses')
        .values(external.map((e, position) => ({ office_id: input.id, position, ...e })))
        .execute();
    }
    return existing ? 'updated' : 'created';
  });
  cacheOf(deps.db).delete(input.id);
  return result;
}

/**
 * Whether the 14-day fiction of delivery applies to letters this office sends from now on
 * (domain §9: two readings of the law). Letters already sent keep the reading of their day.
 */
export async function setDeemedDelivery(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock'>,
  input: { actorId: string; officeId: string; deemedDelivery: boolean },
): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('offices')
      .select('policy')
      .where('id', '=', input.officeId)
      // SQLite serialises writers by itself; PostgreSQL needs the row locked.
      .$if(deps.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
    if (!row) throw notFound('error.officeNotFound', { officeId: input.officeId });
    const policy: StoredPolicy = {
      ...(JSON.parse(row.policy) as StoredPolicy),
      deemedDelivery: input.deemedDelivery,
    };
    await tx
      .updateTable('offices')
      .set({ policy: JSON.stringify(policy) })
      .where('id', '=', input.officeId)
      .execute();
    await audit(
      deps,
      {
        action: 'office.deemed-delivery-set',
        actorId: input.actorId,
        subject: input.officeId,
        details: { deemedDelivery: input.deemedDelivery },
      },
      tx,
    );
  });
  cacheOf(deps.db).delete(input.officeId);
}

const OFFICE_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const SHORT_CODE = /^[A-Z0-9][A-Z0-9-]{0,15}$/;
const BOX_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** The largest size limit an admin may set: filings are held in memory while checked. */
export const MAX_OFFICE_LIMIT_MB = 100;

export interface OfficeForm {
  actorId: string;
  /** The office being edited; absent when a new office is created with `newId`. */
  id?: string;
  newId?: unknown;
  name: unknown;
  shortCode: unknown;
  address: unknown;
  /** One box a line: `name: title`, e.g. `skrytka: Elektroniczna Skrzynka Podawcza`. */
  boxes: unknown;
  /** The size limit in MB, as typed. */
  maxSizeMb: unknown;
  formatIds: unknown;
}

/**
 * Creates or changes an office from the platform admin's form: every field checked with a
 * message naming it, the policy's other settings (deemed delivery, archives) kept, boxes that
 * exist kept (letters refer to them), and an audit entry.
 */
export async function saveOffice(deps: ServiceDeps, input: OfficeForm): Promise<string> {
  const errors: FieldError[] = [];
  const id = input.id ?? text(input.newId, 63).toLowerCase();
  if (!input.id && !OFFICE_ID.test(id)) errors.push({ field: 'newId', key: 'admin.error.office.id' });
  const name = text(input.name, OFFICE_LIMITS.name);
  if (!name) errors.push({ field: 'name', key: 'admin.error.office.name' });
  const shortCode = text(input.shortCode, OFFICE_LIMITS.shortCode).toUpperCase();
  if (!SHORT_CODE.test(shortCode)) errors.push({ field: 'shortCode', key: 'admin.error.office.shortCode' });
  const address = text(input.address, OFFICE_LIMITS.address);
  if (!address) errors.push({ field: 'address', key: 'admin.error.office.address' });
  const boxes: { name: string; title: string }[] = [];
  const lines = text(input.boxes, 5000)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  for (const line of lines) {
    const colon = line.indexOf(':');
    const boxName = (colon < 0 ? line : line.slice(0, colon)).trim().toLowerCase();
    const title = (colon < 0 ? '' : line.slice(colon + 1)).trim().slice(0, 200);
    if (!BOX_NAME.test(boxName) || !title || boxes.some((b) => b.name === boxName)) {
      errors.push({ field: 'boxes', key: 'admin.error.office.boxLine', params: { line: line.slice(0, 80) } });
      break;
    }
    boxes.push({ name: boxName, title });
  }
  if (lines.length === 0) errors.push({ field: 'boxes', key: 'admin.error.office.boxes' });
  const sizeText = text(input.maxSizeMb, 10).replace(',', '.');
  const sizeMb = Number(sizeText);
  if (!/^\d+(\.\d+)?$/.test(sizeText) || sizeMb <= 0 || sizeMb > MAX_OFFICE_LIMIT_MB)
    errors.push({ field: 'maxSizeMb', key: 'admin.error.office.size', params: { max: MAX_OFFICE_LIMIT_MB } });
  const rawFormats = Array.isArray(input.formatIds)
    ? input.formatIds
    : input.formatIds
      ? [input.formatIds]
      : [];
  const formatIds = [...new Set(rawFormats.filter((v): v is string => typeof v === 'string'))];
  if (formatIds.length === 0 || formatIds.some((f) => !formatById(f)))
    errors.push({ field: 'formatIds', key: 'admin.error.office.formats' });
  if (errors.length) throw badRequest(errors);

  const existing = await deps.db
    .selectFrom('offices')
    .select(['id', 'policy'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (input.id && !existing) throw notFound('error.officeNotFound', { officeId: id });
  if (!input.id && existing) throw badRequest([{ field: 'newId', key: 'admin.error.office.idTaken' }]);
  const codeOwner = await deps.db
    .selectFrom('offices')
    .select('id')
    .where('short_code', '=', shortCode)
    .where('id', '!=', id)
    .executeTakeFirst();
  if (codeOwner) throw badRequest([{ field: 'shortCode', key: 'admin.error.office.shortCodeTaken' }]);
  const kept = await deps.db.selectFrom('boxes').select('name').where('office_id', '=', id).execute();
  const dropped = kept.find((b) => !boxes.some((box) => box.name === b.name));
  if (dropped)
    throw badRequest([{ field: 'boxes', key: 'admin.error.office.boxKept', params: { box: dropped.name } }]);

  const current = await (input.id ? getOffice(deps, id) : undefined);
  const stored: StoredPolicy = {
    ...(existing ? (JSON.parse(existing.policy) as StoredPolicy) : {}),
    maxSizeBytes: Math.round(sizeMb * 1024 * 1024),
    formatIds,
  };
  await upsertOffice(deps, {
    id,
    name,
    shortCode,
    address,
    ...(current?.email ? { email: current.email } : {}),
    ...(current?.phone ? { phone: current.phone } : {}),
    ...(current?.website ? { website: current.website } : {}),
    boxes,
    externalAddresses: current?.externalAddresses ?? [],
    policy: stored,
  });
  await audit(deps, {
    action: input.id ? 'office.updated' : 'office.created',
    actorId: input.actorId,
    subject: id,
  });
  return id;
}
