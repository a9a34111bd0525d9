/**
 * Roles (domain.md §3). Every account is a resident; the staff roles are rows in
 * `account_roles`, each scoped to an office (and optionally a department) or a confirmation point.
 */
export const ROLE_NAMES = ['clerk', 'confirmation-officer', 'office-admin', 'platform-admin'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];
export const isRoleName = (value: unknown): value is RoleName => ROLE_NAMES.includes(value as RoleName);

export interface RoleGrant {
  role: RoleName;
  officeId: string | null;
  department: string | null;
  pointId: string | null;
}

/** The person behind a request: what every authorisation decision looks at. */
export interface Principal {
  accountId: string;
  displayName: string;
  email: string;
  roles: RoleGrant[];
  /**
   * Staff roles held but not in force: the account has no second factor set up, or came through
   * login.gov.pl without giving it.
   */
  staffRolesWithheld?: true;
}

export function hasRole(
  principal: Principal,
  role: RoleName,
  scope: { officeId?: string; pointId?: string } = {},
): boolean {
  return principal.roles.some(
    (g) =>
      g.role === role &&
      (scope.officeId === undefined || g.officeId === scope.officeId) &&
      (scope.pointId === undefined || g.pointId === scope.pointId),
  );
}
