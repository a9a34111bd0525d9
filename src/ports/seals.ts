import type { KeyObject } from 'node:crypto';

/**
 * An electronic seal (pieczęć elektroniczna): a private key with its certificate chain.
 * Office seals sign receipts; the platform seal signs what the installation itself issues
 * (trusted signatures, proofs that are not an office's).
 */
export interface Seal {
  privateKey: KeyObject;
  /** The seal certificate alone (PEM). */
  certificatePem: string;
  /** The seal certificate, then its issuers up to the root (PEM). */
  chainPem: string;
  certificateDer: Buffer;
  /** The root of the chain: what a verifier trusts (PEM). */
  caPem: string;
}

export interface Seals {
  /** The office's seal; generated on first use when no seal is configured for it. */
  forOffice(officeId: string, officeName: string): Promise<Seal>;
  platform(): Promise<Seal>;
  /** Certificates a verifier of this installation's receipts trusts (PEM, one per entry). */
  trustedCaPems(): Promise<string[]>;
  /** Forget loaded seals: the next use reads them again (a rotated seal, without a restart). */
  reload(): void;
}
