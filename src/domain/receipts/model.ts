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

export interface ReceiptInput {
  kind: ReceiptKind;
  receiptId: string;
  documentId: string;
  office: { id: string; name: string; boxAddress: string };
  /** UPP: who filed. sending/UPD: who sent on the office's behalf (clerk or department). */
  sender: ReceiptParty;
  /** sending/UPD: the addressee (required there). */
  recipient?: ReceiptParty;
  /** UPP: entered the box; sending: time of sending; UPD: time of receipt. */
  enteredAt: Date;
  /** When the receipt was made (also the signing time). */
  issuedAt: Date;
  files: ReceiptFile[];
  /** UPD made by deemed delivery. */
  deemed?: boolean;
  /** Position in the transparency log. */
  logIndex?: number;
  /** UPP: how the sender was authenticated, e.g. through login.gov.pl (docs/identity.md). */
  senderAuthentication?: string;
}

/** What signing needs of a seal (`Seal` of the seals port has it). */
export interface SigningKey {
  privateKey: KeyObject;
  certificateDer: Buffer;
}

export const NS = {
  pos: 'http://crd.gov.pl/xml/schematy/UPO/2008/05/09/',
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

/** The element under pos:Dokument that names the kind. */
export const KIND_ELEMENT: Record<ReceiptKind, string> = { UPP: 'UPP', sending: 'DowodWyslania', UPD: 'UPD' };

/** The element that carries `enteredAt`, per kind. */
export const ENTERED_ELEMENT: Record<ReceiptKind, string> = {
  UPP: 'DataDoreczenia',
  sending: 'DataWyslania',
  UPD: 'DataDoreczenia',
};

/** Values of @TypInformacjiUzupelniajacej. */
export const INFO_TYPE = {
  main: 'DokumentGlowny',
  attachment: 'Zalacznik',
  logIndex: 'PozycjaWRejestrze',
  senderAuthentication: 'UwierzytelnienieNadawcy',
} as const;

/** Values of @TypIdentyfikatora for the office. */
export const OFFICE_ID_TYPE = { office: 'IdentyfikatorUrzedu', box: 'AdresSkrytki' } as const;

/** Fixed ids: one signature per receipt. */
export const IDS = {
  signature: 'Podpis',
  signatureValue: 'Podpis-WartoscPodpisu',
  documentReference: 'Podpis-Referencja-Dokument',
  signedProperties: 'Podpis-WlasciwosciPodpisane',
} as const;
