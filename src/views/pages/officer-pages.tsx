import type { FieldError } from '../../domain/errors';
import { IDENTITY_DOCUMENTS } from '../../domain/trusted-profile';
import type { ConfirmationPoint } from '../../services/confirmation-points';
import { PROFILE_LIMITS, type TrustedProfile } from '../../services/trusted-profiles';
import {
  Button,
  CsrfField,
  ErrorSummary,
  Form,
  Heading,
  NotificationBanner,
  Radios,
  SummaryList,
  Table,
  Textarea,
  TextField,
} from '../components';
import type { MessageKey, ViewContext } from '../context';
import { formatDate, formatDateTime } from '../dates';
import { Layout } from '../layout';

export function OfficerSearchPage({
  ctx,
  query,
  results,
  invalid,
  notice,
}: {
  ctx: ViewContext;
  query: string;
  results: TrustedProfile[] | undefined;
  invalid: boolean;
  notice?: { key: MessageKey; number: string } | undefined;
}) {
  const { t, lang } = ctx;
  const errors: FieldError[] = invalid ? [{ field: 'q', key: 'officer.error.query' }] : [];
  return (
    <Layout ctx={ctx} title={t('officer.title')}>
      {notice ? (
        <NotificationBanner title={t('notice.title')} success>
          <p class="govuk-notification-banner__heading">{t(notice.key, { number: notice.number })}</p>
        </NotificationBanner>
      ) : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading>{t('officer.title')}</Heading>
      <form method="post" action="/punkt" novalidate role="search">
        <CsrfField ctx={ctx} />
        <TextField
          ctx={ctx}
          name="q"
          label={t('officer.search.label')}
          hint={t('officer.search.hint')}
          value={query}
          errors={errors}
          width={20}
        />
        <Button>{t('officer.search.submit')}</Button>
      </form>
      {results ? (
        results.length === 0 ? (
          <p class="govuk-body" id="no-results">
            {t('officer.search.none')}
          </p>
        ) : (
          <Table
            caption={t('officer.search.results')}
            head={[t('profile.number'), t('officer.person'), t('field.birthDate'), t('profile.appliedAt')]}
            rows={results.map((p) => [
              <a class="govuk-link" href={`/punkt/wnioski/${p.id}`}>
                {p.id}
              </a>,
              `${p.firstNames} ${p.surname}`,
              formatDate(`${p.birthDate}T12:00:00Z`, lang),
              formatDateTime(p.appliedAt, lang),
            ])}
          />
        )
      ) : null}
    </Layout>
  );
}

export function OfficerApplicationPage({
  ctx,
  profile,
  points,
  errors = [],
}: {
  ctx: ViewContext;
  profile: TrustedProfile;
  points: ConfirmationPoint[];
  errors?: FieldError[];
}) {
  const { t, lang } = ctx;
  const pointOptions = points.map((p) => ({ value: p.id, label: p.name }));
  const pointField = (
    <Radios
      ctx={ctx}
      name="pointId"
      legend={t('officer.point')}
      options={pointOptions}
      checked={points.length === 1 ? points[0]!.id : undefined}
      errors={errors}
    />
  );
  return (
    <Layout ctx={ctx} title={t('officer.application.title', { number: profile.id })}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading caption={t('officer.title')}>{t('officer.application.title', { number: profile.id })}</Heading>
      <SummaryList
        rows={[
          { key: t('field.firstNames'), value: profile.firstNames },
          { key: t('field.surname'), value: profile.surname },
          { key: t('field.pesel'), value: profile.pesel },
          { key: t('field.birthDate'), value: formatDate(`${profile.birthDate}T12:00:00Z`, lang) },
          { key: t('field.email'), value: profile.email },
          { key: t('field.phone'), value: profile.phone },
          { key: t('profile.appliedAt'), value: formatDateTime(profile.appliedAt, lang) },
          { key: t('officer.pendingUntil'), value: formatDate(profile.pendingUntil, lang) },
        ]}
      />
      <h2 class="govuk-heading-m">{t('officer.confirm.heading')}</h2>
      <p class="govuk-body">{t('officer.confirm.text')}</p>
      <Form ctx={ctx} action={`/punkt/wnioski/${profile.id}`}>
        {pointField}
        <Radios
          ctx={ctx}
          name="documentType"
          legend={t('officer.document')}
          options={IDENTITY_DOCUMENTS.map((d) => ({ value: d, label: t(`document.${d}` as MessageKey) }))}
          errors={errors}
        />
        <Button name="decision" value="confirm">
          {t('officer.confirm.submit')}
        </Button>
        <h2 class="govuk-heading-m">{t('officer.reject.heading')}</h2>
        <Textarea
          ctx={ctx}
          name="reason"
          label={t('officer.reject.reason')}
          errors={errors}
          maxLength={PROFILE_LIMITS.reason}
        />
        <Button name="decision" value="reject" secondary>
          {t('officer.reject.submit')}
        </Button>
      </Form>
    </Layout>
  );
}
