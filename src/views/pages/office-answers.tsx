import type { FieldError } from '../../domain/errors';
import { acceptedExtensions, formatSize, type OfficePolicy } from '../../domain/policy';
import { DELIVERY_TITLE_MAX, type DeliveryView } from '../../services/deliver-letter';
import { Button, ErrorSummary, FileUpload, Heading, TextField, UploadForm } from '../components';
import type { ViewContext } from '../context';
import { formatDateTime } from '../dates';
import { Layout } from '../layout';
import { proofLinks } from './inbox';

export function AnswerPage({
  ctx,
  officeId,
  documentId,
  documentTitle,
  policy,
  replyTo,
  values = {},
  errors = [],
}: {
  ctx: ViewContext;
  officeId: string;
  documentId: string;
  documentTitle: string;
  policy: OfficePolicy;
  replyTo: { name: string } | undefined;
  values?: Record<string, string>;
  errors?: FieldError[];
}) {
  const { t, lang } = ctx;
  const allowed = {
    size: formatSize(policy.maxSizeBytes, lang),
    extensions: acceptedExtensions(policy)
      .map((e) => `.${e}`)
      .join(', '),
  };
  const action = `/urzad/${officeId}/dokumenty/${documentId}/odpowiedz`;
  return (
    <Layout ctx={ctx} title={t('answer.title')}>
      <p class="govuk-body">
        <a class="govuk-link" href={`/urzad/${officeId}/dokumenty/${documentId}`}>
          {t('box.doc.back')}
        </a>
      </p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading caption={documentTitle}>{t('answer.title')}</Heading>
      <p class="govuk-body">{t(policy.deemedDelivery ? 'answer.lead' : 'answer.leadNotDeemed')}</p>
      <UploadForm ctx={ctx} action={action} policy={policy}>
        <TextField
          ctx={ctx}
          name="recipientPesel"
          label={t('answer.pesel')}
          hint={replyTo ? t('answer.peselHintSender', { name: replyTo.name }) : t('answer.peselHint')}
          value={values.recipientPesel}
          errors={errors}
          width={20}
        />
        <TextField
          ctx={ctx}
          name="title"
          label={t('answer.subject')}
          value={values.title}
          errors={errors}
          maxLength={DELIVERY_TITLE_MAX}
        />
        <FileUpload
          ctx={ctx}
          name="document"
          label={t('answer.document')}
          hint={t('letter.form.documentHint', allowed)}
          errors={errors}
        />
        <FileUpload
          ctx={ctx}
          name="attachment"
          label={t('letter.form.attachments')}
          errors={errors}
          multiple
        />
        <Button>{t('answer.submit')}</Button>
      </UploadForm>
    </Layout>
  );
}

/** The answers to a document, on the clerk's document page: state and both proofs. */
export function Replies({
  ctx,
  officeId,
  documentId,
  replies,
}: {
  ctx: ViewContext;
  officeId: string;
  documentId: string;
  replies: DeliveryView[];
}) {
  const { t, lang } = ctx;
  return (
    <>
      <h2 class="govuk-heading-m" id="odpowiedzi">
        {t('answer.list')}
      </h2>
      {replies.length === 0 ? <p class="govuk-body">{t('answer.none')}</p> : null}
      {replies.map((r) => (
        <div class="govuk-summary-card">
          <div class="govuk-summary-card__title-wrapper">
            <h3 class="govuk-summary-card__title">{r.title}</h3>
          </div>
          <div class="govuk-summary-card__content">
            <p class="govuk-body">
              {t('answer.sentAt', { date: formatDateTime(r.sentAt, lang) })} —{' '}
              <strong class="delivery-status">{t(`inbox.status.${r.status}`)}</strong>
              {r.receivedAt ? ` (${formatDateTime(r.receivedAt, lang)})` : ''}
              {r.deemedAt ? ` (${formatDateTime(r.deemedAt, lang)})` : ''}
            </p>
            {r.notCollectedSince ? (
              <p class="govuk-body not-collected">
                {t('answer.notCollectedSince', { date: formatDateTime(r.notCollectedSince, lang) })}
              </p>
            ) : null}
            <ul class="govuk-list">
              {proofLinks(ctx, `/urzad/${officeId}/doreczenia/${r.id}`, r.proofs, r.title)}
            </ul>
          </div>
        </div>
      ))}
      <p class="govuk-body">
        <a class="govuk-link" href={`/urzad/${officeId}/dokumenty/${documentId}/odpowiedz`}>
          {t('answer.write')}
        </a>
      </p>
    </>
  );
}
