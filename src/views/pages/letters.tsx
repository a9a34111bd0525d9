import type { FieldError } from '../../domain/errors';
import { paragraphs } from '../../domain/letters/general-letter';
import { isLetterKind, LETTER_KINDS } from '../../domain/letters/letter-kind';
import { acceptedExtensions, formatSize, type OfficePolicy } from '../../domain/policy';
import {
  LETTER_LIMITS,
  type Draft,
  type DraftFields,
  type LetterList,
  type SentLetter,
  type SentLetterView,
} from '../../services/letter-drafts';
import type { OfficeSummary } from '../../services/offices';
import {
  Button,
  CsrfField,
  ErrorSummary,
  FileUpload,
  Heading,
  NotificationBanner,
  Panel,
  Radios,
  Select,
  SummaryList,
  Textarea,
  TextField,
  UploadForm,
} from '../components';
import type { MessageKey, ViewContext } from '../context';
import { formatDateTime, formatTime } from '../dates';
import { Layout } from '../layout';

/**
 * The resident's filed letters: status, the office's journal number once registered, and the
 * receipt (UPP). Shown under "Moje pisma" and in the inbox.
 */
export function SentLetters({
  ctx,
  sent,
  id = 'sent',
}: {
  ctx: ViewContext;
  sent: SentLetter[];
  id?: string;
}) {
  const { t, lang } = ctx;
  if (sent.length === 0) return <p class="govuk-body">{t('letter.list.noSent')}</p>;
  return (
    <table class="govuk-table uo-table-stack" id={id}>
      <caption class="govuk-table__caption govuk-visually-hidden">{t('letter.list.sent')}</caption>
      <thead class="govuk-table__head">
        <tr class="govuk-table__row">
          {(
            [
              'letter.list.col.title',
              'letter.list.col.office',
              'letter.list.col.date',
              'letter.list.col.status',
              'letter.list.col.number',
              'letter.list.col.receipt',
            ] as const
          ).map((k) => (
            <th scope="col" class="govuk-table__header">
              {t(k)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody class="govuk-table__body">
        {sent.map((s) => (
          <tr class="govuk-table__row">
            <th scope="row" class="govuk-table__header">
              <a class="govuk-link" href={`/pisma/${s.documentId}`}>
                {s.title}
              </a>
            </th>
            <td class="govuk-table__cell" data-label={t('letter.list.col.office')}>
              {s.officeName}
            </td>
            <td class="govuk-table__cell" data-label={t('letter.list.col.date')}>
              {formatDateTime(s.receivedAt, lang)}
            </td>
            <td class="govuk-table__cell letter-status" data-label={t('letter.list.col.status')}>
              {t(`letter.status.${s.status as 'received'}`)}
            </td>
            <td class="govuk-table__cell registration-number" data-label={t('letter.list.col.number')}>
              {s.registrationNumber ?? '—'}
            </td>
            <td class="govuk-table__cell" data-label={t('letter.list.col.receipt')}>
              <a class="govuk-link" href={`/pisma/${s.documentId}/upp`}>
                {t('letter.list.receiptPage')}
                <span class="govuk-visually-hidden"> — {s.title}</span>
              </a>{' '}
              <a class="govuk-link" href={`/pisma/${s.documentId}/upp.xml`} download>
                XML<span class="govuk-visually-hidden"> — {s.title}</span>
              </a>{' '}
              <a class="govuk-link" href={`/pisma/${s.documentId}/upp.pdf`} download>
                PDF<span class="govuk-visually-hidden"> — {s.title}</span>
              </a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function LettersPage({ ctx, list }: { ctx: ViewContext; list: LetterList }) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('letter.list.title')}>
      <Heading>{t('letter.list.title')}</Heading>
      <p class="govuk-body">
        <a
          class="govuk-button govuk-!-margin-right-2"
          href="/pisma/nowe"
          role="button"
          data-module="govuk-button"
        >
          {t('letter.list.new')}
        </a>
        <a
          class="govuk-button govuk-button--secondary"
          href="/pisma/dokument"
          role="button"
          data-module="govuk-button"
        >
          {t('letter.list.ready')}
        </a>
      </p>
      <p class="govuk-body">
        <a class="govuk-link" href="/konto/eksport">
          {t('export.link')}
        </a>
      </p>
      <h2 class="govuk-heading-m">{t('letter.list.sent')}</h2>
      <SentLetters ctx={ctx} sent={list.sent} />
      <h2 class="govuk-heading-m">{t('letter.list.drafts')}</h2>
      {list.drafts.length === 0 ? (
        <p class="govuk-body">{t('letter.list.noDrafts')}</p>
      ) : (
        <ul class="govuk-list">
          {list.drafts.map((d) => (
            <li>
              <a class="govuk-link" href={`/pisma/szkic/${d.id}`}>
                {d.title || t('letter.list.untitled')}
              </a>{' '}
              <span class="govuk-hint govuk-!-display-inline">({formatDateTime(d.updatedAt, lang)})</span>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function LetterFormPage({
  ctx,
  offices,
  policy,
  draft,
  values,
  errors = [],
  senderName,
  notice,
}: {
  ctx: ViewContext;
  offices: OfficeSummary[];
  policy: OfficePolicy;
  draft?: Draft | undefined;
  values?: Partial<DraftFields> | undefined;
  errors?: FieldError[];
  senderName: string;
  /** Just saved with "Zapisz szkic", or kept when the session ended (docs/accounts.md). */
  notice?: 'saved' | 'kept' | undefined;
}) {
  const { t, lang } = ctx;
  const v = values ?? draft ?? {};
  const action = draft ? `/pisma/szkic/${draft.id}` : '/pisma/nowe';
  return (
    <Layout ctx={ctx} title={t('letter.form.title')}>
      <ErrorSummary ctx={ctx} errors={errors} />
      {notice === 'kept' ? (
        <NotificationBanner title={t('letter.form.keptTitle')}>
          <p class="govuk-notification-banner__heading">{t('letter.form.kept')}</p>
        </NotificationBanner>
      ) : null}
      {notice === 'saved' && draft ? (
        <NotificationBanner title={t('notice.title')} success>
          <p class="govuk-notification-banner__heading">
            {t('letter.form.draftSaved', { time: formatTime(draft.updatedAt, lang) })}
          </p>
        </NotificationBanner>
      ) : null}
      <Heading>{t('letter.form.title')}</Heading>
      <UploadForm ctx={ctx} action={action} policy={policy} autosaveFailed={t('letter.form.autosaveFailed')}>
        <SummaryList rows={[{ key: t('letter.form.sender'), value: senderName }]} />
        <Select
          ctx={ctx}
          name="officeId"
          label={t('letter.form.office')}
          value={v.officeId}
          errors={errors}
          options={offices.map((o) => ({ value: o.id, label: o.name }))}
        />
        <Radios
          ctx={ctx}
          name="kind"
          legend={t('letter.form.kind')}
          checked={v.kind ?? 'podanie'}
          errors={errors}
          options={LETTER_KINDS.map((k) => ({ value: k, label: t(`letter.kind.${k}`) }))}
        />
        <TextField
          ctx={ctx}
          name="title"
          label={t('letter.form.subject')}
          value={v.title}
          errors={errors}
          maxLength={LETTER_LIMITS.title}
        />
        <TextField
          ctx={ctx}
          name="place"
          label={t('letter.form.place')}
          value={v.place ?? 'Częstochowa'}
          errors={errors}
          width={20}
          maxLength={LETTER_LIMITS.place}
        />
        <Textarea
          ctx={ctx}
          name="body"
          label={t('letter.form.body')}
          hint={t('letter.form.bodyHint')}
          value={v.body}
          errors={errors}
          rows={12}
          maxLength={LETTER_LIMITS.body}
        />
        {draft && draft.attachments.length > 0 ? (
          <div class="govuk-form-group">
            <fieldset class="govuk-fieldset">
              <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
                {t('letter.form.attachments')}
              </legend>
              <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                {draft.attachments.map((a) => (
                  <div class="govuk-checkboxes__item">
                    <input
                      class="govuk-checkboxes__input"
                      id={`remove-${a.position}`}
                      name="remove"
                      type="checkbox"
                      value={String(a.position)}
                    />
                    <label class="govuk-label govuk-checkboxes__label" for={`remove-${a.position}`}>
                      {t('letter.form.remove', { name: `${a.name} (${formatSize(a.size, lang)})` })}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
        ) : null}
        <FileUpload
          ctx={ctx}
          name="attachments"
          label={t('letter.form.attachments')}
          hint={t('letter.form.attachmentsHint', {
            size: formatSize(policy.maxSizeBytes, lang),
            extensions: acceptedExtensions(policy)
              .map((e) => `.${e}`)
              .join(', '),
          })}
          errors={errors}
          multiple
        />
        <p class="govuk-body-s" role="status" data-autosave-status></p>
        <div class="govuk-button-group">
          <Button>{t('letter.form.save')}</Button>
          <Button name="zapis" value="szkic" secondary>
            {t('letter.form.saveDraft')}
          </Button>
        </div>
      </UploadForm>
    </Layout>
  );
}

export function CheckLetterPage({
  ctx,
  draft,
  officeName,
  canSign,
  senderName,
}: {
  ctx: ViewContext;
  draft: Draft;
  officeName: string;
  canSign: boolean;
  senderName: string;
}) {
  const { t, lang } = ctx;
  // Each "Zmień" says what it changes (WCAG 2.4.4): "Zmień tytuł pisma", the field's label
  // read by screen readers and hidden from sight, as in GOV.UK's summary lists.
  const change = (field: string, label: MessageKey) => (
    <a class="govuk-link" href={`/pisma/szkic/${draft.id}/edytuj#${field}`}>
      {t('letter.check.change')}
      <span class="govuk-visually-hidden"> {t(label).toLocaleLowerCase(lang)}</span>
    </a>
  );
  const rows = [
    { key: t('letter.form.sender'), value: senderName },
    {
      key: t('letter.form.office'),
      value: (
        <>
          {officeName} {change('officeId', 'letter.form.office')}
        </>
      ),
    },
    {
      key: t('letter.form.kind'),
      value: (
        <>
          {t(`letter.kind.${draft.kind}`)} {change('kind', 'letter.form.kind')}
        </>
      ),
    },
    {
      key: t('letter.form.subject'),
      value: (
        <>
          {draft.title} {change('title', 'letter.form.subject')}
        </>
      ),
    },
    {
      key: t('letter.form.place'),
      value: (
        <>
          {draft.place} {change('place', 'letter.form.place')}
        </>
      ),
    },
    {
      key: t('letter.check.attachments'),
      value: (
        <>
          {draft.attachments.length === 0 ? (
            t('letter.check.none')
          ) : (
            <ul class="govuk-list">
              {draft.attachments.map((a) => (
                <li>
                  {a.name} ({formatSize(a.size, lang)})
                </li>
              ))}
            </ul>
          )}{' '}
          {change('attachments', 'letter.check.attachments')}
        </>
      ),
    },
  ];
  return (
    <Layout ctx={ctx} title={t('letter.check.title')}>
      <Heading>{t('letter.check.title')}</Heading>
      <SummaryList rows={rows} />
      <h2 class="govuk-heading-m">{t('letter.check.preview')}</h2>
      <p class="govuk-body">{change('body', 'letter.form.body')}</p>
      <div class="govuk-inset-text" id="letter-preview">
        {paragraphs(draft.body).map((p) => (
          <p class="govuk-body">{p}</p>
        ))}
      </div>
      {canSign ? (
        <form method="post" action={`/pisma/szkic/${draft.id}/podpis`} novalidate>
          <CsrfField ctx={ctx} />
          <Button>{t('letter.check.signSend')}</Button>
        </form>
      ) : (
        <p class="govuk-body">{t('letter.check.noProfile')}</p>
      )}
      <form method="post" action={`/pisma/szkic/${draft.id}/wyslij`} novalidate>
        <CsrfField ctx={ctx} />
        <Button secondary={canSign}>{t('letter.check.send')}</Button>
      </form>
    </Layout>
  );
}

/** Links to the receipt of a filed letter: its page, the signed XML (the proof) and the readable PDF. */
function ReceiptLinks({ ctx, documentId }: { ctx: ViewContext; documentId: string }) {
  const { t } = ctx;
  return (
    <>
      <li>
        <a class="govuk-link" href={`/pisma/${documentId}/upp`}>
          {t('letter.done.page')}
        </a>
      </li>
      <li>
        <a class="govuk-link" id="download-xml" href={`/pisma/${documentId}/upp.xml`} download>
          {t('letter.done.xml')}
        </a>
      </li>
      <li>
        <a class="govuk-link" href={`/pisma/${documentId}/upp.pdf`} download>
          {t('letter.done.pdf')}
        </a>
      </li>
    </>
  );
}

/**
 * The confirmation after filing (GOV.UK "confirmation page"): the receipt number in the panel,
 * then the office and the moment the letter arrived — what the resident may need to quote.
 */
export function LetterFiledPage({ ctx, letter }: { ctx: ViewContext; letter: SentLetterView }) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('letter.done.title')}>
      <Panel title={t('letter.done.title')}>
        {t('letter.done.reference')}
        <br />
        <strong id="receipt-id" class="uo-digest">
          {letter.receiptId}
        </strong>
      </Panel>
      <SummaryList
        rows={[
          { key: t('letter.list.col.office'), value: letter.officeName },
          { key: t('letter.form.subject'), value: letter.title },
          { key: t('letter.done.receivedAt'), value: formatDateTime(letter.receivedAt, lang) },
        ]}
      />
      <h2 class="govuk-heading-m">{t('letter.done.nextTitle')}</h2>
      <p class="govuk-body">{t('letter.done.next')}</p>
      <ul class="govuk-list">
        <ReceiptLinks ctx={ctx} documentId={letter.documentId} />
        <li>
          <a class="govuk-link" href={`/pisma/${letter.documentId}`}>
            {t('letter.done.letter')}
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/pisma">
            {t('letter.done.list')}
          </a>
        </li>
      </ul>
    </Layout>
  );
}

/**
 * A letter the resident filed: what was sent (the letter XML and the attachments, each to
 * download), the receipt, and what the office has done with it so far.
 */
export function SentLetterPage({ ctx, letter }: { ctx: ViewContext; letter: SentLetterView }) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={letter.title}>
      <Heading caption={t('letter.list.sent')}>{letter.title}</Heading>
      <SummaryList
        rows={[
          { key: t('letter.list.col.office'), value: letter.officeName },
          ...(letter.kind && isLetterKind(letter.kind)
            ? [{ key: t('letter.form.kind'), value: t(`letter.kind.${letter.kind}`) }]
            : []),
          { key: t('letter.done.receivedAt'), value: formatDateTime(letter.receivedAt, lang) },
          {
            key: t('letter.list.col.status'),
            value: t(`letter.status.${letter.status as 'received'}`),
          },
          {
            key: t('letter.list.col.number'),
            value: letter.registrationNumber ?? t('letter.page.notRegistered'),
          },
          {
            key: t('letter.done.reference'),
            value: <span class="uo-digest">{letter.receiptId}</span>,
          },
        ]}
      />
      <h2 class="govuk-heading-m">{t('letter.page.files')}</h2>
      <ul class="govuk-list" id="letter-files">
        {letter.files.map((f) => (
          <li>
            <a class="govuk-link" href={`/pisma/${letter.documentId}/pliki/${f.position}`} download>
              {f.role === 'main' ? t('letter.page.mainFile', { name: f.name }) : f.name}
            </a>{' '}
            <span class="govuk-hint govuk-!-display-inline">({formatSize(f.size, lang)})</span>
          </li>
        ))}
      </ul>
      <h2 class="govuk-heading-m">{t('letter.page.receipt')}</h2>
      <p class="govuk-body">{t('letter.page.receiptLead')}</p>
      <ul class="govuk-list">
        <ReceiptLinks ctx={ctx} documentId={letter.documentId} />
      </ul>
      <p class="govuk-body">
        <a class="govuk-link" href="/pisma">
          {t('letter.done.list')}
        </a>
      </p>
    </Layout>
  );
}

/** Filing a document prepared elsewhere (PDF, a file signed with XAdES or PAdES…) with attachments. */
export function ReadyDocumentPage({
  ctx,
  offices,
  policy,
  values = {},
  errors = [],
}: {
  ctx: ViewContext;
  offices: OfficeSummary[];
  policy: OfficePolicy;
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
  return (
    <Layout ctx={ctx} title={t('letter.ready.title')}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading>{t('letter.ready.title')}</Heading>
      <p class="govuk-body">{t('letter.ready.lead')}</p>
      <UploadForm ctx={ctx} action="/pisma/dokument" policy={policy}>
        <Select
          ctx={ctx}
          name="officeId"
          label={t('letter.form.office')}
          value={values.officeId}
          errors={errors}
          options={offices.map((o) => ({ value: o.id, label: o.name }))}
        />
        <Radios
          ctx={ctx}
          name="kind"
          legend={t('letter.form.kind')}
          checked={values.kind ?? 'podanie'}
          errors={errors}
          options={LETTER_KINDS.map((k) => ({ value: k, label: t(`letter.kind.${k}`) }))}
        />
        <TextField
          ctx={ctx}
          name="title"
          label={t('letter.form.subject')}
          value={values.title}
          errors={errors}
          maxLength={LETTER_LIMITS.title}
        />
        <FileUpload
          ctx={ctx}
          name="document"
          label={t('letter.ready.document')}
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
        <Button>{t('letter.ready.submit')}</Button>
      </UploadForm>
    </Layout>
  );
}
