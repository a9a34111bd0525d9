import { randomInt } from 'node:crypto';
import { AppError, badRequest, notFound, type FieldError } from '../domain/errors';
import { maskPesel, validatePesel } from '../domain/pesel';
import { hasRole, type Principal } from '../domain/roles';
import {
  addValidity,
  extendedValidUntil,
  isIdentityDocument,
  pendingUntil,
  profileState,
  type ProfileState,
  type StoredStatus,
} from '../domain/trusted-profile';
import type { TrustedProfilesTable } from '../ports/database';
import { audit } from './audit';
import { checkEmail, normaliseEmail, text } from './account-fields';
import type { ServiceDeps } from './deps';
import { confirmFresh } from './fresh-confirmation';

/** Length limits of an application's fields and of a reason; forms show them (maxlength and a hint). */
export const PROFILE_LIMITS = { firstNames: 100, surname: 100, phone: 30, reason: 500 } as const;

export interface TrustedProfile {
  id: string;
  accountId: string;
  firstNames: string;
  surname: string;
  pesel: string;
  birthDate: string;
  email: string;
  phone: string;
  state: ProfileState;
  appliedAt: string;
  pendingUntil: string;
  decidedAt: string | null;
  pointId: string | null;
  pointName: string | null;
  documentType: string | null;
  rejectionReason: string | null;
  validUntil: string | null;
  revokedAt: string | null;
}

function toProfile(row: TrustedProfilesTable & { point_name?: string | null }, now: Date): TrustedProfile {
  return {
    id: row.id,
    accountId: row.account_id,
    firstNames: row.first_names,
    surname: row.surname,
    pesel: row.pesel,
    birthDate: row.birth_date,
    email: row.email,
    phone: row.phone,
    state: profileState(
      { status: row.status as StoredStatus, pendingUntil: row.pending_until, validUntil: row.valid_until },
      now,
    ),
    appliedAt: row.applied_at,
    pendingUntil: row.pending_until,
    decidedAt: row.decided_at,
    pointId: row.point_id,
    pointName: row.point_name ?? null,
    documentType: row.document_type,
    rejectionReason: row.rejection_reason,
    validUntil: row.valid_until,
    revokedAt: row.revoked_at,
  };
}

const NUMBER_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const newApplicationNumber = (): string => {
  const part = () =>
    Array.from({ length: 4 }, () => NUMBER_ALPHABET[randomInt(NUMBER_ALPHABET.length)]).join('');
  return `PZ-${part()}-${part()}`;
};
const APPLICATION_NUMBER = /^PZ-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;
/** Numbers as issued, and the demo data's fixed one. */
const PROFILE_NUMBER = /^PZ-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

