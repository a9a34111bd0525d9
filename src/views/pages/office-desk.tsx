import type { FieldError } from '../../domain/errors';
import { CSV_FORMS, DOCUMENT_STATUSES, SIGNATURE_STATUSES } from '../../domain/journal/index';
import { LETTER_KINDS } from '../../domain/letters/letter-kind';
import { formatSize } from '../../domain/policy';
import type { BoxFilters, BoxPage, OfficeDocument } from '../../services/office-box';
import {
  Button,
  ErrorSummary,
  Form,
  Heading,
  NotificationBanner,
  Radios,
  Select,
  SummaryList,
  Table,
  Textarea,
  TextField,
} from '../components';
import type { MessageKey, ViewContext } from '../context';
import { formatDateTime } from '../dates';
import { Layout } from '../layout';
import type { DeliveryView } from '../../services/deliver-letter';
import { Replies } from './office-answers';

type Office = { id: string; name: string };

const statusLabel = (ctx: ViewContext, status: string) => ctx.t(`letter.status.${status}` as MessageKey);
const signatureLabel = (ctx: ViewContext, status: string) => ctx.t(`box.signature.${status}` as MessageKey);
const kindLabel = (ctx: ViewContext, kind: string | null) =>
  kind && (LETTER_KINDS as readonly string[]).includes(kind)
    ? ctx.t(`letter.kind.${kind}` as MessageKey)
    : '—';

function boxQuery(filters: BoxFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, ...extra }))
    if (value && !(key === 'sort' && value === 'newest')) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** /urzad/{officeId}/skrzynka: the box with filters (a GET form) and keyset pages. */
export function BoxListPage({
  ctx,
  office,
  page,
  errors = [],
  exportErrors = [],
  exportValues = {},
}: {
  ctx: ViewContext;
  office: Office;
  page: BoxPage;
  errors?: FieldError[];
  exportErrors?: FieldError[];
  exportValues?: { from?: string; to?: string; form?: string };
}) {
  const { t, lang } = ctx;
  const f = page.filters;
  const any = { value: '', label: t('box.filter.any') };
  const base = `/urzad/${office.id}/skrzynka`;
  return (
    <Layout ctx={ctx} title={`${t('box.title')} — ${office.name}`} wide>
      <ErrorSummary ctx={ctx} errors={[...errors, ...exportErrors]} />
      <Heading caption={office.name}>{t('box.title')}</Heading>
      <form method="get" action={base} novalidate>
        <h2 class="govuk-heading-m">{t('box.filters')}</h2>
        <TextField
          ctx={ctx}
          name="q"
          label={t('box.filter.q')}
          hint={t('box.filter.qHint')}
          value={f.q}
          errors={errors}
          width={30}
        />
        <div class="uo-filter-grid">
          <Select
            ctx={ctx}
            name="status"
            label={t('box.filter.status')}
            value={f.status}
            errors={errors}
            options={[any, ...DOCUMENT_STATUSES.map((s) => ({ value: s, label: statusLabel(ctx, s) }))]}
          />
          <Select
            ctx={ctx}
            name="kind"
            label={t('box.filter.kind')}
            value={f.kind}
            errors={errors}
            options={[any, ...LETTER_KINDS.map((k) => ({ value: k, label: kindLabel(ctx, k) }))]}
          />
          <Select
            ctx={ctx}
            name="signature"
            label={t('box.filter.signature')}
            value={f.signature}
            errors={errors}
            options={[any, ...SIGNATURE_STATUSES.map((s) => ({ value: s, label: signatureLabel(ctx, s) }))]}
          />
          <Select
            ctx={ctx}
            name="department"
            label={t('box.filter.department')}
            value={f.department}
            errors={errors}
            options={[any, ...page.departments.map((d) => ({ value: d.id, label: d.name }))]}
          />
          <TextField
            ctx={ctx}
            name="from"
            label={t('box.filter.from')}
            value={f.from}
            errors={errors}
            width={10}
          />
          <TextField ctx={ctx} name="to" label={t('box.filter.to')} value={f.to} errors={errors} width={10} />
          <Select
            ctx={ctx}
            name="sort"
            label={t('box.filter.sort')}
            value={f.sort}
            options={[
              { value: 'newest', label: t('box.sort.newest') },
              { value: 'oldest', label: t('box.sort.oldest') },
            ]}
          />
        </div>
        <div class="govuk-button-group">
          <Button>{t('box.filter.apply')}</Button>
          <a class="govuk-link" href={base}>
            {t('box.filter.clear')}
          </a>
        </div>
      </form>
      {page.items.length === 0 ? (
        <p class="govuk-body" id="box-empty">
          {t('box.empty')}
        </p>
      ) : (
        <Table
          caption={t('box.title')}
          head={[
            t('box.col.title'),
            t('box.col.sender'),
            t('box.col.kind'),
            t('box.col.received'),
            t('box.col.size'),
            t('box.col.signature'),
            t('box.col.findings'),
            t('box.col.status'),
            t('box.col.number'),
            t('box.col.receipt'),
          ]}
          rows={page.items.map((item) => [
            <a
              class="govuk-link"
              href={`/urzad/${office.id}/dokumenty/${item.documentId}`}
              data-seq={String(item.seq)}
            >
              {item.title}
            </a>,
            item.senderName,
            kindLabel(ctx, item.kind),
            formatDateTime(item.receivedAt, lang),
            formatSize(item.totalSize, lang),
            signatureLabel(ctx, item.signatureStatus),
            item.findings > 0 ? t('box.findings.count', { count: item.findings }) : '—',
            statusLabel(ctx, item.status) + (item.departmentName ? ` (${item.departmentName})` : ''),
            item.registrationNumber ?? '—',
            <code>{item.receiptId}</code>,
          ])}
        />
      )}
      <nav class="govuk-pagination govuk-pagination--block" aria-label={t('box.next')}>
        {page.next !== undefined ? (
          <div class="govuk-pagination__next">
            <a
              class="govuk-link govuk-pagination__link"
              href={`${base}${boxQuery(f, { after: String(page.next) })}`}
              rel="next"
            >
              <span class="govuk-pagination__link-title">{t('box.next')}</span>
            </a>
          </div>
        ) : null}
        <p class="govuk-body">
          <a class="govuk-link" href={`${base}${boxQuery(f)}`}>
            {t('box.first')}
          </a>
        </p>
      </nav>
      <h2 class="govuk-heading-m" id="dziennik">
        {t('box.export.title')}
      </h2>
      {/* Its own field names (and so ids): the labels must not point at the filter's from/to. */}
      <form method="get" action={`/urzad/${office.id}/dziennik.csv`} novalidate>
        <TextField
          ctx={ctx}
          name="exportFrom"
          label={t('box.export.from')}
          hint={t('box.export.dateHint')}
          value={exportValues.from}
          errors={exportErrors}
          width={10}
        />
        <TextField
          ctx={ctx}
          name="exportTo"
          label={t('box.export.to')}
          hint={t('box.export.dateHint')}
          value={exportValues.to}
          errors={exportErrors}
          width={10}
        />
        <Radios
          ctx={ctx}
          name="exportForm"
          legend={t('box.export.form')}
          checked={exportValues.form || 'spreadsheet'}
          errors={exportErrors}
          options={CSV_FORMS.map((form) => ({
            value: form,
            label: t(`box.export.form.${form}`),
            hint: t(`box.export.form.${form}Hint`),
          }))}
        />
        <Button secondary>{t('box.export.submit')}</Button>
      </form>
    </Layout>
  );
}

