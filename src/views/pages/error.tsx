import { Heading, Paragraphs } from '../components';
import type { MessageKey, Params, ViewContext } from '../context';
import { Layout } from '../layout';

export function ErrorPage({
  ctx,
  title,
  text,
  detail,
}: {
  ctx: ViewContext;
  title: MessageKey;
  text: MessageKey;
  detail?: { key: MessageKey; params?: Params } | undefined;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t(title)}>
      <Heading>{t(title)}</Heading>
      {detail ? <p class="govuk-body govuk-!-font-weight-bold">{t(detail.key, detail.params)}</p> : null}
      <Paragraphs text={t(text)} />
      <p class="govuk-body">
        <a class="govuk-link" href="/">
          {t('common.backHome')}
        </a>
      </p>
    </Layout>
  );
}
