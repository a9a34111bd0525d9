import { LETTER_KIND_XML, type LetterKind } from './letter-kind';

/**
 * The general letter to a public body ("pismo ogólne do podmiotu publicznego"), after ePUAP's
 * CRWDE template 2013/12/12/1410, so office systems that read ePUAP documents can read ours.
 * Attachments are referenced by URI with their SHA-256, so one signature over the letter covers
 * every attachment.
 */
export const NS = {
  wnio: 'http://crd.gov.pl/wzor/2013/12/12/1410/',
  meta: 'http://crd.gov.pl/xml/schematy/meta/2009/11/16/',
  str: 'http://crd.gov.pl/xml/schematy/struktura/2009/11/16/',
  adr: 'http://crd.gov.pl/xml/schematy/adres/2009/11/09/',
  oso: 'http://crd.gov.pl/xml/schematy/osoba/2009/11/16/',
  inst: 'http://crd.gov.pl/xml/schematy/instytucja/2009/11/16/',
} as const;

export interface GeneralLetter {
  createdAt: Date;
  office: { id: string; name: string };
  sender: {
    firstName: string;
    surname: string;
    pesel?: string | undefined;
    email?: string | undefined;
    phone?: string | undefined;
    address?: { street?: string; buildingNumber?: string; postalCode?: string; city?: string } | undefined;
  };
  place: string;
  title: string;
  kind: LetterKind;
  /** Text of the letter; paragraphs are separated by blank lines. */
  body: string;
  attachments: { name: string; mediaType: string; sha256: string }[];
}

/** Escapes text for XML content and attribute values (double-quoted). */
export function xmlEscape(text: string): string {
  return text.replace(
    /[&<>"\r]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#xD;' })[c] as string,
  );
}

/** Removes characters XML 1.0 cannot carry, so a pasted control character never breaks a letter. */
export function xmlSafeText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

const el = (name: string, text: string | undefined): string =>
  text ? `<${name}>${xmlEscape(xmlSafeText(text))}</${name}>` : '';

export function paragraphs(body: string): string[] {
  return body
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Warsaw local date and time, as ePUAP documents write them. */
function warsawDateTime(date: Date): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Warsaw',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    time: `${get('hour')}:${get('minute')}:${get('second')}`,
  };
}

export function buildGeneralLetterXml(letter: GeneralLetter): string {
  const created = warsawDateTime(letter.createdAt);
  const s = letter.sender;
  const address = s.address
    ? `<adr:Adres>${el('adr:Ulica', s.address.street)}${el('adr:Budynek', s.address.buildingNumber)}${el('adr:KodPocztowy', s.address.postalCode)}${el('adr:Miejscowosc', s.address.city)}</adr:Adres>`
    : '';
  const contact =
    s.email || s.phone
      ? `<adr:Kontakt>${s.email ? `<adr:Email>${xmlEscape(s.email)}</adr:Email>` : ''}${s.phone ? `<adr:Telefon>${xmlEscape(s.phone)}</adr:Telefon>` : ''}</adr:Kontakt>`
      : '';
  const attachments =
    letter.attachments.length > 0
      ? `<str:Zalaczniki>${letter.attachments
          .map(
            (a) =>
              `<str:Zalacznik format="${xmlEscape(a.mediaType)}" kodowanie="URI" nazwaPliku="${xmlEscape(xmlSafeText(a.name))}">` +
              `<str:OpisZalacznika>SHA-256:${a.sha256}</str:OpisZalacznika>` +
              `<str:DaneZalacznika>urn:sha256:${a.sha256}</str:DaneZalacznika></str:Zalacznik>`,
          )
          .join('')}</str:Zalaczniki>`
      : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<wnio:Dokument xmlns:wnio="${NS.wnio}" xmlns:meta="${NS.meta}" xmlns:str="${NS.str}" xmlns:adr="${NS.adr}" xmlns:oso="${NS.oso}" xmlns:inst="${NS.inst}">` +
    `<wnio:OpisDokumentu><meta:Data typDaty="stworzony"><meta:Czas>${created.date}T${created.time}</meta:Czas></meta:Data></wnio:OpisDokumentu>` +
    `<wnio:DaneDokumentu>` +
    `<str:Naglowek><str:NazwaDokumentu>Pismo ogólne do podmiotu publicznego</str:NazwaDokumentu></str:Naglowek>` +
    `<str:Adresaci><meta:Podmiot><inst:Instytucja>${el('inst:NazwaInstytucji', letter.office.name)}${el('inst:IdInstytucji', letter.office.id)}</inst:Instytucja></meta:Podmiot></str:Adresaci>` +
    `<str:Nadawcy><meta:Podmiot><oso:Osoba>${el('oso:Imie', s.firstName)}${el('oso:Nazwisko', s.surname)}` +
    `${s.pesel ? `<oso:IdOsoby><oso:PESEL>${xmlEscape(s.pesel)}</oso:PESEL></oso:IdOsoby>` : ''}${address}${contact}</oso:Osoba></meta:Podmiot></str:Nadawcy>` +
    `</wnio:DaneDokumentu>` +
    `<wnio:TrescDokumentu format="text/xml" kodowanie="XML">` +
    `${el('wnio:MiejscowoscDokumentu', letter.place)}${el('wnio:Tytul', letter.title)}` +
    `<wnio:RodzajWnioskuRozszerzony rodzaj="${xmlEscape(LETTER_KIND_XML[letter.kind])}" jakiInny=""/>` +
    `<wnio:Informacje>${paragraphs(letter.body)
      .map((p) => `<wnio:Informacja>${xmlEscape(xmlSafeText(p))}</wnio:Informacja>`)
      .join('')}</wnio:Informacje>` +
    attachments +
    `</wnio:TrescDokumentu>` +
    `</wnio:Dokument>`
  );
}