const NOTICES = {
  registered: 'box.register.done',
  assigned: 'box.assign.done',
  noted: 'box.notes.done',
  closed: 'box.close.done',
} as const satisfies Record<string, MessageKey>;
export type DocumentNotice = keyof typeof NOTICES;
export const isDocumentNotice = (value: unknown): value is DocumentNotice =>
  typeof value === 'string' && value in NOTICES;

/** One signature found on the filed files, as stored with the document. */
interface StoredFinding {
  file: string;
  kind: string;
  status: string;
  category?: string;
  signer?: { subject: string };
  person?: { firstName?: string; familyName?: string; dateOfBirth?: string };
  peselMatch?: boolean;
  signingTime?: string;
  revocation?: { status: string; source?: string; issuedAt?: string; revokedAt?: string };
  sealOrganisation?: string;
  timestamp?: { status: 'valid' | 'invalid'; time?: string; authority?: string };
  reasons: { key: MessageKey; params?: Record<string, string | number> }[];
}

/** For each signature: its kind, the signer, the PESEL match with the sender, the time, and why it is or is not valid. */
function SignatureFindings({ ctx, report }: { ctx: ViewContext; report: unknown }) {
  if (!Array.isArray(report)) return null;
  const { t, lang } = ctx;
  return (
    <>
      {(report as StoredFinding[]).map((f) => {
        const name = [f.person?.firstName, f.person?.familyName].filter(Boolean).join(' ');
        return (
          <>
            <h3 class="govuk-heading-s">{t('signature.view.file', { file: f.file, kind: f.kind })}</h3>
            <SummaryList
              rows={[
                {
                  key: t('box.doc.signature.status'),
                  value: t(`signature.status.${f.status}` as MessageKey),
                },
                {
                  key: t('signature.view.category'),
                  value: t(`signature.category.${f.category ?? 'none'}` as MessageKey),
                },
                { key: t('box.doc.signature.signer'), value: name || '—' },
                ...(f.sealOrganisation
                  ? [{ key: t('signature.view.sealOrganisation'), value: f.sealOrganisation }]
                  : []),
                {
                  key: t('signature.view.pesel'),
                  value: t(
                    f.peselMatch === undefined
                      ? 'signature.peselMatch.unknown'
                      : f.peselMatch
                        ? 'signature.peselMatch.yes'
                        : 'signature.peselMatch.no',
                  ),
                },
                {
                  key: t('box.doc.signature.signedAt'),
                  value: f.signingTime ? formatDateTime(f.signingTime, lang) : '—',
                },
                ...(f.timestamp
                  ? [
                      {
                        key: t('signature.view.timestamp'),
                        value:
                          f.timestamp.status === 'valid'
                            ? t('signature.timestamp.valid', {
                                time: f.timestamp.time ? formatDateTime(f.timestamp.time, lang) : '',
                                authority: f.timestamp.authority ?? '',
                              })
                            : t('signature.timestamp.invalid'),
                      },
                    ]
                  : []),
                { key: t('signature.view.certificate'), value: f.signer?.subject ?? '—' },
                {
                  key: t('signature.view.revocation'),
                  value: f.revocation
                    ? t(`signature.revocation.${f.revocation.status}` as MessageKey, {
                        source: f.revocation.source ?? '',
                        issuedAt: f.revocation.issuedAt ? formatDateTime(f.revocation.issuedAt, lang) : '',
                        revokedAt: f.revocation.revokedAt ? formatDateTime(f.revocation.revokedAt, lang) : '',
                      })
                    : '—',
                },
                {
                  key: t('box.doc.signature.details'),
                  value: f.reasons.length > 0 ? f.reasons.map((r) => t(r.key, r.params)).join(' ') : '—',
                },
              ]}
            />
          </>
        );
      })}
    </>
  );
}

