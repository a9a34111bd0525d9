import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkEndpointUrl, isPrivateAddress } from '../../src/domain/webhooks/endpoint-url';

/**
 * One address from every block of the IANA IPv4 and IPv6 Special-Purpose Address Registries
 * (plus multicast, the deprecated site-local block, and the forms that embed an IPv4 address),
 * each of which a webhook must never reach.
 */
const SPECIAL = [
  // IPv4 special-purpose registry
  '0.0.0.0',
  '0.1.2.3',
  '10.0.0.1',
  '100.64.0.1',
  '100.127.255.254',
  '127.0.0.1',
  '169.254.169.254',
  '172.16.0.1',
  '172.31.255.255',
  '192.0.0.8',
  '192.0.0.9',
  '192.0.0.170',
  '192.0.2.1',
  '192.31.196.1',
  '192.52.193.1',
  '192.88.99.1',
  '192.168.0.1',
  '192.175.48.1',
  '198.18.0.1',
  '198.19.255.255',
  '198.51.100.7',
  '203.0.113.9',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
  // IPv6 special-purpose registry
  '::',
  '::1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '64:ff9b::a00:1',
  '64:ff9b:1::1',
  '100::1',
  '2001::1',
  '2001:0:4136:e378:8000:63bf:3fff:fdd2',
  '2001:1::1',
  '2001:2::1',
  '2001:3::1',
  '2001:4:112::1',
  '2001:10::1',
  '2001:20::1',
  '2001:db8::1',
  '2002:7f00:1::1',
  '2002:a00:1::',
  '2620:4f:8000::1',
  '3fff::1',
  '5f00::1',
  'fc00::1',
  'fd12:3456::1',
  'fe80::1',
  'febf::1',
  'fec0::1',
  'ff02::1',
  // IPv4-compatible (deprecated) and other forms embedding an IPv4 address
  '::127.0.0.1',
  '::a00:1',
  '::7f00:1',
  '::169.254.169.254',
];

const PUBLIC = [
  '8.8.8.8',
  '172.32.0.1',
  '193.0.6.139',
  '2a00:1450:4001::1',
  '2001:4860:4860::8888',
  '2606:4700::1111',
];

describe('webhook address policy', () => {
  test('every special-purpose range is refused', () => {
    for (const address of SPECIAL) assert.equal(isPrivateAddress(address), true, address);
    for (const address of PUBLIC) assert.equal(isPrivateAddress(address), false, address);
  });

  test('the URL check refuses literals in every notation', () => {
    for (const host of [
      '[::127.0.0.1]',
      '[2002:7f00:1::1]',
      '[::ffff:a00:1]',
      '0x7f.1',
      '2130706433',
      '017700000001',
    ]) {
      const checked = checkEndpointUrl(`https://${host}/x`, false);
      assert.deepEqual(checked.ok ? 'ok' : checked.problem, 'private-address', host);
    }
  });
});
