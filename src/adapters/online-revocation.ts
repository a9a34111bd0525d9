import type { x509 } from '../domain/receipts/crypto-engine';
import {
  noRevocationData,
  ocspRequest,
  revocationLocations,
  type RevocationData,
} from '../domain/signatures/revocation';
import type { RevocationFetcher } from '../ports/revocation-fetcher';

/**
 * Revocation data over HTTP: an OCSP request to each responder the certificate names (AIA),
 * then its CRL distribution points. Plain http, as RFC 5280/6960 publish them (the data is
 * signed; its signature, not the transport, is what is checked). Bounded in time, size and
 * number of places; a place that fails is skipped, and what was not fetched stays "not checked".
 */
export function createOnlineRevocationFetcher(options: {
  timeoutMs: number;
  maxBytes?: number;
}): RevocationFetcher {
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const read = async (response: Response): Promise<Buffer | undefined> => {
    if (!response.ok || !response.body) return undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > maxBytes) return undefined;
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  };
  const attempt = async (go: (signal: AbortSignal) => Promise<Response>): Promise<Buffer | undefined> => {
    try {
      return await read(await go(AbortSignal.timeout(options.timeoutMs)));
    } catch {
      return undefined;
    }
  };
  return {
    async fetch(certificate: x509.X509Certificate, issuer: x509.X509Certificate): Promise<RevocationData> {
      const data = noRevocationData();
      const places = revocationLocations(certificate);
      for (const url of places.ocsp.slice(0, 2)) {
        const body = await ocspRequest(certificate, issuer);
        const response = await attempt((signal) =>
          fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
            body: new Uint8Array(body),
            redirect: 'error',
            signal,
          }),
        );
        if (response) {
          data.ocspResponses.push(response);
          return data;
        }
      }
      for (const url of places.crl.slice(0, 2)) {
        const crl = await attempt((signal) => fetch(url, { redirect: 'error', signal }));
        if (crl) {
          // Distribution points usually serve DER; accept PEM too.
          const pem = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(crl.toString('latin1'));
          data.crls.push(pem ? Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64') : crl);
          return data;
        }
      }
      return data;
    },
  };
}
