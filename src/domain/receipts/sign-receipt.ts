import { formatDay, warsawDateTime, warsawDay } from '../legal-time';
import { assertXmlText, element, textElement } from './canonical-xml';
import {
  INFO_TYPE,
  KIND_ELEMENT,
  KIND_NS,
  NS,
  OFFICE_ID_TYPE,
  RESERVED_INFO_TYPES,
  type ReceiptFile,
  type ReceiptInput,
  type ReceiptNote,
  type ReceiptParty,
  type SigningKey,
} from './model';
import { envelop, envelopedSignature } from './xades-signature';

const SHA256_HEX = /^[0-9a-f]{64}$/;

function checked(value: string, what: string): string {
  if (value.trim() === '') throw new Error(`${what} must not be empty`);
  assertXmlText(value, what);
  return value;
}

/** xs:dateTime in Warsaw time with its offset: the same instant as UTC, readable as local time. */
function time(value: Date | undefined, what: string): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new Error(`${what} is not a valid date`);
  return warsawDateTime(value);
}

function checkFile(file: ReceiptFile): void {
  assertXmlText(file.name, 'file name');
  if (!SHA256_HEX.test(file.sha256))
    throw new Error(`file "${file.name}": sha256 must be 64 lower-case hex digits`);
  if (!Number.isSafeInteger(file.size) || file.size < 0)
    throw new Error(`file "${file.name}": size must be a non-negative integer`);
}

function checkNotes(notes: ReceiptNote[]): void {
  for (const note of notes) {
    checked(note.type, 'note type');
    checked(note.value, `note ${note.type}`);
    if (RESERVED_INFO_TYPES.includes(note.type)) throw new Error(`note type ${note.type} is reserved`);
  }
}

/** The UPO family (UPP, UPD): ePUAP's element names, in the order ePUAP's stylesheet reads them. */
function upoBody(input: ReceiptInput, files: ReceiptFile[]): string {
  const pos = (name: string) => `pos:${name}`;
  const text = (name: string, value: string, what: string = name) =>
    textElement(pos(name), checked(value, what));
  const info = (type: string, value: string) =>
    element(pos('InformacjaUzupelniajaca'), { attrs: { TypInformacjiUzupelniajacej: type }, text: value });
  const party = (name: string, p: ReceiptParty) =>
    element(
      pos(name),
      {},
      text('Nazwa', p.name, `${name} name`),
      element(pos('IdentyfikatorPodmiotu'), {
        attrs: { TypIdentyfikatora: checked(p.idType, `${name} idType`) },
        text: checked(p.id, `${name} id`),
      }),
    );
  // One identifier, the box address: ePUAP's stylesheet shows the first IdentyfikatorPodmiotu only.
  const office = (name: string) =>
    party(name, { name: input.office.name, id: input.office.boxAddress, idType: OFFICE_ID_TYPE.box });
  const fileInfo = (file: ReceiptFile) =>
    element(pos('InformacjaUzupelniajaca'), {
      attrs: {
        TypInformacjiUzupelniajacej: INFO_TYPE[file.role],
        NazwaPliku: file.name,
        Rozmiar: file.size,
        Algorytm: 'SHA-256',
      },
      text: file.sha256,
    });
  const head =
    input.kind === 'UPP'
      ? [
          text('IdentyfikatorPoswiadczenia', input.receiptId),
          office('Adresat'),
          party('Nadawca', input.sender),
          text('DataDoreczenia', time(input.enteredAt, 'enteredAt')),
          text('DataWytworzeniaPoswiadczenia', time(input.issuedAt, 'issuedAt')),
          text('IdentyfikatorDokumentu', input.documentId),
          info(INFO_TYPE.officeId, checked(input.office.id, 'office id')),
        ]
      : [
          text('IdentyfikatorPoswiadczenia', input.receiptId),
          office('PodmiotWystawiajacyPoswiadczenie'),
          party('Adresat', input.recipient!),
          text('DataOdbioru', time(input.enteredAt, 'enteredAt')),
          text('DataUtworzeniaPoswiadczenia', time(input.issuedAt, 'issuedAt')),
          input.caseReference !== undefined ? text('IdentyfikatorSprawy', input.caseReference) : '',
          text('IdentyfikatorDokumentu', input.documentId),
          info(INFO_TYPE.officeId, checked(input.office.id, 'office id')),
          info(INFO_TYPE.sentBy, checked(input.sender.name, 'sender name')),
          info(INFO_TYPE.arrivedAt, time(input.arrivedAt, 'arrivedAt')),
          info(INFO_TYPE.deemed, input.deemed ? 'true' : 'false'),
          input.deemed ? info(INFO_TYPE.termFrom, formatDay(warsawDay(input.arrivedAt!))) : '',
        ];
  return element(
    pos(KIND_ELEMENT[input.kind]),
    {},
    ...head,
    ...files.map(fileInfo),
    ...(input.notes ?? []).map((n) => info(n.type, n.value)),
    input.logIndex !== undefined ? info(INFO_TYPE.logIndex, String(input.logIndex)) : '',
  );
}

