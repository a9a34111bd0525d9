import { warsawDateTime } from '../legal-time';
import { institutionIdsXml, NS, xmlEscape, xmlSafeText } from './general-letter';

/**
 * A filing of several files as one XML document in the general-letter format, every file
 * embedded as base64 (`kodowanie="base64"`), so that an office system importing ePUAP
 * documents gets everything in one piece and fetches nothing separately. Each attachment
 * names its SHA-256, the digest the filing's receipt (UPP) lists.
 */
export interface EmbeddedLetter {
  documentId: string;
  receivedAt: Date;
  office: { id: string; name: string };
  senderName: string;
  title: string;
  files: { name: string; mediaType: string; sha256: string; content: Buffer }[];
}

export function buildEmbeddedLetterXml(letter: EmbeddedLetter): string {
  const text = (s: string) => xmlEscape(xmlSafeText(s));
  const files = letter.files
    .map(
      (f) =>
        `<str:Zalacznik format="${text(f.mediaType)}" kodowanie="base64" nazwaPliku="${text(f.name)}">` +
        `<str:OpisZalacznika>SHA-256:${f.sha256}</str:OpisZalacznika>` +
        `<str:DaneZalacznika>${f.content.toString('base64')}</str:DaneZalacznika></str:Zalacznik>`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<wnio:Dokument xmlns:wnio="${NS.wnio}" xmlns:meta="${NS.meta}" xmlns:str="${NS.str}" xmlns:inst="${NS.inst}">` +
    `<wnio:OpisDokumentu><meta:Data typDaty="otrzymany"><meta:Czas>${warsawDateTime(letter.receivedAt)}</meta:Czas></meta:Data>` +
    `<meta:Identyfikator typIdentyfikatora="IdentyfikatorDokumentu"><meta:Wartosc>${text(letter.documentId)}</meta:Wartosc></meta:Identyfikator></wnio:OpisDokumentu>` +
    `<wnio:DaneDokumentu>` +
    `<str:Naglowek><str:NazwaDokumentu>${text(letter.title)}</str:NazwaDokumentu></str:Naglowek>` +
    // The Warsaw day it arrived, where the template's stylesheet reads the document's date.
    `<meta:Data typDaty="stworzony"><meta:Czas>${warsawDateTime(letter.receivedAt).slice(0, 10)}</meta:Czas></meta:Data>` +
    `<str:Adresaci><meta:Podmiot><inst:Instytucja><inst:NazwaInstytucji>${text(letter.office.name)}</inst:NazwaInstytucji>${institutionIdsXml(letter.office)}</inst:Instytucja></meta:Podmiot></str:Adresaci>` +
    `<str:Nadawcy><meta:Podmiot><inst:Instytucja><inst:NazwaInstytucji>${text(letter.senderName)}</inst:NazwaInstytucji></inst:Instytucja></meta:Podmiot></str:Nadawcy>` +
    `</wnio:DaneDokumentu>` +
    `<wnio:TrescDokumentu format="text/xml" kodowanie="XML"><wnio:Tytul>${text(letter.title)}</wnio:Tytul>` +
    `<str:Zalaczniki>${files}</str:Zalaczniki></wnio:TrescDokumentu>` +
    `</wnio:Dokument>`
  );
}
