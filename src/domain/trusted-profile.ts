/**
 * The trusted profile's lifecycle (domain.md §8), as pure functions of the stored record and
 * the current time: lapse and expiry follow from the dates, so no timer is needed.
 */
export const PENDING_DAYS = 14;
export const VALIDITY_YEARS = 3;

export type StoredStatus = 'pending' | 'confirmed' | 'rejected' | 'revoked';
export type ProfileState = 'pending' | 'lapsed' | 'valid' | 'expired' | 'rejected' | 'revoked';

export interface ProfileDates {
  status: StoredStatus;
  pendingUntil: string;
  validUntil: string | null;
}

export function profileState(profile: ProfileDates, now: Date): ProfileState {
  switch (profile.status) {
    case 'pending':
      return now.toISOString() < profile.pendingUntil ? 'pending' : 'lapsed';
    case 'confirmed':
      return profile.validUntil !== null && now.toISOString() < profile.validUntil ? 'valid' : 'expired';
    default:
      return profile.status;
  }
}

export function pendingUntil(appliedAt: Date): string {
  return new Date(appliedAt.getTime() + PENDING_DAYS * 24 * 3600 * 1000).toISOString();
}

/** Same day and month, `VALIDITY_YEARS` later (29 February falls back to 28 February). */
export function addValidity(from: Date): string {
  const to = new Date(from.getTime());
  to.setUTCFullYear(to.getUTCFullYear() + VALIDITY_YEARS);
  if (to.getUTCDate() !== from.getUTCDate()) to.setUTCDate(0);
  return to.toISOString();
}

/**
 * An extension adds 3 years to the current end of validity (not to today), so extending early
 * loses nothing. Only a valid profile may be extended.
 */
export function extendedValidUntil(validUntil: string): string {
  return addValidity(new Date(validUntil));
}

export const isStoredStatus = (value: string): value is StoredStatus =>
  ['pending', 'confirmed', 'rejected', 'revoked'].includes(value);

export const IDENTITY_DOCUMENTS = ['id-card', 'passport', 'residence-card'] as const;
export type IdentityDocument = (typeof IDENTITY_DOCUMENTS)[number];
export const isIdentityDocument = (value: unknown): value is IdentityDocument =>
  IDENTITY_DOCUMENTS.includes(value as IdentityDocument);
