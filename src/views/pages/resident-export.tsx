import { Button, Form, Heading } from '../components';
import type { ViewContext } from '../context';
import { Layout } from '../layout';

export function ResidentExportPage({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx;
  // The command is shown as code inside the sentence: the message keeps its placeholder.
  const [hintBefore, hintAfter] = t('export.verifyHint').split('{command}');
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
        {hintBefore}
        <code>npm run cli -- verify eksport.zip --ca ca.pem --log-key log.key</code>
        {hintAfter}
      </p>
      <Form ctx={ctx} action="/konto/eksport">
        <Button>{t('export.submit')}</Button>
      </Form>
    </Layout>
  );
}
