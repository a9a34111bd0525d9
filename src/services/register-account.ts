import { randomUUID } from 'node:crypto';
import { badRequest, type FieldError } from '../domain/errors';
import { audit } from './audit';
import {
  ACCOUNT_LIMITS,
  checkEmail,
  checkNewPassword,
  normaliseEmail,
  rawPassword,
  text,
} from './account-fields';
import type { ServiceDeps } from './deps';
import { hashPassword } from './passwords';
import { issueAccountToken, revokeAccountTokens } from './account-tokens';
import { accountMail } from './account-mail';

export const VERIFY_EMAIL_HOURS = 24;

export interface RegistrationInput {
  email: unknown;
  password: unknown;
  passwordConfirm: unknown;
  displayName: unknown;
  terms: unknown;
}

/**
 * Creates an unverified account and mails a single-use verification link. Registering an
 * address that already has an account answers the same way (no one learns which addresses
 * exist); the owner of that address gets a note instead of a link.
 */
export async function registerAccount(deps: ServiceDeps, input: RegistrationInput): Promise<void> {
  const email = normaliseEmail(input.email);
  const password = rawPassword(input.password);
  const displayName = text(input.displayName, ACCOUNT_LIMITS.displayName);
  const errors: FieldError[] = [];
  if (!displayName) errors.push({ field: 'displayName', key: 'accounts.error.name.missing' });
  checkEmail(email, errors);
  checkNewPassword(password, rawPassword(input.passwordConfirm), errors);
  if (input.terms !== 'yes') errors.push({ field: 'terms', key: 'accounts.error.terms' });
  if (errors.length) throw badRequest(errors, 'accounts.error.registration');

  const existing = await deps.db
    .selectFrom('accounts')
    .select(['id', 'email_verified_at'])
    .where('email', '=', email)
    .executeTakeFirst();
  if (existing && !existing.email_verified_at) {
    // Registering again before confirming (the link expired, or someone else registered the
    // address first): the newest registration's password and name replace the old ones, older
    // links stop working and any session ends, so only the owner who confirms gets in.
    const passwordHash = await hashPassword(password);
    const token = await deps.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('accounts')
        .set({
          password_hash: passwordHash,
          display_name: displayName,
          terms_accepted_at: deps.clock.now().toISOString(),
          totp_secret: null,
          totp_enabled_at: null,
        })
        .where('id', '=', existing.id)
        .where('email_verified_at', 'is', null)
        .execute();
      await revokeAccountTokens(deps, tx, existing.id, 'verify-email');
      await tx.deleteFrom('sessions').where('account_id', '=', existing.id).execute();
      await audit(deps, { action: 'account.re-registered', actorId: null, subject: existing.id }, tx);
      return issueAccountToken(deps, tx, existing.id, 'verify-email', VERIFY_EMAIL_HOURS * 3600 * 1000);
    });
    await sendVerification(deps, email, token);
    return;
  }
  if (existing) {
    await deps.mailer.send({
      to: email,
      ...accountMail('registrationAttempt', (lang) => ({
        login: `${deps.config.publicUrl}/logowanie${lang === 'en' ? '?lang=en' : ''}`,
        reset: `${deps.config.publicUrl}/reset-hasla${lang === 'en' ? '?lang=en' : ''}`,
      })),
    });
    // Same work as a new registration, so the answer time does not tell either.
    await hashPassword(password);
    return;
  }

  const now = deps.clock.now().toISOString();
  const id = randomUUID();
  const passwordHash = await hashPassword(password);
  const token = await deps.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('accounts')
      .values({
        id,
        email,
        password_hash: passwordHash,
        display_name: displayName,
        email_verified_at: null,
        terms_accepted_at: now,
        totp_secret: null,
        totp_enabled_at: null,
        totp_last_step: null,
        locked_until: null,
        created_at: now,
      })
      .execute();
    await audit(deps, { action: 'account.registered', actorId: id, subject: id }, tx);
    return issueAccountToken(deps, tx, id, 'verify-email', VERIFY_EMAIL_HOURS * 3600 * 1000);
  });
  await sendVerification(deps, email, token);
}

async function sendVerification(deps: ServiceDeps, email: string, token: string): Promise<void> {
  await deps.mailer.send({
    to: email,
    ...accountMail('verify', (lang) => ({
      hours: VERIFY_EMAIL_HOURS,
      link: `${deps.config.publicUrl}/rejestracja/potwierdz?token=${token}${lang === 'en' ? '&lang=en' : ''}`,
    })),
  });
}
