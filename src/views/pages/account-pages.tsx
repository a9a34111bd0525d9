import { ACCOUNT_LIMITS } from '../../services/account-fields';
import type { FieldError } from '../../domain/errors';
import type { RoleGrant } from '../../domain/roles';
import {
  Button,
  Checkbox,
  ErrorSummary,
  Form,
  Heading,
  InsetText,
  NotificationBanner,
  Panel,
  SummaryList,
  TextField,
} from '../components';
import type { MessageKey, ViewContext } from '../context';
import { Layout } from '../layout';

export type LoginNotice = 'verified' | 'reset' | 'loggedOut' | 'expired';

export function LoginPage({
  ctx,
  email,
  errors = [],
  returnTo,
  notice,
  nationalLogin,
}: {
  ctx: ViewContext;
  email?: string;
  errors?: FieldError[];
  returnTo?: string;
  notice?: LoginNotice | undefined;
  nationalLogin?: boolean;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('login.title')}>
      {notice ? (
        <NotificationBanner title={t('notice.title')} success={notice !== 'expired'}>
          <p class="govuk-notification-banner__heading">{t(`login.notice.${notice}` as MessageKey)}</p>
        </NotificationBanner>
      ) : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading>{t('login.title')}</Heading>
      {nationalLogin ? (
        <Form ctx={ctx} action="/login-gov-pl/start">
          <h2 class="govuk-heading-m">{t('national.login.heading')}</h2>
          <p class="govuk-body">{t('national.login.text')}</p>
          {returnTo ? <input type="hidden" name="returnTo" value={returnTo} /> : null}
          <Button>{t('national.login.button')}</Button>
        </Form>
      ) : null}
      <Form ctx={ctx} action="/logowanie">
        {returnTo ? <input type="hidden" name="returnTo" value={returnTo} /> : null}
        <TextField
          ctx={ctx}
          name="email"
          type="email"
          label={t('field.email')}
          value={email}
          autocomplete="username"
          errors={errors}
        />
        <TextField
          ctx={ctx}
          name="password"
          type="password"
          label={t('field.password')}
          autocomplete="current-password"
          errors={errors}
        />
        <Button>{t('login.submit')}</Button>
      </Form>
      <p class="govuk-body">
        <a class="govuk-link" href="/reset-hasla">
          {t('login.forgot')}
        </a>
      </p>
      <p class="govuk-body">
        {t('login.noAccount')}{' '}
        <a class="govuk-link" href="/rejestracja">
          {t('register.title')}
        </a>
      </p>
    </Layout>
  );
}

export function SecondFactorPage({
  ctx,
  errors = [],
  returnTo,
}: {
  ctx: ViewContext;
  errors?: FieldError[];
  /** Where the login was going (a kept form, a page asked for before login). */
  returnTo?: string;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('login.code.title')}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading>{t('login.code.title')}</Heading>
      <p class="govuk-body">{t('login.code.text')}</p>
      <Form ctx={ctx} action="/logowanie/kod">
        {returnTo ? <input type="hidden" name="returnTo" value={returnTo} /> : null}
        <TextField
          ctx={ctx}
          name="code"
          label={t('field.code')}
          hint={t('login.code.hint')}
          autocomplete="one-time-code"
          errors={errors}
          width={10}
        />
        <Button>{t('login.code.submit')}</Button>
      </Form>
    </Layout>
  );
}

export interface RegisterValues {
  displayName?: string;
  email?: string;
  terms?: boolean;
}

export function RegisterPage({
  ctx,
  values = {},
  errors = [],
}: {
  ctx: ViewContext;
  values?: RegisterValues;
  errors?: FieldError[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('register.title')}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading>{t('register.title')}</Heading>
      <p class="govuk-body">{t('register.lead')}</p>
      <Form ctx={ctx} action="/rejestracja">
        <TextField
          ctx={ctx}
          name="displayName"
          label={t('field.displayName')}
          maxLength={ACCOUNT_LIMITS.displayName}
          value={values.displayName}
          autocomplete="name"
          errors={errors}
        />
        <TextField
          ctx={ctx}
          name="email"
          type="email"
          label={t('field.email')}
          hint={t('register.email.hint')}
          maxLength={ACCOUNT_LIMITS.email}
          value={values.email}
          autocomplete="email"
          errors={errors}
        />
        <TextField
          ctx={ctx}
          name="password"
          type="password"
          label={t('field.newPassword')}
          hint={t('password.hint')}
          autocomplete="new-password"
          errors={errors}
        />
        <TextField
          ctx={ctx}
          name="passwordConfirm"
          type="password"
          label={t('field.passwordConfirm')}
          autocomplete="new-password"
          errors={errors}
        />
        <Checkbox
          ctx={ctx}
          name="terms"
          label={t('register.terms')}
          checked={values.terms}
          errors={errors}
          hint={
            <>
              {t('register.terms.read')}{' '}
              <a class="govuk-link" href="/regulamin">
                {t('register.terms.link')}
              </a>
              {' · '}
              <a class="govuk-link" href="/ochrona-danych">
                {t('register.privacy.link')}
              </a>
            </>
          }
        />
        <Button>{t('register.submit')}</Button>
      </Form>
    </Layout>
  );
}