const NAME = /^[\p{L}][\p{L}' .-]*$/u;
const PHONE = /^\+?[0-9][0-9 ()-]{7,18}[0-9]$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface ApplicationInput {
  firstNames: unknown;
  surname: unknown;
  pesel: unknown;
  birthDate: unknown;
  email: unknown;
  phone: unknown;
}

function isRealDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Profiles of an account, newest first. */
async function profilesOf(deps: Pick<ServiceDeps, 'db'>, accountId: string) {
  return deps.db
    .selectFrom('trusted_profiles')
    .leftJoin('confirmation_points', 'confirmation_points.id', 'trusted_profiles.point_id')
    .selectAll('trusted_profiles')
    .select('confirmation_points.name as point_name')
    .where('trusted_profiles.account_id', '=', accountId)
    .orderBy('trusted_profiles.applied_at', 'desc')
    .execute();
}

/** The account's newest profile or application in the local register, if any. */
async function latestProfile(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  accountId: string,
): Promise<TrustedProfile | undefined> {
  const [row] = await profilesOf(deps, accountId);
  return row ? toProfile(row, deps.clock.now()) : undefined;
}

/**
 * The account's current profile or application (the newest), if any. With the local register
 * off, no local profile counts for anything: no signing step, no identity taken from it.
 */
export async function currentProfile(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'config'>,
  accountId: string,
): Promise<TrustedProfile | undefined> {
  return deps.config.localTrustedProfiles ? latestProfile(deps, accountId) : undefined;
}

const LIVE: ProfileState[] = ['pending', 'valid'];

/**
 * A resident applies for a trusted profile. Every field is checked and each kind of PESEL
 * mistake has its own message; nothing is stored unless all is right.
 */
export async function applyForProfile(
  deps: ServiceDeps,
  input: { accountId: string } & ApplicationInput,
): Promise<TrustedProfile> {
  const firstNames = text(input.firstNames, PROFILE_LIMITS.firstNames).replace(/\s+/g, ' ');
  const surname = text(input.surname, PROFILE_LIMITS.surname).replace(/\s+/g, ' ');
  const pesel = text(input.pesel, 20);
  const birthDate = text(input.birthDate, 10);
  const email = normaliseEmail(input.email);
  const phone = text(input.phone, PROFILE_LIMITS.phone);
  const errors: FieldError[] = [];
  if (!firstNames) errors.push({ field: 'firstNames', key: 'profile.error.firstNames.missing' });
  else if (!NAME.test(firstNames))
    errors.push({ field: 'firstNames', key: 'profile.error.firstNames.format' });
  if (!surname) errors.push({ field: 'surname', key: 'profile.error.surname.missing' });
  else if (!NAME.test(surname)) errors.push({ field: 'surname', key: 'profile.error.surname.format' });
  const birthDateOk = isRealDate(birthDate) && birthDate <= deps.clock.now().toISOString().slice(0, 10);
  if (!birthDate) errors.push({ field: 'birthDate', key: 'profile.error.birthDate.missing' });
  else if (!birthDateOk) errors.push({ field: 'birthDate', key: 'profile.error.birthDate.format' });
  if (!pesel) errors.push({ field: 'pesel', key: 'pesel.error.missing' });
  else {
    const result = validatePesel(pesel, birthDateOk ? birthDate : undefined);
    if (!result.ok) errors.push({ field: 'pesel', key: result.key });
  }
  checkEmail(email, errors);
  if (!phone) errors.push({ field: 'phone', key: 'profile.error.phone.missing' });
  else if (!PHONE.test(phone)) errors.push({ field: 'phone', key: 'profile.error.phone.format' });
  if (errors.length) throw badRequest(errors, 'profile.error.application');

  const now = deps.clock.now();
  const existing = await latestProfile(deps, input.accountId);
  if (existing && LIVE.includes(existing.state))
    throw new AppError({ code: 'profile_exists', status: 409, key: 'profile.error.exists' });
  // Whether another account holds or asks for this PESEL is not checked here: the answer would
  // tell anyone whether a PESEL has a profile, and a pending application would block its owner.
  // The officer resolves it at the desk, with the person and the document (confirmProfile).

  const id = newApplicationNumber();
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('trusted_profiles')
      .values({
        id,
        account_id: input.accountId,
        first_names: firstNames,
        surname,
        pesel,
        birth_date: birthDate,
        email,
        phone,
        status: 'pending',
        applied_at: now.toISOString(),
        pending_until: pendingUntil(now),
        decided_at: null,
        officer_id: null,
        point_id: null,
        document_type: null,
        rejection_reason: null,
        valid_until: null,
        extended_at: null,
        revoked_at: null,
        revocation_reason: null,
      })
      .execute();
    await audit(
      deps,
      {
        action: 'profile.applied',
        actorId: input.accountId,
        subject: id,
        details: { pesel: maskPesel(pesel) },
      },
      tx,
    );
  });
  return (await latestProfile(deps, input.accountId))!;
}

