import type { FieldError } from '../../domain/errors';
import type { ProfileState } from '../../domain/trusted-profile';
import { PROFILE_LIMITS, type TrustedProfile } from '../../services/trusted-profiles';
import {
  Button,
  ErrorSummary,
  Form,
  Heading,
  InsetText,
  NotificationBanner,
  Paragraphs,
  SummaryList,
  TextField,
} from '../components';
import type { MessageKey, ViewContext } from '../context';
import { formatDate, formatDateTime } from '../dates';
import { Layout } from '../layout';

export type ProfileNotice = 'applied' | 'extended' | 'revoked';

export interface ApplicationValues {
  firstNames?: string;
  surname?: string;
  pesel?: string;
  birthDate?: string;
  email?: string;
  phone?: string;
}

const stateKey = (state: ProfileState): MessageKey => `profile.state.${state}` as MessageKey;

/**
 * The status line, e.g. "valid until 26.11.2029": addressed to its owner ("Twój profil…"), or
 * about the profile for the staff who look it up.
 */
export function profileStatusText(
  ctx: ViewContext,
  profile: TrustedProfile,
  reader: 'owner' | 'staff' = 'owner',
): string {
  const { t, lang } = ctx;
  const owner = reader === 'owner';
  switch (profile.state) {
    case 'valid':
      return t(owner ? 'profile.status.valid' : 'profile.statusStaff.valid', {
        date: formatDate(profile.validUntil!, lang),
      });
    case 'pending':
      return t('profile.status.pending', { date: formatDate(profile.pendingUntil, lang) });
    case 'expired':
      return t(owner ? 'profile.status.expired' : 'profile.statusStaff.expired', {
        date: formatDate(profile.validUntil!, lang),
      });
    default:
      return t(stateKey(profile.state));
  }
}

