import type { FastifyReply } from 'fastify';
import { AppError } from '../domain/errors';
import type { Services } from '../services/index';
import type { ReceiptRecord } from '../services/read-documents';
import { ReceiptPage, type ReceiptPageLinks } from '../views/pages/receipt';
import { receiptVerificationUrl, renderReceiptPdf } from '../views/receipt-pdf';

/**
 * Sends a stored receipt as its signed XML (the proof) or as the readable PDF made from its
 * verification, always as a download.
 */
export async function sendReceipt(
  reply: FastifyReply,
  services: Services,
  receipt: ReceiptRecord,
  format: string,
): Promise<FastifyReply> {
  const prefix = receipt.kind === 'UPP' ? 'UPP' : receipt.kind === 'UPD' ? 'UPD' : 'DW';
  reply.header('cache-control', 'no-store');
  if (format === 'pdf') {
    const report = await services.checkReceipt(Buffer.from(receipt.xml, 'utf8'));
    const pdf = await renderReceiptPdf(report, {
      verifyUrl: services.verificationUrl(),
    });
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="${prefix}-${receipt.id}.pdf"`)
      .send(pdf);
  }
  if (format !== 'xml')
    throw new AppError({ code: 'bad_format', status: 400, key: 'filing.error.receiptFormat' });
  return reply
    .type('application/xml; charset=utf-8')
    .header('content-disposition', `attachment; filename="${prefix}-${receipt.id}.xml"`)
    .send(receipt.xml);
}

/**
 * Shows a stored receipt as a page, read from its verification like the PDF; `base` is the
 * address of its downloads without the extension (`<base>.xml`, `<base>.pdf`).
 */
export async function showReceipt(
  reply: FastifyReply,
  services: Services,
  receipt: ReceiptRecord,
  links: { base: string; back: ReceiptPageLinks['back'] },
): Promise<FastifyReply> {
  const report = await services.checkReceipt(Buffer.from(receipt.xml, 'utf8'));
  const verify = receiptVerificationUrl(services.verificationUrl(), receipt.id);
  return reply.header('cache-control', 'no-store').page((ctx) =>
    ReceiptPage({
      ctx,
      report,
      links: { xml: `${links.base}.xml`, pdf: `${links.base}.pdf`, verify, back: links.back },
    }),
  );
}
