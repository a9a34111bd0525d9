import { Button, Form, Heading } from '../components';
import type { ViewContext } from '../context';
import { Layout } from '../layout';

export function ResidentExportPage({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('export.title')}>
      <Heading>{t('export.title')}</Heading>
      <p class="govuk-body-l">{t('export.lead')}</p>
      <h2 class="govuk-heading-m">{t('export.contents')}</h2>
      <ul class="govuk-list govuk-list--bullet">
        <li>{t('export.contents.filed')}</li>
        <li>{t('export.contents.received')}</li>
        <li>{t('export.contents.awaiting')}</li>
        <li>{t('export.contents.log')}</li>
        <li>{t('export.contents.manifest')}</li>
      </ul>
      <p class="govuk-body">
        {t('export.verifyHint')}{' '}
        <a class="govuk-link" href="/weryfikacja">
          {t('export.verifyLink')}
        </a>
        .
      </p>
      <Form ctx={ctx} action="/konto/eksport">
        <Button>{t('export.submit')}</Button>
      </Form>
    </Layout>
  );
}