export function ProfilePage({
  ctx,
  profile,
  values = {},
  errors = [],
  notice,
}: {
  ctx: ViewContext;
  profile: TrustedProfile | undefined;
  values?: ApplicationValues;
  errors?: FieldError[];
  notice?: ProfileNotice | undefined;
}) {
  const { t, lang } = ctx;
  const live = profile && (profile.state === 'pending' || profile.state === 'valid');
  return (
    <Layout ctx={ctx} title={t('profile.title')}>
      {notice ? (
        <NotificationBanner title={t('notice.title')} success>
          <p class="govuk-notification-banner__heading">{t(`profile.notice.${notice}` as MessageKey)}</p>
        </NotificationBanner>
      ) : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading>{t('profile.title')}</Heading>
      <InsetText>{t('profile.local.notice')}</InsetText>
      {profile ? (
        <>
          <p class="govuk-body-l" id="profile-status">
            {profileStatusText(ctx, profile)}
          </p>
          <SummaryList
            rows={[
              { key: t('profile.number'), value: profile.id },
              { key: t('profile.state'), value: t(stateKey(profile.state)) },
              { key: t('field.firstNames'), value: profile.firstNames },
              { key: t('field.surname'), value: profile.surname },
              { key: t('field.birthDate'), value: formatDate(`${profile.birthDate}T12:00:00Z`, lang) },
              { key: t('profile.appliedAt'), value: formatDateTime(profile.appliedAt, lang) },
              ...(profile.validUntil && profile.state !== 'rejected'
                ? [{ key: t('profile.validUntil'), value: formatDate(profile.validUntil, lang) }]
                : []),
              ...(profile.pointName ? [{ key: t('profile.point'), value: profile.pointName }] : []),
              ...(profile.rejectionReason
                ? [{ key: t('profile.rejectionReason'), value: profile.rejectionReason }]
                : []),
            ]}
          />
          {profile.state === 'pending' ? (
            <InsetText>
              {t('profile.pending.next', {
                number: profile.id,
                date: formatDate(profile.pendingUntil, lang),
              })}{' '}
              <a class="govuk-link" href="/punkty-potwierdzajace">
                {t('points.title')}
              </a>
            </InsetText>
          ) : null}
          {profile.state === 'valid' ? (
            <>
              <h2 class="govuk-heading-m">{t('profile.extend.heading')}</h2>
              <p class="govuk-body">{t('profile.extend.text')}</p>
              <Form ctx={ctx} action="/profil-zaufany/przedluz">
                <Button>{t('profile.extend.submit')}</Button>
              </Form>
              <h2 class="govuk-heading-m">{t('profile.revoke.heading')}</h2>
              <p class="govuk-body">{t('profile.revoke.text')}</p>
              <Form ctx={ctx} action="/profil-zaufany/uniewaznij">
                <Button secondary>{t('profile.revoke.submit')}</Button>
              </Form>
            </>
          ) : null}
        </>
      ) : (
        <p class="govuk-body">{t('profile.none')}</p>
      )}
      {live ? null : <ApplicationForm ctx={ctx} values={values} errors={errors} />}
    </Layout>
  );
}

function ApplicationForm({
  ctx,
  values,
  errors,
}: {
  ctx: ViewContext;
  values: ApplicationValues;
  errors: FieldError[];
}) {
  const { t } = ctx;
  return (
    <>
      <h2 class="govuk-heading-m">{t('profile.apply.heading')}</h2>
      <p class="govuk-body">{t('profile.apply.text')}</p>
      <Form ctx={ctx} action="/profil-zaufany">
        <TextField
          ctx={ctx}
          name="firstNames"
          label={t('field.firstNames')}
          maxLength={PROFILE_LIMITS.firstNames}
          value={values.firstNames}
          autocomplete="given-name"
          errors={errors}
        />
        <TextField
          ctx={ctx}
          name="surname"
          label={t('field.surname')}
          maxLength={PROFILE_LIMITS.surname}
          value={values.surname}
          autocomplete="family-name"
          errors={errors}
        />
        <TextField
          ctx={ctx}
          name="pesel"
          label={t('field.pesel')}
          hint={t('profile.pesel.hint')}
          value={values.pesel}
          errors={errors}
          width={20}
        />
        <TextField
          ctx={ctx}
          name="birthDate"
          type="date"
          label={t('field.birthDate')}
          hint={t('profile.birthDate.hint')}
          value={values.birthDate}
          autocomplete="bday"
          errors={errors}
          width={10}
        />
        <TextField
          ctx={ctx}
          name="email"
          type="email"
          label={t('field.email')}
          value={values.email}
          autocomplete="email"
          errors={errors}
        />
        <TextField
          ctx={ctx}
          name="phone"
          type="tel"
          label={t('field.phone')}
          maxLength={PROFILE_LIMITS.phone}
          value={values.phone}
          autocomplete="tel"
          errors={errors}
          width={20}
        />
        <Button>{t('profile.apply.submit')}</Button>
      </Form>
    </>
  );
}

/**
 * The trusted profile as the law knows it: the national one (ePUAP), applied for at pz.gov.pl and
 * confirmed at a confirmation point; used here by logging in through login.gov.pl.
 */
export function NationalProfilePage({ ctx, nationalLogin }: { ctx: ViewContext; nationalLogin: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('profile.title')}>
      <Heading>{t('profile.title')}</Heading>
      <p class="govuk-body-l">{t('profile.national.lead')}</p>
      <Paragraphs text={t('profile.national.body')} />
      <ul class="govuk-list govuk-list--bullet">
        <li>
          <a class="govuk-link" href="https://pz.gov.pl">
            {t('profile.national.apply')}
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/punkty-potwierdzajace">
            {t('points.title')}
          </a>
        </li>
        {nationalLogin ? (
          <li>
            <a class="govuk-link" href="/logowanie">
              {t('profile.national.login')}
            </a>
          </li>
        ) : null}
      </ul>
    </Layout>
  );
}