export function MessagePage({
  ctx,
  title,
  text,
  link,
}: {
  ctx: ViewContext;
  title: MessageKey;
  text: MessageKey;
  link?: { href: string; label: MessageKey };
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t(title)}>
      <Heading>{t(title)}</Heading>
      <p class="govuk-body">{t(text)}</p>
      {link ? (
        <p class="govuk-body">
          <a class="govuk-link" href={link.href}>
            {t(link.label)}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

/** The page behind a verification link: a button (POST), so mail scanners that follow links spend nothing. */
export function VerifyEmailPage({
  ctx,
  token,
  usable,
}: {
  ctx: ViewContext;
  token: string;
  usable: boolean;
}) {
  const { t } = ctx;
  if (!usable)
    return MessagePage({
      ctx,
      title: 'verify.title',
      text: 'accounts.error.link',
      link: { href: '/rejestracja', label: 'register.title' },
    });
  return (
    <Layout ctx={ctx} title={t('verify.title')}>
      <Heading>{t('verify.title')}</Heading>
      <p class="govuk-body">{t('verify.text')}</p>
      <Form ctx={ctx} action="/rejestracja/potwierdz">
        <input type="hidden" name="token" value={token} />
        <Button>{t('verify.submit')}</Button>
      </Form>
    </Layout>
  );
}

export function ResetRequestPage({
  ctx,
  email,
  errors = [],
}: {
  ctx: ViewContext;
  email?: string;
  errors?: FieldError[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('reset.title')}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading>{t('reset.title')}</Heading>
      <p class="govuk-body">{t('reset.lead')}</p>
      <Form ctx={ctx} action="/reset-hasla">
        <TextField
          ctx={ctx}
          name="email"
          type="email"
          label={t('field.email')}
          value={email}
          autocomplete="email"
          errors={errors}
        />
        <Button>{t('reset.submit')}</Button>
      </Form>
    </Layout>
  );
}

export function ResetPasswordPage({
  ctx,
  token,
  usable,
  errors = [],
}: {
  ctx: ViewContext;
  token: string;
  usable: boolean;
  errors?: FieldError[];
}) {
  const { t } = ctx;
  if (!usable)
    return MessagePage({
      ctx,
      title: 'reset.new.title',
      text: 'accounts.error.link',
      link: { href: '/reset-hasla', label: 'reset.again' },
    });
  return (
    <Layout ctx={ctx} title={t('reset.new.title')}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading>{t('reset.new.title')}</Heading>
      <Form ctx={ctx} action="/reset-hasla/nowe">
        <input type="hidden" name="token" value={token} />
        <TextField
          ctx={ctx}
          name="password"
          type="password"
          label={t('field.newPassword')}
          hint={t('password.hint')}
          autocomplete="new-password"
          errors={errors}
        />
        <TextField
          ctx={ctx}
          name="passwordConfirm"
          type="password"
          label={t('field.passwordConfirm')}
          autocomplete="new-password"
          errors={errors}
        />
        <Button>{t('reset.new.submit')}</Button>
      </Form>
    </Layout>
  );
}

export function roleLabel(ctx: ViewContext, grant: RoleGrant): string {
  const { t } = ctx;
  const name = t(`role.${grant.role}` as MessageKey);
  const scope = [grant.officeId, grant.department, grant.pointId].filter(Boolean).join(', ');
  return scope ? `${name} (${scope})` : name;
}

export type AccountNotice = 'password' | 'totpOn' | 'totpOff';

export function AccountPage({
  ctx,
  email,
  roles,
  totpEnabled,
  notice,
  officerDesk = true,
  staffRolesWithheld = false,
}: {
  ctx: ViewContext;
  email: string;
  roles: RoleGrant[];
  totpEnabled: boolean;
  notice?: AccountNotice | undefined;
  officerDesk?: boolean;
  /** Staff roles held but not in force: no second factor set up, or not given in this session. */
  staffRolesWithheld?: boolean;
}) {
  const { t } = ctx;
  const staffLinks: { href: string; label: MessageKey }[] = [];
  if (officerDesk && roles.some((r) => r.role === 'confirmation-officer'))
    staffLinks.push({ href: '/punkt', label: 'officer.title' });
  if (roles.some((r) => r.role === 'platform-admin'))
    staffLinks.push({ href: '/admin', label: 'admin.title' });
  const offices = [
    ...new Set(
      roles
        .filter((r) => (r.role === 'clerk' || r.role === 'office-admin') && r.officeId)
        .map((r) => r.officeId!),
    ),
  ];
  return (
    <Layout ctx={ctx} title={t('account.title')}>
      {notice ? (
        <NotificationBanner title={t('notice.title')} success>
          <p class="govuk-notification-banner__heading">{t(`account.notice.${notice}` as MessageKey)}</p>
        </NotificationBanner>
      ) : null}
      <Heading caption={ctx.user?.displayName}>{t('account.title')}</Heading>
      {staffRolesWithheld ? <InsetText>{t('access.staffSecondFactor')}</InsetText> : null}
      <SummaryList
        rows={[
          { key: t('field.displayName'), value: ctx.user?.displayName ?? '' },
          { key: t('field.email'), value: email },
          {
            key: t('account.roles'),
            value: [t('role.resident'), ...roles.map((r) => roleLabel(ctx, r))].join('; '),
          },
          { key: t('account.totp'), value: t(totpEnabled ? 'account.totp.on' : 'account.totp.off') },
        ]}
      />
      <ul class="govuk-list">
        <li>
          <a class="govuk-link" href="/profil-zaufany">
            {t('profile.title')}
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/konto/haslo">
            {t('password.change.title')}
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/konto/2fa">
            {t('totp.title')}
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/konto/eksport">
            {t('export.link')}
          </a>
        </li>
        {staffLinks.map((l) => (
          <li>
            <a class="govuk-link" href={l.href}>
              {t(l.label)}
            </a>
          </li>
        ))}
        {offices.map((officeId) => (
          <li>
            <a class="govuk-link" href={`/urzad/${officeId}`}>
              {t('office.staff.link', { officeId })}
            </a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export function ChangePasswordPage({ ctx, errors = [] }: { ctx: ViewContext; errors?: FieldError[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('password.change.title')}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading>{t('password.change.title')}</Heading>
      <Form ctx={ctx} action="/konto/haslo">
        <TextField
          ctx={ctx}
          name="current"
          type="password"
          label={t('field.currentPassword')}
          autocomplete="current-password"
          errors={errors}
        />
        <TextField
          ctx={ctx}
          name="password"
          type="password"
          label={t('field.newPassword')}
          hint={t('password.hint')}
          autocomplete="new-password"
          errors={errors}
        />
        <TextField
          ctx={ctx}
          name="passwordConfirm"
          type="password"
          label={t('field.passwordConfirm')}
          autocomplete="new-password"
          errors={errors}
        />
        <Button>{t('password.change.submit')}</Button>
      </Form>
    </Layout>
  );
}

export function TwoFactorPage({
  ctx,
  enabled,
  setup,
  recoveryCodes,
  errors = [],
  staffRolesWithheld = false,
}: {
  ctx: ViewContext;
  enabled: boolean;
  setup?: { secret: string; uri: string; qrDataUrl: string } | undefined;
  recoveryCodes?: string[] | undefined;
  errors?: FieldError[];
  /** A member of staff without a second factor in force: why this page came first. */
  staffRolesWithheld?: boolean;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('totp.title')}>
      <ErrorSummary ctx={ctx} errors={errors} />
      {recoveryCodes ? (
        <Panel title={t('totp.enabled.title')}>{t('totp.enabled.text')}</Panel>
      ) : (
        <Heading>{t('totp.title')}</Heading>
      )}
      {staffRolesWithheld ? <InsetText>{t('access.staffSecondFactor')}</InsetText> : null}
      {recoveryCodes ? (
        <>
          <h2 class="govuk-heading-m">{t('totp.recovery.heading')}</h2>
          <p class="govuk-body">{t('totp.recovery.text')}</p>
          <ul class="govuk-list" id="recovery-codes">
            {recoveryCodes.map((c) => (
              <li>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          <p class="govuk-body">
            <a class="govuk-link" href="/konto">
              {t('account.back')}
            </a>
          </p>
        </>
      ) : enabled ? (
        <>
          <p class="govuk-body">{t('totp.on.text')}</p>
          <Form ctx={ctx} action="/konto/2fa/wylacz">
            <TextField
              ctx={ctx}
              name="code"
              label={t('field.codeOrRecovery')}
              autocomplete="one-time-code"
              errors={errors}
              width={20}
            />
            <Button secondary>{t('totp.disable')}</Button>
          </Form>
        </>
      ) : setup ? (
        <>
          <p class="govuk-body">{t('totp.setup.text')}</p>
          <img src={setup.qrDataUrl} alt={t('totp.setup.qrAlt')} width={200} height={200} />
          <p class="govuk-body">
            {t('totp.setup.secret')} <code id="totp-secret">{setup.secret}</code>
          </p>
          <Form ctx={ctx} action="/konto/2fa/wlacz">
            <TextField
              ctx={ctx}
              name="code"
              label={t('field.code')}
              hint={t('login.code.hint')}
              autocomplete="one-time-code"
              errors={errors}
              width={10}
            />
            <Button>{t('totp.enable')}</Button>
          </Form>
        </>
      ) : (
        <>
          <p class="govuk-body">{t('totp.off.text')}</p>
          <Form ctx={ctx} action="/konto/2fa/start">
            <Button>{t('totp.start')}</Button>
          </Form>
        </>
      )}
    </Layout>
  );
}
