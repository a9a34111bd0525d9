import type { FieldError } from '../../domain/errors';
import type { MessageKey } from '../../i18n/index';
import { TOKEN_SCOPES, type TokenView } from '../../services/integration-tokens';
import {
  Button,
  ErrorSummary,
  Form,
  Heading,
  NotificationBanner,
  Panel,
  Radios,
  SummaryList,
  Table,
  TextField,
} from '../components';
import type { ViewContext } from '../context';
import { formatDateTime } from '../dates';
import { Layout } from '../layout';

export interface TokenFormValues {
  name: string;
  scope: string;
  expires: string;
}

/** /urzad/{officeId}/tokeny: the office's API tokens, a form to create one and a button to revoke each. */
export function ApiTokensPage({
  ctx,
  officeId,
  officeName,
  tokens,
  now,
  values,
  errors = [],
  created,
  revoked,
}: {
  ctx: ViewContext;
  officeId: string;
  officeName: string;
  tokens: TokenView[];
  /** To tell expired tokens from active ones. */
  now: Date;
  values: TokenFormValues;
  errors?: FieldError[];
  /** Just created: its id and secret, shown this once. */
  created?: { id: string; token: string };
  /** Name of the token just revoked. */
  revoked?: string | undefined;
}) {
  const { t, lang } = ctx;
  const status = (token: TokenView): string =>
    token.revokedAt
      ? t('apiTokens.status.revoked', { at: formatDateTime(token.revokedAt, lang) })
      : token.expiresAt && token.expiresAt <= now.toISOString()
        ? t('apiTokens.status.expired')
        : t('apiTokens.status.active');
  return (
    <Layout ctx={ctx} title={t('apiTokens.title')} wide>
      <ErrorSummary ctx={ctx} errors={errors} />
      {revoked ? (
        <NotificationBanner title={t('notice.title')} success>
          <p class="govuk-notification-banner__heading">{t('apiTokens.revoked', { name: revoked })}</p>
        </NotificationBanner>
      ) : null}
      <Heading caption={officeName}>{t('apiTokens.title')}</Heading>
      {created ? (
        <Panel title={t('apiTokens.created.title')}>
          <p>{t('apiTokens.created.text')}</p>
        </Panel>
      ) : null}
      {created ? (
        <SummaryList
          rows={[
            { key: t('apiTokens.created.id'), value: <code>{created.id}</code> },
            { key: t('apiTokens.created.secret'), value: <code class="uo-secret">{created.token}</code> },
          ]}
        />
      ) : null}
      <p class="govuk-body">{t('apiTokens.intro')}</p>
      {tokens.length ? (
        <Table
          caption={t('apiTokens.list.caption')}
          head={[
            t('apiTokens.field.name'),
            t('apiTokens.list.id'),
            t('apiTokens.field.scope'),
            t('apiTokens.list.created'),
            t('apiTokens.list.expires'),
            t('apiTokens.list.lastUsed'),
            t('apiTokens.list.status'),
            '',
          ]}
          rows={tokens.map((token) => [
            token.name,
            <code>{token.id}</code>,
            token.scope,
            formatDateTime(token.createdAt, lang),
            token.expiresAt ? formatDateTime(token.expiresAt, lang) : t('apiTokens.list.noExpiry'),
            token.lastUsedAt ? formatDateTime(token.lastUsedAt, lang) : t('apiTokens.list.never'),
            status(token),
            token.revokedAt ? (
              ''
            ) : (
              <Form ctx={ctx} action={`/urzad/${officeId}/tokeny/${token.id}/uniewaznij`} inline>
                <Button secondary>{t('apiTokens.revoke', { name: token.name })}</Button>
              </Form>
            ),
          ])}
        />
      ) : (
        <p class="govuk-body">{t('apiTokens.list.none')}</p>
      )}

      <h2 class="govuk-heading-m">{t('apiTokens.add')}</h2>
      <Form ctx={ctx} action={`/urzad/${officeId}/tokeny`}>
        <TextField
          ctx={ctx}
          name="name"
          label={t('apiTokens.field.name')}
          hint={t('apiTokens.field.name.hint')}
          value={values.name}
          errors={errors}
        />
        <Radios
          ctx={ctx}
          name="scope"
          legend={t('apiTokens.field.scope')}
          options={TOKEN_SCOPES.map((scope) => ({
            value: scope,
            label: t(`apiTokens.scope.${scope}` as MessageKey),
          }))}
          checked={values.scope}
          errors={errors}
        />
        <TextField
          ctx={ctx}
          name="expires"
          label={t('apiTokens.field.expires')}
          hint={t('apiTokens.field.expires.hint')}
          value={values.expires}
          errors={errors}
          width={10}
        />
        <Button>{t('apiTokens.add.submit')}</Button>
      </Form>
    </Layout>
  );
}