/** Pending applications by application number or PESEL: what an officer looks up at the desk. */
export async function findApplications(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  query: unknown,
): Promise<{ query: string; results: TrustedProfile[]; invalid: boolean }> {
  const q = text(query, 40).toUpperCase().replace(/\s/g, '');
  if (!q) return { query: q, results: [], invalid: false };
  const byNumber = APPLICATION_NUMBER.test(q);
  const byPesel = /^\d{11}$/.test(q);
  if (!byNumber && !byPesel) return { query: q, results: [], invalid: true };
  const now = deps.clock.now();
  const rows = await deps.db
    .selectFrom('trusted_profiles')
    .selectAll()
    .where(byNumber ? 'id' : 'pesel', '=', q)
    .where('status', '=', 'pending')
    .orderBy('applied_at', 'desc')
    .execute();
  return {
    query: q,
    results: rows.map((r) => toProfile(r, now)).filter((p) => p.state === 'pending'),
    invalid: false,
  };
}

export async function getApplication(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  id: string,
): Promise<TrustedProfile> {
  const row = PROFILE_NUMBER.test(id)
    ? await deps.db.selectFrom('trusted_profiles').selectAll().where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!row) throw notFound('profile.error.notFound');
  return toProfile(row, deps.clock.now());
}

function requireOfficerAt(officer: Principal, pointId: unknown): string {
  if (typeof pointId !== 'string' || !pointId)
    throw badRequest([{ field: 'pointId', key: 'officer.error.point.missing' }]);
  if (!hasRole(officer, 'confirmation-officer', { pointId }))
    throw new AppError({ code: 'wrong_point', status: 403, key: 'officer.error.point.notYours' });
  return pointId;
}

async function requirePending(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  id: string,
  officer: Principal,
): Promise<TrustedProfile> {
  const profile = await getApplication(deps, id);
  await refuseOwnCase(deps, officer, profile);
  if (profile.state !== 'pending')
    throw new AppError({
      code: 'not_pending',
      status: 409,
      key: profile.state === 'lapsed' ? 'officer.error.lapsed' : 'officer.error.notPending',
    });
  return profile;
}

/**
 * Separation of duties: an officer never decides an application of his own account, nor one
 * for the PESEL of a profile he holds (a second account of his).
 */
async function refuseOwnCase(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  officer: Principal,
  profile: TrustedProfile,
): Promise<void> {
  const own =
    profile.accountId === officer.accountId ||
    (await deps.db
      .selectFrom('trusted_profiles')
      .select('id')
      .where('account_id', '=', officer.accountId)
      .where('pesel', '=', profile.pesel)
      .executeTakeFirst()) !== undefined;
  if (own) throw new AppError({ code: 'own_case', status: 403, key: 'officer.error.ownCase' });
}

/** An officer confirms identity after checking a document: the profile is valid 3 years. */
export async function confirmProfile(
  deps: ServiceDeps,
  input: { officer: Principal; applicationId: string; pointId: unknown; documentType: unknown },
): Promise<TrustedProfile> {
  const pointId = requireOfficerAt(input.officer, input.pointId);
  if (!isIdentityDocument(input.documentType))
    throw badRequest([{ field: 'documentType', key: 'officer.error.document' }]);
  const documentType = input.documentType;
  const application = await requirePending(deps, input.applicationId, input.officer);
  const now = deps.clock.now();
  // One valid profile per PESEL: a second application is a conflict for the desk to resolve.
  const others = await deps.db
    .selectFrom('trusted_profiles')
    .selectAll()
    .where('pesel', '=', application.pesel)
    .where('id', '!=', application.id)
    .execute();
  if (others.some((r) => toProfile(r, now).state === 'valid'))
    throw new AppError({
      code: 'pesel_conflict',
      status: 409,
      key: 'officer.error.peselConflict',
      fieldErrors: [{ field: 'documentType', key: 'officer.error.peselConflict' }],
    });
  const validUntil = addValidity(now);
  await deps.db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('trusted_profiles')
      .set({
        status: 'confirmed',
        decided_at: now.toISOString(),
        officer_id: input.officer.accountId,
        point_id: pointId,
        document_type: documentType,
        valid_until: validUntil,
      })
      .where('id', '=', input.applicationId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      throw new AppError({ code: 'not_pending', status: 409, key: 'officer.error.notPending' });
    await audit(
      deps,
      {
        action: 'profile.confirmed',
        actorId: input.officer.accountId,
        subject: input.applicationId,
        details: { pointId, documentType, validUntil },
      },
      tx,
    );
  });
  return getApplication(deps, input.applicationId);
}

