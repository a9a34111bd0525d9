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
  /** The office; `id` is written as its identifier in this system, REGON and NIP when known. */
  office: { id: string; name: string; regon?: string | undefined; nip?: string | undefined };
  sender: {
    firstName: string;
    surname: string;
    pesel?: string | undefined;
    email?: string | undefined;
    phone?: string | undefined;
    address?:
      | { street?: string; buildingNumber?: string; flatNumber?: string; postalCode?: string; city?: string }
      | undefined;
  };
  place: string;
  title: string;
  kind: LetterKind;
  /** For the kind "inne": what kind of letter it is, written as `jakiInny`. */
  otherKind?: string | undefined;
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

/** The identifier of an office in this system, as the letter names it in `inst:InnyIdentyfikator`. */
export const OFFICE_ID_TYPE = 'Identyfikator urzędu w Urząd OnLine';

/** `jakiInny` when a letter of the kind "inne" does not say which. */
export const DEFAULT_OTHER_KIND = 'inne pismo';

/**
 * The office's identifiers as the CRD `instytucja` schema has them and the template's stylesheet
 * shows them: REGON and NIP when known, the office's id here as the "other identifier".
 */
export function institutionIdsXml(office: {
  id: string;
  regon?: string | undefined;
  nip?: string | undefined;
}): string {
  return (
    `<inst:IdInstytucji>${el('inst:REGON', office.regon)}${el('inst:NIP', office.nip)}` +
    `<inst:InnyIdentyfikator>${el('inst:TypIdentyfikatora', OFFICE_ID_TYPE)}${el('inst:WartoscIdentyfikatora', office.id)}</inst:InnyIdentyfikator>` +
    `</inst:IdInstytucji>`
  );
}

/**
 * The general letter. Names and their order follow the CRD schemas the template imports
 * (docs/formats.md): the creation date in DaneDokumentu, where the template's stylesheet reads
 * it; IdInstytucji with child elements; address elements in the schema's order.
 */
export function buildGeneralLetterXml(letter: GeneralLetter): string {
  const created = warsawDateTime(letter.createdAt);
  const s = letter.sender;
  const a = s.address;
  const address = a
    ? `<adr:Adres>${el('adr:KodPocztowy', a.postalCode)}${el('adr:Miejscowosc', a.city)}${el('adr:Ulica', a.street)}${el('adr:Budynek', a.buildingNumber)}${el('adr:Lokal', a.flatNumber)}</adr:Adres>`
    : '';
  const contact =
    s.email || s.phone
      ? `<adr:Kontakt>${el('adr:Telefon', s.phone)}${el('adr:Email', s.email)}</adr:Kontakt>`
      : '';
  const o = letter.office;
  const officeIds = institutionIdsXml(o);
  const attachments =
    letter.attachments.length > 0
      ? `<str:Zalaczniki>${letter.attachments
          .map(
            (att) =>
              `<str:Zalacznik format="${xmlEscape(att.mediaType)}" kodowanie="URI" nazwaPliku="${xmlEscape(xmlSafeText(att.name))}">` +
              `<str:OpisZalacznika>SHA-256:${att.sha256}</str:OpisZalacznika>` +
              `<str:DaneZalacznika>urn:sha256:${att.sha256}</str:DaneZalacznika></str:Zalacznik>`,
          )
          .join('')}</str:Zalaczniki>`
      : '';
  const otherKind =
    letter.kind === 'inne' ? xmlSafeText(letter.otherKind ?? '').trim() || DEFAULT_OTHER_KIND : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<wnio:Dokument xmlns:wnio="${NS.wnio}" xmlns:meta="${NS.meta}" xmlns:str="${NS.str}" xmlns:adr="${NS.adr}" xmlns:oso="${NS.oso}" xmlns:inst="${NS.inst}">` +
    `<wnio:OpisDokumentu><meta:Data typDaty="stworzony"><meta:Czas>${created.date}T${created.time}</meta:Czas></meta:Data></wnio:OpisDokumentu>` +
    `<wnio:DaneDokumentu>` +
    `<str:Naglowek><str:NazwaDokumentu>Pismo ogólne do podmiotu publicznego</str:NazwaDokumentu></str:Naglowek>` +
    `<meta:Data typDaty="stworzony"><meta:Czas>${created.date}</meta:Czas></meta:Data>` +
    `<str:Adresaci><meta:Podmiot><inst:Instytucja>${el('inst:NazwaInstytucji', o.name)}${officeIds}</inst:Instytucja></meta:Podmiot></str:Adresaci>` +
    `<str:Nadawcy><meta:Podmiot><oso:Osoba>` +
    `${s.pesel ? `<oso:IdOsoby>${el('oso:PESEL', s.pesel)}</oso:IdOsoby>` : ''}${el('oso:Imie', s.firstName)}${el('oso:Nazwisko', s.surname)}` +
    `${address}${contact}</oso:Osoba></meta:Podmiot></str:Nadawcy>` +
    `</wnio:DaneDokumentu>` +
    `<wnio:TrescDokumentu format="text/xml" kodowanie="XML">` +
    `${el('wnio:MiejscowoscDokumentu', letter.place)}${el('wnio:Tytul', letter.title)}` +
    `<wnio:RodzajWnioskuRozszerzony jakiInny="${xmlEscape(otherKind)}" rodzaj="${xmlEscape(LETTER_KIND_XML[letter.kind])}"/>` +
    `<wnio:Informacje>${paragraphs(letter.body)
      .map((p) => `<wnio:Informacja>${xmlEscape(xmlSafeText(p))}</wnio:Informacja>`)
      .join('')}</wnio:Informacje>` +
    attachments +
    `</wnio:TrescDokumentu>` +
    `</wnio:Dokument>`
  );
}
