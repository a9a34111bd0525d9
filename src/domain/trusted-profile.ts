/**
 * The trusted profile's lifecycle (domain.md §8), as pure functions of the stored record and
 * the current time: lapse and expiry follow from the dates, so no timer is needed.
 */
import { addWarsawYears, termEnd } from './legal-time';

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

/** An application lapses at the end of the 14th Warsaw calendar day after the day it was filed. */
export function pendingUntil(appliedAt: Date): string {
  return termEnd(appliedAt, PENDING_DAYS).toISOString();
}

/** Same Warsaw date and time, `VALIDITY_YEARS` later (29 February falls back to 28 February). */
export function addValidity(from: Date): string {
  return addWarsawYears(from, VALIDITY_YEARS).toISOString();
}

/**
 * An extension starts a new 3-year term on the day it is made: the profile is then valid for
 * exactly 3 years, never more, however early the resident extends it. Only a valid profile may
 * be extended.
 */
export function extendedValidUntil(extendedAt: Date): string {
  return addValidity(extendedAt);
}

export const isStoredStatus = (value: string): value is StoredStatus =>
  ['pending', 'confirmed', 'rejected', 'revoked'].includes(value);

export const IDENTITY_DOCUMENTS = ['id-card', 'passport', 'residence-card'] as const;
export type IdentityDocument = (typeof IDENTITY_DOCUMENTS)[number];
export const isIdentityDocument = (value: unknown): value is IdentityDocument =>
  IDENTITY_DOCUMENTS.includes(value as IdentityDocument);
