import type { x509 } from '../domain/receipts/crypto-engine';
import type { RevocationData } from '../domain/signatures/revocation';

/**
 * Asks the issuer of a certificate for its revocation status where the certificate says (OCSP,
 * CRL distribution points). Used only when the installation allows it
 * (SIGNATURE_REVOCATION_ONLINE) and neither the signature nor the trust store holds the data.
 */
export interface RevocationFetcher {
  fetch(certificate: x509.X509Certificate, issuer: x509.X509Certificate): Promise<RevocationData>;
}