export async function rejectProfile(
  deps: ServiceDeps,
  input: { officer: Principal; applicationId: string; pointId: unknown; reason: unknown },
): Promise<TrustedProfile> {
  const pointId = requireOfficerAt(input.officer, input.pointId);
  const reason = text(input.reason, PROFILE_LIMITS.reason);
  if (!reason) throw badRequest([{ field: 'reason', key: 'officer.error.reason' }]);
  await requirePending(deps, input.applicationId, input.officer);
  const now = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('trusted_profiles')
      .set({
        status: 'rejected',
        decided_at: now,
        officer_id: input.officer.accountId,
        point_id: pointId,
        rejection_reason: reason,
      })
      .where('id', '=', input.applicationId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      throw new AppError({ code: 'not_pending', status: 409, key: 'officer.error.notPending' });
    await audit(
      deps,
      {
        action: 'profile.rejected',
        actorId: input.officer.accountId,
        subject: input.applicationId,
        details: { pointId, reason },
      },
      tx,
    );
  });
  return getApplication(deps, input.applicationId);
}

/** Extends a valid profile by 3 years after a fresh confirmation of the resident. */
export async function extendProfile(
  deps: ServiceDeps,
  input: { accountId: string; challengeId: unknown; code: unknown },
): Promise<TrustedProfile> {
  const profile = await latestProfile(deps, input.accountId);
  if (!profile || profile.state !== 'valid' || !profile.validUntil)
    throw new AppError({ code: 'not_valid', status: 409, key: 'profile.error.notValid' });
  await confirmFresh(deps, {
    accountId: input.accountId,
    challengeId: input.challengeId,
    code: input.code,
    purpose: 'profile-extension',
  });
  const extendedAt = deps.clock.now();
  const validUntil = extendedValidUntil(extendedAt);
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('trusted_profiles')
      .set({ valid_until: validUntil, extended_at: extendedAt.toISOString() })
      .where('id', '=', profile.id)
      .execute();
    await audit(
      deps,
      { action: 'profile.extended', actorId: input.accountId, subject: profile.id, details: { validUntil } },
      tx,
    );
  });
  return (await latestProfile(deps, input.accountId))!;
}

/** The resident revokes their own valid profile, or a platform admin revokes any. */
export async function revokeProfile(
  deps: ServiceDeps,
  input: { actor: Principal; profileId: string; reason: unknown },
): Promise<void> {
  const profile = await getApplication(deps, input.profileId).catch(() => undefined);
  const own = profile?.accountId === input.actor.accountId;
  if (!profile || (!own && !hasRole(input.actor, 'platform-admin'))) throw notFound('profile.error.notFound');
  if (profile.state !== 'valid')
    throw new AppError({ code: 'not_valid', status: 409, key: 'profile.error.notValid' });
  const reason = text(input.reason, PROFILE_LIMITS.reason) || (own ? 'revoked by the holder' : '');
  if (!reason) throw badRequest([{ field: 'reason', key: 'officer.error.reason' }]);
  const now = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('trusted_profiles')
      .set({ status: 'revoked', revoked_at: now, revocation_reason: reason })
      .where('id', '=', profile.id)
      .where('status', '=', 'confirmed')
      .execute();
    await audit(
      deps,
      { action: 'profile.revoked', actorId: input.actor.accountId, subject: profile.id, details: { reason } },
      tx,
    );
  });
}
