import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { signReceipt, verifyReceipt, type ReceiptReport } from '../../src/domain/receipts/index';
import { receiptVerificationUrl, renderReceiptPdf } from '../../src/views/receipt-pdf';
import { pdfQrCodes, pdfText } from '../helpers/pdf-text';
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
    // The QR code, read from the rendered page, opens the verification of this very receipt.
    assert.deepEqual(pdfQrCodes(pdf), [`https://urzad.example.pl/weryfikacja?id=${report.receiptId}`]);
  });

  test('tagged: structure tree, language, title shown, the QR code as a figure with alternative text, the address a link', async () => {
    const pdf = await renderReceiptPdf(report, { verifyUrl: 'https://urzad.example.pl/weryfikacja' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uo-pdf-'));
    try {
      const file = path.join(dir, 'upp.pdf');
      fs.writeFileSync(file, pdf);
      // pdfinfo (poppler), an independent reader, decides what the PDF declares.
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      assert.match(info, /^Tagged:\s+yes$/m);
      assert.match(
        info,
        new RegExp(`^Title:\\s+Urzędowe poświadczenie przedłożenia \\(UPP\\) ${report.receiptId}$`, 'm'),
      );
      const structure = execFileSync('pdfinfo', ['-struct-text', file], { encoding: 'utf8' });
      assert.match(structure, /^Document\b/m);
      assert.match(structure, /^\s+H1\b/m);
      assert.match(structure, /^\s+H2\b/m);
      assert.match(structure, /^\s+Figure\b/m);
      assert.match(structure, /^\s+Link\b/m);
      assert.match(structure, /Urzędowe poświadczenie przedłożenia \(UPP\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const raw = pdf.toString('latin1');
    assert.match(raw, /\/Lang \(pl-PL\)/);
    assert.match(raw, /\/DisplayDocTitle true/);
    assert.match(raw, /\/Lang \(en-GB\)/, 'the English title is marked as English');
    assert.match(raw, /\/S \/Figure[\s\S]*?\/Alt \(/);
    assert.match(raw, /\/Subtype \/Link\b/);
    assert.match(raw, /\/S \/URI\s+\/URI \(https:\/\/urzad\.example\.pl\/weryfikacja\?id=/);
  });

  test('the verification address carries the receipt id, encoded', () => {
    assert.equal(
      receiptVerificationUrl('https://u.example/weryfikacja', 'UPP 1&2'),
      'https://u.example/weryfikacja?id=UPP+1%262',
    );
  });
});

describe('receipt PDF of a proof of sending and of a deemed UPD', () => {
  const keys2 = temporarySeals();
  after(() => keys2.cleanup());

  test('title, case, box address, local time with the zone, arrival and the 14-day term', async () => {
    const seal = await keys2.seals.forOffice(OFFICE.id, OFFICE.name);
    const verifyUrl = 'https://urzad.example.pl/weryfikacja';
    const sending = await verifyReceipt(Buffer.from(signReceipt(receiptInput('sending'), seal)), {
      trustedCaPems: [seal.caPem],
    });
    assert.equal(sending.valid, true);
    const sendingText = pdfText(await renderReceiptPdf(sending, { verifyUrl }));
    assert.ok(sendingText.includes('Decyzja w sprawie „zajęcia pasa” <drogowego> & opłat'));
    assert.ok(sendingText.includes('WK.5410.12.2026'));
    assert.ok(sendingText.includes(OFFICE.boxAddress));
    assert.match(sendingText, /\d{2}:\d{2}:\d{2} CES?T \(UTC\+0[12]:00\)/);
    assert.ok(sendingText.includes(`${verifyUrl}?id=${sending.receiptId}`));
    assert.deepEqual(pdfQrCodes(await renderReceiptPdf(sending, { verifyUrl })), [
      receiptVerificationUrl(verifyUrl, sending.receiptId!),
    ]);

    const input = receiptInput('UPD', { deemed: true });
    const upd = await verifyReceipt(Buffer.from(signReceipt(input, seal)), { trustedCaPems: [seal.caPem] });
    assert.equal(upd.valid, true);
    const updText = pdfText(await renderReceiptPdf(upd, { verifyUrl }));
    assert.match(updText, /Doręczenie zastępcze \/ Deemed delivery\s*tak \/ yes/);
    assert.ok(updText.includes(upd.termFrom!), 'the day the 14 days ran from');
    assert.match(updText, /Data dostarczenia do skrzynki adresata/);
  });
});
