import type { KeyObject } from 'node:crypto';

/** UPP: submission receipt; sending: proof of sending; UPD: proof of receipt. */
export type ReceiptKind = 'UPP' | 'sending' | 'UPD';
export const RECEIPT_KINDS: readonly ReceiptKind[] = ['UPP', 'sending', 'UPD'];

export interface ReceiptFile {
  role: 'main' | 'attachment';
  name: string;
  /** Lower-case hex SHA-256 of the exact bytes. */
  sha256: string;
  size: number;
}

export interface ReceiptParty {
  name: string;
  id: string;
  /** What `id` is, e.g. "IdentyfikatorKonta" (an account id) or "Token" (an integration token name). */
  idType: string;
}

/**
 * A further fact a receipt states, written as one `InformacjaUzupelniajaca` (UPP, UPD) or
 * `dw:InformacjaUzupelniajaca` (proof of sending) after the files, in the order given. New
 * facts (how the sender was authenticated, say) are added here without a new element.
 */
export interface ReceiptNote {
  /** A name, e.g. "Uwierzytelnienie"; not one of the reserved `INFO_TYPE` values. */
  type: string;
  value: string;
}

export interface ReceiptInput {
  kind: ReceiptKind;
  receiptId: string;
  documentId: string;
  office: { id: string; name: string; boxAddress: string };
  /** UPP: who filed. sending/UPD: who sent on the office's behalf (clerk or department). */
  sender: ReceiptParty;
  /** sending/UPD: the addressee (required there). */
  recipient?: ReceiptParty;
  /** sending: the letter's title (required there). */
  title?: string;
  /** sending/UPD: the case the letter belongs to (the filing it answers), when there is one. */
  caseReference?: string;
  /** UPP: entered the box; sending: time of sending; UPD: time of receipt (or deemed receipt). */
  enteredAt: Date;
  /** UPD: when the letter arrived in the addressee's inbox (required there). */
  arrivedAt?: Date;
  /** When the receipt was made (also the signing time). */
  issuedAt: Date;
  files: ReceiptFile[];
  /** UPD made by deemed delivery. */
  deemed?: boolean;
  notes?: ReceiptNote[];
  /** Position in the transparency log. */
  logIndex?: number;
}

/** What signing needs of a seal (`Seal` of the seals port has it). */
export interface SigningKey {
  privateKey: KeyObject;
  certificateDer: Buffer;
}

export const NS = {
  pos: 'http://crd.gov.pl/xml/schematy/UPO/2008/05/09/',
  /** The proof of sending: ePUAP's UPO schema has no such document, so it has a namespace of ours. */
  dw: 'urn:urzad-online:xml:dowod-wyslania:2026',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xades: 'http://uri.etsi.org/01903/v1.3.2#',
} as const;

export const ALGORITHM = {
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  ecdsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  signedPropertiesType: 'http://uri.etsi.org/01903#SignedProperties',
} as const;

/** The root element's namespace and the element under it that names the kind. */
export const KIND_ELEMENT: Record<ReceiptKind, string> = { UPP: 'UPP', sending: 'DowodWyslania', UPD: 'UPD' };
export const KIND_NS: Record<ReceiptKind, string> = { UPP: NS.pos, sending: NS.dw, UPD: NS.pos };

/** Values of @TypInformacjiUzupelniajacej (UPP, UPD) and dw:Plik/@Rola, dw:InformacjaUzupelniajaca/@Typ. */
export const INFO_TYPE = {
  officeId: 'IdentyfikatorUrzedu',
  main: 'DokumentGlowny',
  attachment: 'Zalacznik',
  /** UPD: who sent the letter on the office's behalf. */
  sentBy: 'Wysylajacy',
  /** UPD: when the letter arrived in the addressee's inbox. */
  arrivedAt: 'DataDostarczeniaDoSkrzynki',
  /** UPD: "true" when delivery was deemed made after 14 days. */
  deemed: 'DoreczenieZastepcze',
  /** UPD, deemed: the Warsaw calendar day the 14 days ran from (the day of arrival). */
  termFrom: 'TerminLiczonyOd',
  logIndex: 'PozycjaWRejestrze',
} as const;
/** UPP note type: how the sender was authenticated (docs/identity.md). */
export const SENDER_AUTHENTICATION_NOTE = 'UwierzytelnienieNadawcy';
export const RESERVED_INFO_TYPES: readonly string[] = Object.values(INFO_TYPE);

/** Values of @TypIdentyfikatora for the office in UPP and UPD: the box address, as ePUAP names a box. */
export const OFFICE_ID_TYPE = { box: 'AdresSkrytki' } as const;

/** Fixed ids: one signature per receipt. */
export const IDS = {
  signature: 'Podpis',
  signatureValue: 'Podpis-WartoscPodpisu',
  documentReference: 'Podpis-Referencja-Dokument',
  signedProperties: 'Podpis-WlasciwosciPodpisane',
} as const;

/**
 * How a seal certificate names the office it seals for: X.520 organizationIdentifier
 * (2.5.4.97) in its subject, `urzad-online:office:<officeId>`; the platform seal carries
 * `urzad-online:platform`. A verifier compares it with the office the receipt names
 * (docs/security.md, row 4).
 */
export const ORGANIZATION_IDENTIFIER_OID = '2.5.4.97';
export const SEAL_ID_SCHEME = 'urzad-online:';
export const officeSealId = (officeId: string): string => `${SEAL_ID_SCHEME}office:${officeId}`;
export const PLATFORM_SEAL_ID = `${SEAL_ID_SCHEME}platform`;
