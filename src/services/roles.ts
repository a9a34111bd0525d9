import { randomUUID } from 'node:crypto';
import { AppError, badRequest, type FieldError } from '../domain/errors';
import type { RoleName } from '../domain/roles';
import type { Tx } from '../ports/database';
import { audit } from './audit';
import { checkEmail, normaliseEmail } from './account-fields';
import type { ServiceDeps } from './deps';

export interface GrantInput {
  actorId: string | null;
  email: unknown;
  role: RoleName;
  officeId?: string | null;
  department?: string | null;
  pointId?: string | null;
}

/** Gives an account a role (idempotent); the audit log records who gave it. */
export async function grantRole(
  deps: ServiceDeps,
  input: GrantInput,
  tx?: Tx,
): Promise<'granted' | 'already'> {
  const email = normaliseEmail(input.email);
  const invalid: FieldError[] = [];
  checkEmail(email, invalid);
  if (invalid.length) throw badRequest(invalid);
  const run = async (t: Tx) => {
    const account = await t.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirst();
    if (!account) throw badRequest([{ field: 'email', key: 'admin.error.noAccount', params: { email } }]);
    const scope = {
      office_id: input.officeId ?? null,
      department: input.department ?? null,
      point_id: input.pointId ?? null,
    };
    let existing = t
      .selectFrom('account_roles')
      .select('id')
      .where('account_id', '=', account.id)
      .where('role', '=', input.role);
    for (const [column, value] of Object.entries(scope) as [keyof typeof scope, string | null][]) {
      existing = value === null ? existing.where(column, 'is', null) : existing.where(column, '=', value);
    }
    if (await existing.executeTakeFirst()) return 'already' as const;
    await t
      .insertInto('account_roles')
      .values({
        id: randomUUID(),
        account_id: account.id,
        role: input.role,
        ...scope,
        created_at: deps.clock.now().toISOString(),
      })
      .execute();
    await audit(
      deps,
      {
        action: 'role.granted',
        actorId: input.actorId,
        subject: account.id,
        details: {
          role: input.role,
          officeId: scope.office_id,
          department: scope.department,
          pointId: scope.point_id,
        },
      },
      t,
    );
    return 'granted' as const;
  };
  return tx ? run(tx) : deps.db.transaction().execute(run);
}

export async function revokeRole(
  deps: ServiceDeps,
  input: { actorId: string; roleId: string },
): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('account_roles')
      .selectAll()
      .where('id', '=', input.roleId)
      .executeTakeFirst();
    if (!row) throw new AppError({ code: 'not_found', status: 404, key: 'error.notFound.title' });
    await tx.deleteFrom('account_roles').where('id', '=', input.roleId).execute();
    await audit(
      deps,
      {
        action: 'role.revoked',
        actorId: input.actorId,
        subject: row.account_id,
        details: {
          role: row.role,
          officeId: row.office_id,
          department: row.department,
          pointId: row.point_id,
        },
      },
      tx,
    );
  });
}

/** Every staff role held, by e-mail: what platform admins review. */
export async function listStaffRoles(deps: Pick<ServiceDeps, 'db'>) {
  const rows = await deps.db
    .selectFrom('account_roles')
    .innerJoin('accounts', 'accounts.id', 'account_roles.account_id')
    .select([
      'account_roles.id',
      'accounts.email',
      'account_roles.role',
      'account_roles.office_id',
      'account_roles.department',
      'account_roles.point_id',
      'accounts.totp_enabled_at',
    ])
    .orderBy('accounts.email')
    .orderBy('account_roles.role')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role,
    officeId: r.office_id,
    department: r.department,
    pointId: r.point_id,
    /** Without it the roles are held but not in force (docs/security.md). */
    secondFactor: r.totp_enabled_at !== null,
  }));
}
