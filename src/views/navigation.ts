import type { RoleGrant } from '../domain/roles';
import type { MessageKey } from './context';

/** One place in the header: where it is and what it is called. */
export interface Place {
  href: string;
  label: MessageKey;
}

const firstOffice = (roles: readonly RoleGrant[], role: RoleGrant['role']): string | undefined =>
  roles.find((r) => r.role === role && r.officeId)?.officeId ?? undefined;

/**
 * The places each role works in, shown in the header, in the order of that role's day. Every
 * account is a resident; staff roles add their own places after the resident's. An account
 * with staff roles in several offices gets the first office's places (the office start page
 * lists the rest).
 */
export function placesFor(roles: readonly RoleGrant[], officerDesk = true): Place[] {
  const places: Place[] = [
    { href: '/pisma', label: 'layout.nav.letters' },
    { href: '/skrzynka', label: 'inbox.link' },
  ];
  const clerkOffice = firstOffice(roles, 'clerk');
  const adminOffice = firstOffice(roles, 'office-admin');
  const deskOffice = clerkOffice ?? adminOffice;
  if (deskOffice) {
    places.push({ href: `/urzad/${deskOffice}/skrzynka`, label: 'nav.officeBox' });
    places.push({ href: `/urzad/${deskOffice}/skrzynka#dziennik`, label: 'nav.journal' });
  }
  // Without the local trusted-profile register (LOCAL_TRUSTED_PROFILES) there is no desk.
  if (officerDesk && roles.some((r) => r.role === 'confirmation-officer'))
    places.push({ href: '/punkt', label: 'nav.applications' });
  if (adminOffice) {
    places.push(
      { href: `/urzad/${adminOffice}/systemy`, label: 'nav.systems' },
      { href: `/urzad/${adminOffice}/tokeny`, label: 'nav.tokens' },
      { href: `/urzad/${adminOffice}/webhooki`, label: 'nav.webhooks' },
      { href: `/urzad/${adminOffice}/pracownicy`, label: 'nav.staff' },
      { href: `/urzad/${adminOffice}`, label: 'nav.officeHome' },
      { href: `/urzad/${adminOffice}/ustawienia`, label: 'nav.settings' },
    );
  }
  if (roles.some((r) => r.role === 'platform-admin')) {
    places.push(
      { href: '/admin', label: 'nav.admin' },
      { href: '/admin/urzedy', label: 'nav.offices' },
      { href: '/admin/punkty', label: 'nav.points' },
      { href: '/admin/role', label: 'nav.roles' },
    );
  }
  return places;
}

/**
 * Where a person lands after logging in: the main place of the most specific role held.
 * A resident without staff roles lands on the letters he filed.
 */
export function landingPath(roles: readonly RoleGrant[], officerDesk = true): string {
  if (roles.some((r) => r.role === 'platform-admin')) return '/admin';
  const adminOffice = firstOffice(roles, 'office-admin');
  if (adminOffice) return `/urzad/${adminOffice}`;
  const clerkOffice = firstOffice(roles, 'clerk');
  if (clerkOffice) return `/urzad/${clerkOffice}/skrzynka`;
  if (officerDesk && roles.some((r) => r.role === 'confirmation-officer')) return '/punkt';
  return '/pisma';
}
