/**
 * The national login node (login.gov.pl, Węzeł Krajowy) as the services see it: start a login,
 * turn the node's answer into a verified person and the evidence of how they were authenticated,
 * and end the node's session. The SAML details stay in the adapter.
 */

/** Levels of assurance of eIDAS, lowest first. */
export const LEVELS_OF_ASSURANCE = [
  'http://eidas.europa.eu/LoA/low',
  'http://eidas.europa.eu/LoA/substantial',
  'http://eidas.europa.eu/LoA/high',
] as const;
export type LevelOfAssurance = (typeof LEVELS_OF_ASSURANCE)[number];

/** The person the node vouches for. */
export interface NationalIdentity {
  pesel: string;
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
}

/** What is kept to show how the person was authenticated; recorded on each filing of the session. */
export interface NationalAuthEvidence {
  /** Always "login.gov.pl" for this port. */
  method: 'login.gov.pl';
  /** The entity id of the node that issued the assertion. */
  issuer: string;
  assertionId: string;
  levelOfAssurance: LevelOfAssurance;
  /** Who authenticated the person behind the node, e.g. pz.gov.pl (trusted profile). */
  authenticatingAuthority: string;
  /** ISO 8601 */
  authnInstant: string;
  /** Needed for single logout. */
  nameId: string;
  sessionIndex: string;
}

export interface NationalLogin {
  identity: NationalIdentity;
  evidence: NationalAuthEvidence;
}

/** A form the browser posts to the node (SAML HTTP-POST binding). */
export interface NationalLoginStart {
  requestId: string;
  action: string;
  fields: Record<string, string>;
}

/** Why a login was refused; each reason has its own message in the catalogue. */
export type NationalLoginRefusal =
  | 'malformed'
  | 'signature'
  | 'status'
  | 'cancelled'
  | 'inResponseTo'
  | 'issuer'
  | 'audience'
  | 'recipient'
  | 'expired'
  | 'notYetValid'
  | 'replay'
  | 'levelOfAssurance'
  | 'decryption'
  | 'identity'
  | 'unreachable';

export class NationalLoginRefused extends Error {
  constructor(
    readonly reason: NationalLoginRefusal,
    detail: string,
  ) {
    super(`login.gov.pl login refused (${reason}): ${detail}`);
    this.name = 'NationalLoginRefused';
  }
}

/** Remembers identifiers that may be used once (artifacts, assertion ids) until they expire. */
export interface OneTimeIds {
  /** True the first time an id is claimed, false on every later claim. */
  claim(id: string, expiresAt: Date): Promise<boolean>;
}

export interface NationalNode {
  /** The SAML metadata of this service provider, served to the node's operator. */
  metadata(): string;
  startLogin(relayState: string): NationalLoginStart;
  /** Resolve the artifact the node posted back and verify everything; throws NationalLoginRefused. */
  completeLogin(input: { artifact: string; expectedRequestId: string }): Promise<NationalLogin>;
  /** Single logout at the node (SOAP). */
  logout(evidence: Pick<NationalAuthEvidence, 'nameId' | 'sessionIndex'>): Promise<void>;
}
