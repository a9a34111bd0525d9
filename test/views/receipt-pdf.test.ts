import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signReceipt, verifyReceipt, type ReceiptReport } from '../../src/domain/receipts/index';
import { receiptVerificationUrl, renderReceiptPdf } from '../../src/views/receipt-pdf';
import { pdfText } from '../helpers/pdf-text';
import { receiptInput, temporarySeals, OFFICE } from '../helpers/receipts';

const keys = temporarySeals();
let report: ReceiptReport;

before(async () => {
  const seal = await keys.seals.forOffice(OFFICE.id, OFFICE.name);
  const input = receiptInput('UPP', {
    sender: { name: 'Zażółć Gęślą-Jaźń', id: 'konto-7f3a', idType: 'IdentyfikatorKonta' },
  });
  report = await verifyReceipt(Buffer.from(signReceipt(input, seal)), { trustedCaPems: [seal.caPem] });
  assert.equal(report.valid, true);
});
after(() => keys.cleanup());

describe('receipt PDF', () => {
  test('Polish text, every digest, the verification address, DejaVu Sans and a QR image', async () => {
    const pdf = await renderReceiptPdf(report, { verifyUrl: 'https://urzad.example.pl/weryfikacja' });
    const raw = pdf.toString('latin1');
    assert.ok(raw.startsWith('%PDF-'));
    assert.ok(raw.trimEnd().endsWith('%%EOF'));
    assert.match(raw, /\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    assert.match(raw, /\/Subtype \/Image/);
    const text = pdfText(pdf);
    assert.match(text, /Urzędowe poświadczenie przedłożenia \(UPP\)/);
    assert.match(text, /Official submission receipt \(UPP\)/);
    assert.match(text, /Urząd Miasta Częstochowy \(umczestochowa\)/);
    assert.match(text, /Zażółć Gęślą-Jaźń/);
    for (const file of report.files) {
      assert.ok(text.includes(file.sha256), `digest of ${file.name}`);
      assert.ok(text.includes(file.name));
    }
    assert.ok(text.includes(report.entryHash));
    assert.ok(text.includes(`https://urzad.example.pl/weryfikacja?id=${report.receiptId}`));
    assert.match(text, /Dowodem jest plik XML/);
  });

  test('the verification address carries the receipt id, encoded', () => {
    assert.equal(
      receiptVerificationUrl('https://u.example/weryfikacja', 'UPP 1&2'),
      'https://u.example/weryfikacja?id=UPP+1%262',
    );
  });
});
