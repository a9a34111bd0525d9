import { formatSize } from '../../domain/policy';
import type { ReceiptReport } from '../../domain/receipts/index';
import type { MessageKey } from '../../i18n/index';
import { Heading, SummaryList, Table, type SummaryRow } from '../components';
import type { ViewContext } from '../context';
import { formatDate, formatDateTime } from '../dates';
import { Layout } from '../layout';

export interface ReceiptPageLinks {
  /** The signed XML (the proof) and the PDF of the same receipt. */
  xml: string;
  pdf: string;
  /** The public verification page of this receipt. */
  verify: string;
  /** The page the receipt belongs to (the letter, the document). */
  back: { href: string; label: MessageKey };
}

/**
 * A receipt (UPP, proof of sending, UPD) read as a page: the same verified reading the PDF is
 * made from, in the reader's language. The XML stays the proof and is linked from here.
 */
export function ReceiptPage({
  ctx,
  report,
  links,
}: {
  ctx: ViewContext;
  report: ReceiptReport;
  links: ReceiptPageLinks;
}) {
  const { t, lang } = ctx;
  const kind = report.kind ?? 'UPP';
  const rows: SummaryRow[] = [{ key: t('receipt.page.number'), value: report.receiptId ?? '—' }];
  if (report.title) rows.push({ key: t('receipt.pdf.title'), value: report.title });
  if (report.caseReference) rows.push({ key: t('receipt.pdf.caseReference'), value: report.caseReference });
  if (report.office) {
    rows.push({ key: t('receipt.pdf.office'), value: report.office.name });
    rows.push({ key: t('receipt.pdf.boxAddress'), value: report.office.boxAddress });
  }
  if (report.sentBy) rows.push({ key: t('receipt.pdf.sentBy'), value: report.sentBy });
  if (report.party)
    rows.push({
      key: t(kind === 'UPP' ? 'receipt.pdf.sender' : 'receipt.pdf.recipient'),
      value: report.party.name,
    });
  if (report.enteredAt)
    rows.push({
      key: t(
        kind === 'sending'
          ? 'receipt.pdf.sentAt'
          : kind === 'UPD'
            ? 'receipt.pdf.receivedAt'
            : 'receipt.pdf.enteredAt',
      ),
      value: formatDateTime(report.enteredAt, lang),
    });
  if (report.arrivedAt)
    rows.push({ key: t('receipt.pdf.arrivedAt'), value: formatDateTime(report.arrivedAt, lang) });
  if (kind === 'UPD')
    rows.push({
      key: t('receipt.pdf.deemed'),
      value: t(report.deemed ? 'receipt.pdf.yes' : 'receipt.pdf.no'),
    });
  if (report.termFrom)
    rows.push({ key: t('receipt.pdf.termFrom'), value: formatDate(report.termFrom, lang) });
  if (report.issuedAt)
    rows.push({ key: t('receipt.pdf.issuedAt'), value: formatDateTime(report.issuedAt, lang) });
  if (report.documentId) rows.push({ key: t('receipt.pdf.documentId'), value: report.documentId });
  if (report.logIndex !== undefined)
    rows.push({ key: t('receipt.pdf.logIndex'), value: String(report.logIndex) });
  if (report.signer) rows.push({ key: t('receipt.pdf.signer'), value: report.signer.subject });

  return (
    <Layout ctx={ctx} title={t(`receipt.kind.${kind}`)}>
      <a class="govuk-back-link" href={links.back.href}>
        {t(links.back.label)}
      </a>
      <Heading>{t(`receipt.kind.${kind}`)}</Heading>
      <SummaryList rows={rows} />
      <Table
        caption={t('receipt.pdf.files')}
        head={[t('receipt.page.fileRole'), t('receipt.page.fileName'), t('receipt.page.fileSize'), 'SHA-256']}
        rows={report.files.map((f) => [
          t(f.role === 'main' ? 'receipt.pdf.mainDocument' : 'receipt.pdf.attachment'),
          f.name,
          formatSize(f.size, lang),
          <span class="uo-hash">{f.sha256}</span>,
        ])}
      />
      <p class="govuk-body">{t('receipt.page.xmlIsProof')}</p>
      <ul class="govuk-list">
        <li>
          <a class="govuk-link" href={links.xml} download>
            {t('receipt.page.xml')}
          </a>
        </li>
        <li>
          <a class="govuk-link" href={links.pdf} download>
            {t('receipt.page.pdf')}
          </a>
        </li>
        <li>
          <a class="govuk-link" href={links.verify}>
            {t('receipt.page.verify')}
          </a>
        </li>
      </ul>
    </Layout>
  );
}
