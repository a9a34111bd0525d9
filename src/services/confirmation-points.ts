import { badRequest, notFound, type FieldError } from '../domain/errors';
import { text } from './account-fields';
import { audit } from './audit';
import type { ServiceDeps } from './deps';

/** Length limits of a point's fields; forms show them (maxlength and a hint). */
export const POINT_LIMITS = { name: 200, address: 300, openingHours: 300, phone: 30 } as const;

export interface ConfirmationPoint {
  id: string;
  name: string;
  address: string;
  openingHours: string;
  phone: string | null;
}

/** Points that are not retired, by name: what the portal lists. */
export async function listConfirmationPoints(deps: Pick<ServiceDeps, 'db'>): Promise<ConfirmationPoint[]> {
  const rows = await deps.db
    .selectFrom('confirmation_points')
    .select(['id', 'name', 'address', 'opening_hours', 'phone'])
    .where('retired_at', 'is', null)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    address: r.address,
    openingHours: r.opening_hours,
    phone: r.phone,
  }));
}

/** Creates or updates a point by id (idempotent; used by `demo`). */
export async function upsertConfirmationPoint(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  point: ConfirmationPoint,
): Promise<'created' | 'updated'> {
  const values = {
    name: point.name,
    address: point.address,
    opening_hours: point.openingHours,
    phone: point.phone,
  };
  const existing = await deps.db
    .selectFrom('confirmation_points')
    .select('id')
    .where('id', '=', point.id)
    .executeTakeFirst();
  if (existing) {
    await deps.db.updateTable('confirmation_points').set(values).where('id', '=', point.id).execute();
    return 'updated';
  }
  await deps.db
    .insertInto('confirmation_points')
    .values({ id: point.id, ...values, retired_at: null, created_at: deps.clock.now().toISOString() })
    .execute();
  return 'created';
}

export interface ManagedPoint extends ConfirmationPoint {
  retiredAt: string | null;
  officers: { roleId: string; email: string; displayName: string }[];
}

/** Every point, retired ones too, with their officers: what platform admins manage. */
export async function listManagedPoints(deps: Pick<ServiceDeps, 'db'>): Promise<ManagedPoint[]> {
  const rows = await deps.db
    .selectFrom('confirmation_points')
    .selectAll()
    .orderBy('retired_at', 'desc')
    .orderBy('name')
    .execute();
  const officers = await deps.db
    .selectFrom('account_roles')
    .innerJoin('accounts', 'accounts.id', 'account_roles.account_id')
    .select(['account_roles.id', 'account_roles.point_id', 'accounts.email', 'accounts.display_name'])
    .where('account_roles.role', '=', 'confirmation-officer')
    .orderBy('accounts.email')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    address: r.address,
    openingHours: r.opening_hours,
    phone: r.phone,
    retiredAt: r.retired_at,
    officers: officers
      .filter((o) => o.point_id === r.id)
      .map((o) => ({ roleId: o.id, email: o.email, displayName: o.display_name })),
  }));
}

export async function getManagedPoint(deps: Pick<ServiceDeps, 'db'>, id: string): Promise<ManagedPoint> {
  const point = (await listManagedPoints(deps)).find((p) => p.id === id);
  if (!point) throw notFound();
  return point;
}

const POINT_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const PHONE = /^\+?[0-9][0-9 ()-]{7,18}[0-9]$/;

/** Adds a point (with `id`) or edits one; every field is checked. */
export async function savePoint(
  deps: ServiceDeps,
  input: {
    actorId: string;
    id?: string;
    newId?: unknown;
    name: unknown;
    address: unknown;
    openingHours: unknown;
    phone: unknown;
  },
): Promise<string> {
  const errors: FieldError[] = [];
  const id = input.id ?? text(input.newId, 63).toLowerCase();
  if (!input.id && !POINT_ID.test(id)) errors.push({ field: 'newId', key: 'admin.error.point.id' });
  const name = text(input.name, POINT_LIMITS.name);
  const address = text(input.address, POINT_LIMITS.address);
  const openingHours = text(input.openingHours, POINT_LIMITS.openingHours);
  const phone = text(input.phone, POINT_LIMITS.phone);
  if (!name) errors.push({ field: 'name', key: 'admin.error.point.name' });
  if (!address) errors.push({ field: 'address', key: 'admin.error.point.address' });
  if (!openingHours) errors.push({ field: 'openingHours', key: 'admin.error.point.hours' });
  if (phone && !PHONE.test(phone)) errors.push({ field: 'phone', key: 'profile.error.phone.format' });
  if (errors.length) throw badRequest(errors);
  const exists = await deps.db
    .selectFrom('confirmation_points')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (input.id && !exists) throw notFound();
  if (!input.id && exists) throw badRequest([{ field: 'newId', key: 'admin.error.point.idTaken' }]);
  await deps.db.transaction().execute(async (tx) => {
    const values = { name, address, opening_hours: openingHours, phone: phone || null };
    if (input.id) await tx.updateTable('confirmation_points').set(values).where('id', '=', id).execute();
    else
      await tx
        .insertInto('confirmation_points')
        .values({ id, ...values, retired_at: null, created_at: deps.clock.now().toISOString() })
        .execute();
    await audit(
      deps,
      { action: input.id ? 'point.updated' : 'point.created', actorId: input.actorId, subject: id },
      tx,
    );
  });
  return id;
}

/** A retired point leaves the public list; its history (confirmations made there) stays. */
export async function retirePoint(deps: ServiceDeps, input: { actorId: string; id: string }): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('confirmation_points')
      .set({ retired_at: deps.clock.now().toISOString() })
      .where('id', '=', input.id)
      .where('retired_at', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw notFound();
    await audit(deps, { action: 'point.retired', actorId: input.actorId, subject: input.id }, tx);
  });
}
