import type { ServiceDeps } from './deps';

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
  return rows.map((r) => ({ id: r.id, name: r.name, address: r.address, openingHours: r.opening_hours, phone: r.phone }));
}

/** Creates or updates a point by id (idempotent; used by `demo`). */
export async function upsertConfirmationPoint(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  point: ConfirmationPoint,
): Promise<'created' | 'updated'> {
  const values = { name: point.name, address: point.address, opening_hours: point.openingHours, phone: point.phone };
  const existing = await deps.db.selectFrom('confirmation_points').select('id').where('id', '=', point.id).executeTakeFirst();
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
