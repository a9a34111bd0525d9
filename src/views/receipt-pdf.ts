import type { ReceiptReport } from '../domain/receipts/index';
import { warsawHumanDateTime } from '../domain/legal-time';
import { translate, type Lang } from '../i18n/index';

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const FONT_BOLD = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

/** Times as people in Poland read them (Europe/Warsaw, with the zone and offset), the UTC value beside. */
function warsawTime(iso: string | undefined): string {
  if (!iso) return '—';
  return `${warsawHumanDateTime(new Date(iso))}; ${iso}`;
}

/** The public verification address of a receipt: `<verifyUrl>?id=<receiptId>`. */
export function receiptVerificationUrl(verifyUrl: string, receiptId: string): string {
  const url = new URL(verifyUrl);
  url.searchParams.set('id', receiptId);
  return url.toString();
}

/**
 * A human-readable PDF of a verified receipt: Polish first with English beside, every digest
 * in full, and a QR code to the public verification page. The XML stays the proof.
 */
export async function renderReceiptPdf(
  report: ReceiptReport,
  options: { verifyUrl: string },
): Promise<Buffer> {
  if (!report.kind || !report.receiptId)
    throw new Error('a receipt report without kind or id cannot be printed');
  // Loaded on the first PDF, not at every start: pdfkit and its fonts' code are large.
  const [{ default: PDFDocument }, { default: QRCode }] = await Promise.all([
    import('pdfkit'),
    import('qrcode'),
  ]);
  const url = receiptVerificationUrl(options.verifyUrl, report.receiptId);
  const qr = await QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 240 });
  const both = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
    (['pl', 'en'] as Lang[]).map((lang) => translate(lang, key, params));

  const title = `${both(`receipt.kind.${report.kind}`)[0]} ${report.receiptId}`;
  // Tagged (PDF/UA as far as pdfkit goes): a structure tree in reading order, the document's
  // language, the title shown instead of the file name, the QR code as a figure with its
  // alternative text and the address as a real link.
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'pl-PL',
    displayTitle: true,
    info: {
      Title: title,
      ...(report.issuedAt ? { CreationDate: new Date(report.issuedAt) } : {}),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.registerFont('regular', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const root = doc.struct('Document');
  doc.addStructure(root);
  /** One element of the structure tree; `draw` puts its content on the page. */
  const tag = (type: string, draw: () => void, options: { lang?: string; alt?: string } = {}) => {
    root.add(doc.struct(type, options, draw));
  };
  const [titlePl, titleEn] = both(`receipt.kind.${report.kind}`);
  tag('H1', () => {
    doc
      .font('bold')
      .fontSize(16)
      .text(titlePl ?? '');
  });
  tag(
    'P',
    () => {
      doc
        .font('regular')
        .fontSize(11)
        .fillColor('#444444')
        .text(titleEn ?? '')
        .fillColor('black');
    },
    { lang: 'en-GB' },
  );
  doc.moveDown();

  const row = (key: Parameters<typeof translate>[1], value: string) => {
    const [pl, en] = both(key);
    tag('P', () => doc.font('bold').fontSize(9).text(`${pl} / ${en}`));
    tag('P', () => doc.font('regular').fontSize(10).text(value));
    doc.moveDown(0.4);
  };
  row('receipt.pdf.receiptId', report.receiptId);
  row('receipt.pdf.documentId', report.documentId ?? '—');
  if (report.title) row('receipt.pdf.title', report.title);
  if (report.caseReference) row('receipt.pdf.caseReference', report.caseReference);
  row('receipt.pdf.office', `${report.office?.name ?? '—'} (${report.office?.id ?? '—'})`);
  if (report.office) row('receipt.pdf.boxAddress', report.office.boxAddress);
  if (report.sentBy) row('receipt.pdf.sentBy', report.sentBy);
  if (report.party)
    row(
      report.kind === 'UPP' ? 'receipt.pdf.sender' : 'receipt.pdf.recipient',
      `${report.party.name} (${report.party.idType}: ${report.party.id})`,
    );
  row(
    report.kind === 'sending'
      ? 'receipt.pdf.sentAt'
      : report.kind === 'UPD'
        ? 'receipt.pdf.receivedAt'
        : 'receipt.pdf.enteredAt',
    warsawTime(report.enteredAt),
  );
  if (report.arrivedAt) row('receipt.pdf.arrivedAt', warsawTime(report.arrivedAt));
  if (report.kind === 'UPD')
    row('receipt.pdf.deemed', both(report.deemed ? 'receipt.pdf.yes' : 'receipt.pdf.no').join(' / '));
  if (report.termFrom) row('receipt.pdf.termFrom', report.termFrom);
  row('receipt.pdf.issuedAt', warsawTime(report.issuedAt));
  if (report.logIndex !== undefined) row('receipt.pdf.logIndex', String(report.logIndex));
  if (report.signer) row('receipt.pdf.signer', `${report.signer.subject}\n${report.signer.issuer}`);

  doc.moveDown(0.5);
  tag('H2', () => doc.font('bold').fontSize(11).text(both('receipt.pdf.files').join(' / ')));
  doc.moveDown(0.3);
  for (const file of report.files) {
    const [role] = both(file.role === 'main' ? 'receipt.pdf.mainDocument' : 'receipt.pdf.attachment');
    tag('P', () => {
      doc.font('regular').fontSize(10).text(`${role}: ${file.name} (${file.size} B)`);
      doc.fontSize(8.5).text(`SHA-256: ${file.sha256}`);
    });
    doc.moveDown(0.3);
  }
  tag('P', () => doc.fontSize(8.5).text(`SHA-256 (XML): ${report.entryHash}`));

  doc.moveDown();
  const qrTop = doc.y;
  tag('Figure', () => doc.image(qr, 50, qrTop, { width: 110 }), {
    alt: `${translate('pl', 'receipt.pdf.qrAlt')} ${url}`,
  });
  tag('P', () =>
    doc.font('regular').fontSize(9).text(both('receipt.pdf.verifyAt').join('\n'), 175, qrTop, { width: 370 }),
  );
  tag(
    'Link',
    () => doc.fontSize(9).fillColor('#1d70b8').text(url, { width: 370, link: url, underline: true }),
    {
      alt: url,
    },
  );
  doc.fillColor('black');
  doc.moveDown(0.5);
  tag('P', () =>
    doc.fontSize(8.5).fillColor('#444444').text(both('receipt.pdf.xmlIsProof').join('\n'), { width: 370 }),
  );
  root.end();
  doc.end();
  return done;
}
