import { assertXmlText, element, textElement } from './canonical-xml';
import {
  ENTERED_ELEMENT,
  INFO_TYPE,
  KIND_ELEMENT,
  NS,
  OFFICE_ID_TYPE,
  type ReceiptFile,
  type ReceiptInput,
  type ReceiptParty,
  type SigningKey,
} from './model';
import { envelop, envelopedSignature } from './xades-signature';

const pos = (name: string) => `pos:${name}`;
const SHA256_HEX = /^[0-9a-f]{64}$/;

function text(name: string, value: string, what: string = name): string {
  if (value.trim() === '') throw new Error(`${what} must not be empty`);
  assertXmlText(value, what);
  return textElement(pos(name), value);
}

function party(name: string, p: ReceiptParty): string {
  assertXmlText(p.idType, `${name} idType`);
  assertXmlText(p.id, `${name} id`);
  if (p.id.trim() === '') throw new Error(`${name} id must not be empty`);
  return element(
    pos(name),
    {},
    text('Nazwa', p.name, `${name} name`),
    element(pos('IdentyfikatorPodmiotu'), { attrs: { TypIdentyfikatora: p.idType }, text: p.id }),
  );
}

function officeParty(name: string, office: ReceiptInput['office']): string {
  assertXmlText(office.id, 'office id');
  assertXmlText(office.boxAddress, 'office box address');
  if (office.id.trim() === '' || office.boxAddress.trim() === '')
    throw new Error('office id and box address must not be empty');
  return element(
    pos(name),
    {},
    text('Nazwa', office.name, 'office name'),
    element(pos('IdentyfikatorPodmiotu'), {
      attrs: { TypIdentyfikatora: OFFICE_ID_TYPE.office },
      text: office.id,
    }),
    element(pos('IdentyfikatorPodmiotu'), {
      attrs: { TypIdentyfikatora: OFFICE_ID_TYPE.box },
      text: office.boxAddress,
    }),
  );
}

function time(value: Date, what: string): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new Error(`${what} is not a valid date`);
  return value.toISOString();
}

function fileInfo(file: ReceiptFile): string {
  assertXmlText(file.name, 'file name');
  if (!SHA256_HEX.test(file.sha256))
    throw new Error(`file "${file.name}": sha256 must be 64 lower-case hex digits`);
  if (!Number.isSafeInteger(file.size) || file.size < 0)
    throw new Error(`file "${file.name}": size must be a non-negative integer`);
  return element(pos('InformacjaUzupelniajaca'), {
    attrs: {
      TypInformacjiUzupelniajacej: INFO_TYPE[file.role],
      NazwaPliku: file.name,
      Rozmiar: file.size,
      Algorytm: 'SHA-256',
    },
    text: file.sha256,
  });
}

function senderAuthentication(value: string): string {
  assertXmlText(value, 'sender authentication');
  return value;
}

/** The receipt without its signature, in canonical form (what the enveloped reference digests). */
export function receiptDocument(input: ReceiptInput): string {
  const mains = input.files.filter((f) => f.role === 'main');
  if (mains.length !== 1) throw new Error('a receipt names exactly one main document');
  if (input.kind !== 'UPP' && !input.recipient)
    throw new Error(`a ${input.kind} receipt needs the recipient`);
  if (input.kind !== 'UPD' && input.deemed !== undefined) throw new Error('only a UPD may be deemed');
  if (input.logIndex !== undefined && (!Number.isSafeInteger(input.logIndex) || input.logIndex < 0)) {
    throw new Error('logIndex must be a non-negative integer');
  }
  const files = [...mains, ...input.files.filter((f) => f.role === 'attachment')];
  const parties =
    input.kind === 'UPP'
      ? [officeParty('Adresat', input.office), party('Nadawca', input.sender)]
      : [
          party('Adresat', input.recipient!),
          officeParty('Nadawca', input.office),
          party('Wysylajacy', input.sender),
        ];
  const body = element(
    pos(KIND_ELEMENT[input.kind]),
    {},
    text('IdentyfikatorPoswiadczenia', input.receiptId),
    ...parties,
    text(ENTERED_ELEMENT[input.kind], time(input.enteredAt, 'enteredAt')),
    input.kind === 'UPD' ? text('DoreczenieZastepcze', input.deemed ? 'true' : 'false') : '',
    text('DataWytworzeniaPoswiadczenia', time(input.issuedAt, 'issuedAt')),
    text('IdentyfikatorDokumentu', input.documentId),
    ...files.map(fileInfo),
    input.logIndex !== undefined
      ? element(pos('InformacjaUzupelniajaca'), {
          attrs: { TypInformacjiUzupelniajacej: INFO_TYPE.logIndex },
          text: String(input.logIndex),
        })
      : '',
    input.kind === 'UPP' && input.senderAuthentication !== undefined
      ? element(pos('InformacjaUzupelniajaca'), {
          attrs: { TypInformacjiUzupelniajacej: INFO_TYPE.senderAuthentication },
          text: senderAuthentication(input.senderAuthentication),
        })
      : '',
  );
  return element(pos('Dokument'), { ns: { pos: NS.pos } }, body);
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
