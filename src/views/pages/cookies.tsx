import type { FieldError } from '../../domain/errors';
import { Button, CsrfField, ErrorSummary, Heading, NotificationBanner, Radios, Table } from '../components';
import type { ViewContext } from '../context';
import { Layout } from '../layout';

export type ConsentState = 'accepted' | 'declined' | undefined;

export function CookiesPage({
  ctx,
  consent,
  saved,
  errors = [],
}: {
  ctx: ViewContext;
  consent: ConsentState;
  saved?: boolean;
  errors?: FieldError[];
}) {
  const { t } = ctx;
  const head = [t('cookies.table.name'), t('cookies.table.purpose'), t('cookies.table.expires')];
  return (
    <Layout ctx={ctx} title={t('cookies.title')}>
      {saved ? (
        <NotificationBanner title={t('cookies.title')} success>
          <p class="govuk-notification-banner__heading">{t('cookies.saved')}</p>
        </NotificationBanner>
      ) : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading>{t('cookies.title')}</Heading>
      <p class="govuk-body-l">{t('cookies.lead')}</p>
      <h2 class="govuk-heading-m">{t('cookies.necessary.heading')}</h2>
      <p class="govuk-body">{t('cookies.necessary.text')}</p>
      <Table
        caption={t('cookies.necessary.heading')}
        head={head}
        rows={[
          ['_csrf', t('cookies.csrf.purpose'), t('cookies.expires.session')],
          ['cookie_consent', t('cookies.consent.purpose'), t('cookies.expires.year')],
          ['lang', t('cookies.lang.purpose'), t('cookies.expires.session')],
          ['login_gov_pl', t('cookies.loginGovPl.purpose'), t('cookies.expires.minutes')],
          ['session', t('cookies.session.purpose'), t('cookies.expires.session')],
        ]}
      />
      <h2 class="govuk-heading-m">{t('cookies.optional.heading')}</h2>
      <p class="govuk-body">{t('cookies.optional.text')}</p>
      <Table
        caption={t('cookies.optional.heading')}
        head={head}
        rows={[
          ['lang_pref', t('cookies.prefs.purpose'), t('cookies.expires.year')],
          ['poll', t('cookies.poll.purpose'), t('cookies.expires.pollYear')],
        ]}
      />
      <p class="govuk-body">{t('cookies.stats.text')}</p>
      <form method="post" action="/cookies" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="returnTo" value="/cookies?saved=1" />
        <p class="govuk-body" id="consent-current">
          {t(
            consent === 'accepted'
              ? 'cookies.choice.current.accepted'
              : consent === 'declined'
                ? 'cookies.choice.current.declined'
                : 'cookies.choice.current.none',
          )}
        </p>
        <Radios
          ctx={ctx}
          name="consent"
          legend={t('cookies.choice.legend')}
          checked={consent}
          errors={errors}
          options={[
            { value: 'accepted', label: t('cookies.choice.yes') },
            { value: 'declined', label: t('cookies.choice.no') },
          ]}
        />
        <Button>{t('cookies.choice.save')}</Button>
      </form>
    </Layout>
  );
}
