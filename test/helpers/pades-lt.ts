import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { samplePdf } from './sample-files';
import { cmsSign, type TestKey } from './test-pki';

/**
 * PAdES files built as PDF writers build them: the signature in an incremental update (signature
 * dictionary, a signature field's widget on the page, the catalog's /AcroForm, a cross-reference
 * section with /Prev), then further incremental updates — a document security store (PAdES-LT)
 * or changes that are not one.
 */
export interface PdfObjectText {
  n: number;
  /** What follows `n 0 obj`, up to `endobj`. */
  body: string;
}

const PAGE =
  '/Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >>';
export const SIGNED_CATALOG = '/Type /Catalog /Pages 2 0 R /AcroForm << /Fields [7 0 R] /SigFlags 3 >>';

/** An incremental update: the objects, a cross-reference section for them, the trailer. */
export function appendUpdate(pdf: string, objects: PdfObjectText[]): string {
  const previous = [...pdf.matchAll(/startxref\s+(\d+)/g)].pop()![1]!;
  const size = Math.max(
    ...[...pdf.matchAll(/\/Size (\d+)/g)].map((m) => Number(m[1])),
    ...objects.map((o) => o.n + 1),
  );
  let out = pdf;
  const offsets = new Map<number, number>();
  for (const o of [...objects].sort((a, b) => a.n - b.n)) {
    offsets.set(o.n, Buffer.byteLength(out, 'latin1'));
    out += `${o.n} 0 obj\n${o.body}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out, 'latin1');
  out += 'xref\n0 1\n0000000000 65535 f \n';
  for (const [n, offset] of [...offsets].sort((a, b) => a[0] - b[0]))
    out += `${n} 1\n${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${size} /Root 1 0 R /Prev ${previous} >>\nstartxref\n${xref}\n%%EOF\n`;
  return out;
}

export const streamObject = (data: Buffer, deflate = false): string => {
  const bytes = deflate ? deflateSync(data) : data;
  return `<< /Length ${bytes.length}${deflate ? ' /Filter /FlateDecode' : ''} >>\nstream\n${bytes.toString('latin1')}\nendstream`;
};

/** A PDF signed in an incremental update; the /ByteRange covers the whole file but /Contents. */
export async function signedPdf(key: TestKey, options: { chain?: TestKey[]; signingTime?: Date } = {}) {
  const base = samplePdf('Umowa podpisana').toString('latin1');
  const placeholder = '0'.repeat(16384);
  const range = '[0 0000000000 0000000000 0000000000]';
  let text = appendUpdate(base, [
    { n: 1, body: `<< ${SIGNED_CATALOG} >>` },
    { n: 3, body: `<< ${PAGE} /Annots [7 0 R] >>` },
    {
      n: 6,
      body: `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange ${range} /Contents <${placeholder}> >>`,
    },
    {
      n: 7,
      body: '<< /Type /Annot /Subtype /Widget /FT /Sig /T (Podpis1) /V 6 0 R /Rect [0 0 0 0] /F 132 /P 3 0 R >>',
    },
  ]);
  const lt = text.indexOf(`<${placeholder}>`);
  const gt = lt + placeholder.length + 2;
  const pad = (n: number) => String(n).padStart(10, '0');
  text = text.replace(range, `[0 ${pad(lt)} ${pad(gt)} ${pad(text.length - gt)}]`);
  const bytes = Buffer.from(text, 'latin1');
  const cms = await cmsSign(key, Buffer.concat([bytes.subarray(0, lt), bytes.subarray(gt)]), {
    detached: true,
    ...(options.chain ? { chain: options.chain } : {}),
    ...(options.signingTime ? { signingTime: options.signingTime } : {}),
  });
  const hex = cms.toString('hex').padEnd(placeholder.length, '0');
  return { pdf: text.replace(`<${placeholder}>`, `<${hex}>`), cms };
}

/**
 * The PAdES-LT update: a /DSS with the certificates, CRLs (deflated, as writers store them) and
 * OCSP responses, a /VRI entry for the signature, and the catalog pointing to it.
 */
export function withDss(
  pdf: string,
  cms: Buffer,
  data: { certificates?: Buffer[]; crls?: Buffer[]; ocspResponses?: Buffer[] },
  catalogExtra = '',
): string {
  const objects: PdfObjectText[] = [];
  let n = 10;
  const add = (items: Buffer[] = [], deflate = false) =>
    items.map((item) => {
      objects.push({ n, body: streamObject(item, deflate) });
      return `${n++} 0 R`;
    });
  const certs = add(data.certificates);
  const crls = add(data.crls, true);
  const ocsps = add(data.ocspResponses);
  const vriKey = createHash('sha1').update(cms).digest('hex').toUpperCase();
  objects.push(
    { n: 1, body: `<< ${SIGNED_CATALOG} /DSS 8 0 R${catalogExtra} >>` },
    {
      n: 8,
      body: `<< /Type /DSS /Certs [${certs.join(' ')}] /CRLs [${crls.join(' ')}] /OCSPs [${ocsps.join(' ')}] /VRI 9 0 R >>`,
    },
    {
      n: 9,
      body: `<< /${vriKey} << /Type /VRI /Cert [${certs.join(' ')}] /CRL [${crls.join(' ')}] /OCSP [${ocsps.join(' ')}] >> >>`,
    },
  );
  return appendUpdate(pdf, objects);
}

/** Changes after signing that are not a document security store. */
export const changesAfterSigning = {
  annotation: (pdf: string) =>
    appendUpdate(pdf, [
      { n: 3, body: `<< ${PAGE} /Annots [7 0 R 13 0 R] >>` },
      {
        n: 13,
        body: '<< /Type /Annot /Subtype /FreeText /Rect [72 700 300 720] /Contents (Zatwierdzono) /DA (/Helv 12 Tf 0 g) >>',
      },
    ]),
  pageContent: (pdf: string) =>
    appendUpdate(pdf, [
      { n: 4, body: streamObject(Buffer.from('BT /F1 12 Tf 72 770 Td (Umowa zmieniona) Tj ET')) },
    ]),
};