/** The proof of sending, in a namespace of ours (docs/formats.md, docs/xml/dowod-wyslania.xsd). */
function sendingBody(input: ReceiptInput, files: ReceiptFile[]): string {
  const dw = (name: string) => `dw:${name}`;
  const text = (name: string, value: string, what: string = name) =>
    textElement(dw(name), checked(value, what));
  const party = (name: string, p: ReceiptParty) =>
    element(
      dw(name),
      {},
      text('Nazwa', p.name, `${name} name`),
      element(dw('Identyfikator'), {
        attrs: { Typ: checked(p.idType, `${name} idType`) },
        text: checked(p.id, `${name} id`),
      }),
    );
  return element(
    dw('DowodWyslania'),
    {},
    text('IdentyfikatorDowodu', input.receiptId),
    text('Tytul', input.title ?? '', 'title'),
    input.caseReference !== undefined ? text('ZnakSprawy', input.caseReference) : '',
    element(
      dw('Nadawca'),
      {},
      text('Nazwa', input.office.name, 'office name'),
      text('IdentyfikatorUrzedu', input.office.id, 'office id'),
      text('AdresSkrytki', input.office.boxAddress, 'office box address'),
      party('Wysylajacy', input.sender),
    ),
    party('Adresat', input.recipient!),
    text('DataWyslania', time(input.enteredAt, 'enteredAt')),
    text('DataWytworzeniaDowodu', time(input.issuedAt, 'issuedAt')),
    text('IdentyfikatorDokumentu', input.documentId),
    ...files.map((file) =>
      element(dw('Plik'), {
        attrs: {
          Rola: INFO_TYPE[file.role],
          NazwaPliku: file.name,
          Rozmiar: file.size,
          Algorytm: 'SHA-256',
        },
        text: file.sha256,
      }),
    ),
    ...(input.notes ?? []).map((n) =>
      element(dw('InformacjaUzupelniajaca'), { attrs: { Typ: n.type }, text: n.value }),
    ),
    input.logIndex !== undefined ? text('PozycjaWRejestrze', String(input.logIndex)) : '',
  );
}

/** The receipt without its signature, in canonical form (what the enveloped reference digests). */
export function receiptDocument(input: ReceiptInput): string {
  const mains = input.files.filter((f) => f.role === 'main');
  if (mains.length !== 1) throw new Error('a receipt names exactly one main document');
  if (input.kind !== 'UPP' && !input.recipient)
    throw new Error(`a ${input.kind} receipt needs the recipient`);
  if (input.kind !== 'UPD' && input.deemed !== undefined) throw new Error('only a UPD may be deemed');
  if (input.kind !== 'UPD' && input.arrivedAt !== undefined) throw new Error('only a UPD states the arrival');
  if (input.kind === 'UPP' && input.caseReference !== undefined) throw new Error('a UPP names no case');
  if (input.kind !== 'sending' && input.title !== undefined)
    throw new Error('only a proof of sending has a title');
  if (input.logIndex !== undefined && (!Number.isSafeInteger(input.logIndex) || input.logIndex < 0)) {
    throw new Error('logIndex must be a non-negative integer');
  }
  input.files.forEach(checkFile);
  checkNotes(input.notes ?? []);
  const files = [...mains, ...input.files.filter((f) => f.role === 'attachment')];
  const ns = KIND_NS[input.kind];
  const prefix = ns === NS.dw ? 'dw' : 'pos';
  const body = input.kind === 'sending' ? sendingBody(input, files) : upoBody(input, files);
  return element(`${prefix}:Dokument`, { ns: { [prefix]: ns } }, body);
}

/**
 * The signed receipt: UTF-8 XML, enveloped XAdES-BES by the seal. Everything but the value of
 * the ECDSA signature (random by nature) is determined by the input and the seal.
 */
export function signReceipt(input: ReceiptInput, seal: SigningKey): string {
  const document = receiptDocument(input);
  return envelop(
    document,
    envelopedSignature({ canonicalDocument: document, signingTime: input.issuedAt }, seal),
  );
}