/** /urzad/{officeId}/dokumenty/{documentId}: the letter as text, its files as downloads, the journal actions. */
export function OfficeDocumentPage({
  ctx,
  office,
  view,
  notice,
  errors = [],
  values = {},
  replies = [],
}: {
  ctx: ViewContext;
  office: Office;
  view: OfficeDocument;
  replies?: DeliveryView[];
  notice?: DocumentNotice | undefined;
  errors?: FieldError[];
  values?: { note?: string; departmentId?: string; assigneeId?: string };
}) {
  const { t, lang } = ctx;
  const d = view.document;
  const base = `/urzad/${office.id}/dokumenty/${d.documentId}`;
  const open = d.status !== 'closed';
  return (
    <Layout ctx={ctx} title={t('box.doc.title', { title: d.title })}>
      <p class="govuk-body">
        <a class="govuk-link" href={`/urzad/${office.id}/skrzynka`}>
          {t('box.doc.back')}
        </a>
      </p>
      <ErrorSummary ctx={ctx} errors={errors} />
      {notice ? (
        <NotificationBanner title={t('notice.title')} success>
          <p class="govuk-notification-banner__heading" id="notice">
            {t(NOTICES[notice], { number: view.registrationNumber ?? '' })}
          </p>
        </NotificationBanner>
      ) : null}
      <Heading caption={office.name}>{d.title}</Heading>
      <h2 class="govuk-heading-m">{t('box.doc.summary')}</h2>
      <SummaryList
        rows={[
          {
            key: t('box.col.number'),
            value: <span id="registration-number">{view.registrationNumber ?? '—'}</span>,
          },
          { key: t('box.col.status'), value: <span id="document-status">{statusLabel(ctx, d.status)}</span> },
          { key: t('box.col.sender'), value: d.sender.name },
          { key: t('box.col.kind'), value: kindLabel(ctx, d.kind) },
          { key: t('box.col.received'), value: formatDateTime(d.receivedAt, lang) },
          { key: t('box.col.size'), value: formatSize(d.totalSize, lang) },
          { key: t('box.doc.box'), value: <code>{d.box}</code> },
          ...(view.registeredAt
            ? [{ key: t('box.doc.registeredAt'), value: formatDateTime(view.registeredAt, lang) }]
            : []),
          ...(view.department ? [{ key: t('box.doc.department'), value: view.department.name }] : []),
          ...(view.assignee ? [{ key: t('box.doc.assignee'), value: view.assignee.name }] : []),
          ...(view.closedAt
            ? [{ key: t('box.doc.closedAt'), value: formatDateTime(view.closedAt, lang) }]
            : []),
        ]}
      />

      <h2 class="govuk-heading-m">{t('box.doc.letter')}</h2>
      {view.letter ? (
        <div class="uo-letter" id="letter">
          <p class="govuk-body govuk-!-font-weight-bold">{view.letter.title}</p>
          <p class="govuk-body">
            {view.letter.senderName}
            {view.letter.place ? `, ${t('box.doc.letterPlace')}: ${view.letter.place}` : ''}
          </p>
          {view.letter.paragraphs.map((p) => (
            <p class="govuk-body uo-preserve-lines">{p}</p>
          ))}
          {view.letter.attachments.length > 0 ? (
            <>
              <p class="govuk-body">{t('box.doc.letterAttachments')}:</p>
              <ul class="govuk-list govuk-list--bullet">
                {view.letter.attachments.map((a) => (
                  <li>{a}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : (
        <p class="govuk-body">{t('box.doc.notLetter')}</p>
      )}

      <Table
        caption={t('box.doc.files')}
        head={[
          t('box.doc.file.name'),
          t('box.doc.file.role'),
          t('box.col.size'),
          'SHA-256',
          t('box.col.findings'),
        ]}
        rows={d.files.map((file) => [
          <a class="govuk-link" href={`${base}/pliki/${file.position}`} download>
            {file.name}
            <span class="govuk-visually-hidden"> ({t('box.doc.file.download', { name: file.name })})</span>
          </a>,
          t(file.role === 'main' ? 'box.doc.file.main' : 'box.doc.file.attachment'),
          formatSize(file.size, lang),
          <code class="uo-digest">{file.sha256}</code>,
          file.findings.length > 0
            ? (file.findings as { key: MessageKey; params?: Record<string, string | number> }[])
                .map((x) => t(x.key, x.params))
                .join(' ')
            : '—',
        ])}
      />

      <h2 class="govuk-heading-m">{t('box.doc.signature')}</h2>
      <SummaryList
        rows={[
          {
            key: t('box.doc.signature.status'),
            value: <span id="signature-status">{signatureLabel(ctx, d.signature.status)}</span>,
          },
        ]}
      />
      <SignatureFindings ctx={ctx} report={d.signature.report} />

      <h2 class="govuk-heading-m">{t('box.doc.receipt')}</h2>
      <p class="govuk-body">
        <code>{d.receiptId}</code>
      </p>
      <ul class="govuk-list">
        <li>
          <a class="govuk-link" href={`${base}/upp`}>
            {t('box.doc.receiptPage')}
          </a>
        </li>
        <li>
          <a class="govuk-link" href={`${base}/upp.xml`}>
            {t('box.doc.receiptXml')}
          </a>
        </li>
        <li>
          <a class="govuk-link" href={`${base}/upp.pdf`}>
            {t('box.doc.receiptPdf')}
          </a>
        </li>
      </ul>

      <Replies ctx={ctx} officeId={office.id} documentId={d.documentId} replies={replies} />

      {d.status === 'received' ? (
        <>
          <h2 class="govuk-heading-m">{t('box.register.title')}</h2>
          <Form ctx={ctx} action={`${base}/rejestruj`}>
            <Button>{t('box.register.submit')}</Button>
          </Form>
        </>
      ) : null}
      {open && d.status !== 'received' ? (
        <>
          <h2 class="govuk-heading-m">{t('box.assign.title')}</h2>
          <Form ctx={ctx} action={`${base}/przekaz`}>
            <Select
              ctx={ctx}
              name="departmentId"
              label={t('box.assign.department')}
              errors={errors}
              value={values.departmentId ?? view.department?.id}
              options={[
                { value: '', label: t('box.assign.choose') },
                ...view.departments.map((x) => ({ value: x.id, label: x.name })),
              ]}
            />
            <Select
              ctx={ctx}
              name="assigneeId"
              label={t('box.assign.assignee')}
              errors={errors}
              value={values.assigneeId ?? view.assignee?.accountId}
              options={[
                { value: '', label: t('box.assign.nobody') },
                ...view.clerks.map((c) => ({ value: c.accountId, label: c.name })),
              ]}
            />
            <Button>{t('box.assign.submit')}</Button>
          </Form>
          <h2 class="govuk-heading-m">{t('box.close.title')}</h2>
          <Form ctx={ctx} action={`${base}/zamknij`}>
            <Button secondary>{t('box.close.submit')}</Button>
          </Form>
        </>
      ) : null}

      <h2 class="govuk-heading-m">{t('box.notes.title')}</h2>
      {view.notes.length === 0 ? <p class="govuk-body">{t('box.notes.none')}</p> : null}
      {view.notes.map((n) => (
        <div class="govuk-inset-text">
          <p class="govuk-body-s">
            {n.authorName}, {formatDateTime(n.createdAt, lang)}
          </p>
          <p class="govuk-body uo-preserve-lines">{n.body}</p>
        </div>
      ))}
      <Form ctx={ctx} action={`${base}/notatki`}>
        <Textarea ctx={ctx} name="note" label={t('box.notes.body')} value={values.note} errors={errors} />
        <Button secondary>{t('box.notes.submit')}</Button>
      </Form>
    </Layout>
  );
}
