import { isIP } from 'node:net';

/**
 * Where webhooks may go. In production only https URLs on public addresses: the platform must
 * never be turned into a probe of the office's or its own internal network (SSRF). Loopback and
 * private addresses, and plain http, are allowed only when the installation explicitly says so
 * (tests, a receiver on the same private network).
 */
export type EndpointUrlProblem = 'invalid' | 'scheme' | 'credentials' | 'private-address';

export function checkEndpointUrl(
  raw: string,
  allowPrivate: boolean,
): { ok: true; url: URL } | { ok: false; problem: EndpointUrlProblem } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  if (raw.length > 2000 || !url.hostname) return { ok: false, problem: 'invalid' };
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:'))
    return { ok: false, problem: 'scheme' };
  if (url.username || url.password) return { ok: false, problem: 'credentials' };
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (
    !allowPrivate &&
    (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && isPrivateAddress(host)))
  ) {
    return { ok: false, problem: 'private-address' };
  }
  return { ok: true, url };
}

function ipv4Parts(address: string): number[] | undefined {
  const parts = address.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255)
    ? parts
    : undefined;
}

/** Loopback, private, link-local, shared, multicast, reserved and unspecified addresses. */
export function isPrivateAddress(address: string): boolean {
  const v4 = ipv4Parts(address);
  if (v4) {
    const [a, b] = v4 as [number, number, number, number];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      a >= 224 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 192 && b === 0) ||
      (a === 198 && (b === 18 || b === 19))
    );
  }
  const v6 = address.toLowerCase();
  if (isIP(v6) !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped?.[1]) return isPrivateAddress(mapped[1]);
  return (
    v6 === '::' ||
    v6 === '::1' ||
    v6.startsWith('fc') ||
    v6.startsWith('fd') ||
    /^fe[89ab]/.test(v6) ||
    v6.startsWith('ff') ||
    v6.startsWith('::ffff:') ||
    v6.startsWith('64:ff9b:') ||
    v6.startsWith('2001:db8')
  );
}
