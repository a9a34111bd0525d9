import { BlockList, isIP } from 'node:net';

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

/**
 * Every block of the IANA IPv4 and IPv6 Special-Purpose Address Registries, multicast and the
 * reserved space, whether or not the registry marks it globally reachable: a webhook receiver
 * is an ordinary public server, and none of these is one. IPv6 is allowed only inside global
 * unicast (2000::/3), which also shuts out the IPv4-mapped and IPv4-compatible forms (::/8);
 * 6to4, Teredo and NAT64 embed an IPv4 address and are refused whole.
 */
const SPECIAL_PURPOSE = (() => {
  const list = new BlockList();
  const v4: [string, number][] = [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.31.196.0', 24],
    ['192.52.193.0', 24],
    ['192.88.99.0', 24],
    ['192.168.0.0', 16],
    ['192.175.48.0', 24],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ];
  for (const [net, prefix] of v4) list.addSubnet(net, prefix, 'ipv4');
  const v6: [string, number][] = [
    ['64:ff9b::', 96],
    ['64:ff9b:1::', 48],
    ['100::', 64],
    ['2001::', 23],
    ['2001:db8::', 32],
    ['2002::', 16],
    ['2620:4f:8000::', 48],
    ['3fff::', 20],
    ['5f00::', 16],
  ];
  for (const [net, prefix] of v6) list.addSubnet(net, prefix, 'ipv6');
  return list;
})();

const GLOBAL_UNICAST = (() => {
  const list = new BlockList();
  list.addSubnet('2000::', 3, 'ipv6');
  return list;
})();

/** Whether an IP address literal is anything but an ordinary public address (see SPECIAL_PURPOSE). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return SPECIAL_PURPOSE.check(address, 'ipv4');
  if (family !== 6) return true;
  const v6 = address.toLowerCase();
  if (!GLOBAL_UNICAST.check(v6, 'ipv6')) return true;
  return SPECIAL_PURPOSE.check(v6, 'ipv6');
}
