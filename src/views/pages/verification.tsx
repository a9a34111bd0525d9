import type { FieldError } from '../../domain/errors';
import { fileFindings, findingText, logFinding, type Verification } from '../../domain/verification/index';
import {
  Button,
  ErrorSummary,
  FileUpload,
  Heading,
  InsetText,
  Panel,
  Paragraphs,
  SummaryList,
  type SummaryRow,
  UploadForm,
} from '../components';
import type { ViewContext } from '../context';
import { formatDateTime } from '../dates';
import { Layout } from '../layout';

/** A time as shown here: Europe/Warsaw, with the exact UTC value the receipt carries. */
const when = (ctx: ViewContext, iso: string) => `${formatDateTime(iso, ctx.lang)} (UTC ${iso})`;

export function VerifyFormPage({
  ctx,
  limit,
  receiptId,
  errors = [],
}: {
  ctx: ViewContext;
  limit: string;
  receiptId?: string | undefined;
  errors?: FieldError[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('verification.title')}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading>{t('verification.title')}</Heading>
      {receiptId ? <InsetText>{t('verification.idIntro', { id: receiptId })}</InsetText> : null}
      <Paragraphs text={t('verification.intro')} />
      <UploadForm ctx={ctx} action="/weryfikacja">
        <FileUpload
          ctx={ctx}
          name="receipt"
          label={t('verification.form.receipt')}
          hint={t('verification.form.receiptHint')}
          errors={errors}
        />
        <FileUpload
          ctx={ctx}
          name="files"
          label={t('verification.form.files')}
          hint={t('verification.form.filesHint', { limit })}
          errors={errors}
          multiple
        />
        <Button>{t('verification.form.submit')}</Button>
      </UploadForm>
    </Layout>
  );
}

function Finding({ ok, text }: { ok: boolean; text: string }) {
  return <li class={ok ? undefined : 'govuk-!-font-weight-bold'}>{text}</li>;
}

/** The result: everything shown is text read from the receipt and rendered escaped, never markup. */
export function VerifyResultPage({ ctx, verification }: { ctx: ViewContext; verification: Verification }) {
  const { t } = ctx;
  const { report } = verification;
  const files = fileFindings(report.files, verification.files);
  const log = logFinding(verification.log, report.logIndex);
  const problems = [
    ...report.reasons.map((r) => t(r.key, r.params)),
    ...files.filter((f) => !f.ok).map((f) => findingText(t, f)),
    ...(report.kind && !log.ok ? [findingText(t, log)] : []),
  ];
  const rows: SummaryRow[] = [];
  if (report.kind) {
    rows.push({ key: t('verification.row.kind'), value: t(`receipt.kind.${report.kind}`) });
    if (report.receiptId) rows.push({ key: t('verification.row.receiptId'), value: report.receiptId });
    if (report.signer) rows.push({ key: t('verification.row.issuer'), value: report.signer.subject });
    if (report.office)
      rows.push({ key: t('verification.row.office'), value: `${report.office.name} (${report.office.id})` });
    if (report.party) rows.push({ key: t('verification.row.party'), value: report.party.name });
    if (report.enteredAt) {
      const label =
        report.kind === 'sending'
          ? 'verification.row.sentAt'
          : report.kind === 'UPD'
            ? 'verification.row.receivedAt'
            : 'verification.row.enteredAt';
      rows.push({ key: t(label), value: when(ctx, report.enteredAt) });
    }
    if (report.issuedAt)
      rows.push({ key: t('verification.row.issuedAt'), value: when(ctx, report.issuedAt) });
    if (report.documentId) rows.push({ key: t('verification.row.documentId'), value: report.documentId });
  }
  const checks: SummaryRow[] = [
    {
      key: t('verification.row.signature'),
      value: t(report.valid ? 'verification.signature.ok' : 'verification.signature.bad'),
    },
  ];
  if (report.kind) {
    checks.push({
      key: t('verification.row.files'),
      value: (
        <ul class="govuk-list">
          {files.length === 0 ? (
            <li>{t('verification.file.none')}</li>
          ) : (
            files.map((f) => <Finding ok={f.ok} text={findingText(t, f)} />)
          )}
        </ul>
      ),
    });
    checks.push({ key: t('verification.row.log'), value: findingText(t, log) });
  }
  checks.push({
    key: t('verification.row.entryHash'),
    value: <span class="uo-hash">{report.entryHash}</span>,
  });
  return (
    <Layout
      ctx={ctx}
      title={t(verification.valid ? 'verification.result.valid' : 'verification.result.invalid')}
    >
      {verification.valid ? (
        <Panel title={t('verification.result.valid')} />
      ) : (
        <>
          <Heading>{t('verification.result.invalid')}</Heading>
          <div class="govuk-error-summary" id="verification-problems">
            <h2 class="govuk-error-summary__title">{t('verification.result.reasons')}</h2>
            <div class="govuk-error-summary__body">
              <ul class="govuk-list govuk-list--bullet">
                {problems.map((p) => (
                  <li>{p}</li>
                ))}
              </ul>
            </div>
          </div>
        </>
      )}
      <h2 class="govuk-heading-m">{t('verification.result.details')}</h2>
      {rows.length > 0 ? (
        <SummaryList rows={rows} />
      ) : (
        <p class="govuk-body">{t('verification.result.noDetails')}</p>
      )}
      <h2 class="govuk-heading-m">{t('verification.result.checks')}</h2>
      <SummaryList rows={checks} />
      {report.files.length > 0 ? (
        <>
          <h2 class="govuk-heading-m">{t('verification.result.filesHeading')}</h2>
          <ul class="govuk-list">
            {report.files.map((f) => (
              <li>
                {t(f.role === 'main' ? 'receipt.pdf.mainDocument' : 'receipt.pdf.attachment')}: {f.name} (
                {f.size} B), SHA-256 <span class="uo-hash">{f.sha256}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p class="govuk-body">{t('verification.result.notStored')}</p>
      <p class="govuk-body">
        <a class="govuk-link" href="/weryfikacja">
          {t('verification.again')}
        </a>
      </p>
    </Layout>
  );
}
