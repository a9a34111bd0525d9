import type { ServiceDeps } from './deps';

/**
 * Leases in the shared database: at most one holder of a name at a time, until the lease
 * expires or is released. Used for singleton periodic work (signing checkpoints, pruning);
 * see docs/scaling.md. Expiry is judged by the clock of the node acquiring, so nodes' clocks
 * must agree to well within the lease time (NTP).
 */

/**
 * Takes the lease `name` for `holder` for `ttlMs`, or renews it when `holder` has it already.
 * One atomic statement: true when `holder` holds the lease afterwards.
 */
export async function acquireLease(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  name: string,
  holder: string,
  ttlMs: number,
): Promise<boolean> {
  const now = deps.clock.now();
  const row = await deps.db
    .insertInto('leases')
    .values({ name, holder, expires_at: new Date(now.getTime() + ttlMs).toISOString() })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet((eb) => ({
          holder: eb.ref('excluded.holder'),
          expires_at: eb.ref('excluded.expires_at'),
        }))
        .where((eb) =>
          eb.or([eb('leases.holder', '=', holder), eb('leases.expires_at', '<=', now.toISOString())]),
        ),
    )
    .returning('holder')
    .executeTakeFirst();
  return row?.holder === holder;
}

/** Gives the lease up (a node shutting down), so another node takes it at once. */
export async function releaseLease(
  deps: Pick<ServiceDeps, 'db'>,
  name: string,
  holder: string,
): Promise<void> {
  await deps.db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
}

/** Who holds the lease now, if anyone (tests, diagnostics). */
export async function leaseHolder(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  name: string,
): Promise<string | undefined> {
  const row = await deps.db
    .selectFrom('leases')
    .select('holder')
    .where('name', '=', name)
    .where('expires_at', '>', deps.clock.now().toISOString())
    .executeTakeFirst();
  return row?.holder;
}
