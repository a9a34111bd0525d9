import type { NationalIdentity } from '../../ports/national-node';
import { Button, Form, Heading, NotificationBanner, Paragraphs, Radios } from '../components';
import type { MessageKey, ViewContext } from '../context';
import { Layout } from '../layout';

/** The label every simulator page carries, first thing on the page. */
function SimulatorBanner({ ctx }: { ctx: ViewContext }) {
  return (
    <div class="govuk-warning-text" data-simulator="true">
      <span class="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong class="govuk-warning-text__text">
        <span class="govuk-visually-hidden">{ctx.t('notice.title')}: </span>
        {ctx.t('simulator.banner')}. {ctx.t('simulator.bannerText')}
      </strong>
    </div>
  );
}

/**
 * A form the browser posts to another party (the node, or back to us from the simulator): a
 * button, so it works without JavaScript. No CSRF field: it is not our form to check.
 */
export function PostOnwardPage({
  ctx,
  title,
  text,
  button,
  action,
  fields,
  simulator,
}: {
  ctx: ViewContext;
  title: MessageKey;
  text: MessageKey;
  button: MessageKey;
  action: string;
  fields: Record<string, string>;
  simulator: boolean;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t(title)}>
      {simulator ? <SimulatorBanner ctx={ctx} /> : null}
      <Heading>{t(title)}</Heading>
      <Paragraphs text={t(text)} />
      <form method="post" action={action}>
        {Object.entries(fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <Button>{t(button)}</Button>
      </form>
    </Layout>
  );
}

export function NationalLoginErrorPage({ ctx, reason }: { ctx: ViewContext; reason: MessageKey }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('national.error.title')}>
      <Heading>{t('national.error.title')}</Heading>
      <p class="govuk-body" data-refusal="true">
        {t(reason)}
      </p>
      <p class="govuk-body">
        <a class="govuk-link" href="/logowanie">
          {t('national.error.retry')}
        </a>
      </p>
    </Layout>
  );
}

export function SimulatorLoginPage({
  ctx,
  requestId,
  relayState,
  people,
  authorities,
  error,
}: {
  ctx: ViewContext;
  requestId: string;
  relayState: string;
  people: readonly NationalIdentity[];
  authorities: readonly string[];
  error?: string | undefined;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('simulator.title')}>
      <SimulatorBanner ctx={ctx} />
      <Heading>{t('simulator.title')}</Heading>
      {error ? (
        <NotificationBanner title={t('notice.title')}>
          <p class="govuk-body">{error}</p>
        </NotificationBanner>
      ) : null}
      {requestId ? (
        <Form ctx={ctx} action="/login-gov-pl/symulator/wybor">
          <input type="hidden" name="request" value={requestId} />
          <input type="hidden" name="RelayState" value={relayState} />
          <Radios
            ctx={ctx}
            name="person"
            legend={t('simulator.person')}
            options={people.map((p, i) => ({
              value: String(i),
              label: `${p.givenName} ${p.familyName}`,
              hint: `PESEL ${p.pesel}`,
            }))}
            checked="0"
          />
          <Radios
            ctx={ctx}
            name="authority"
            legend={t('simulator.authority')}
            options={authorities.map((a) => ({
              value: a,
              label: t(`simulator.authority.${a}` as MessageKey),
            }))}
            checked={authorities[0]}
          />
          <Button>{t('simulator.submit')}</Button>
        </Form>
      ) : null}
    </Layout>
  );
}
