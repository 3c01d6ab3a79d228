import { BlockList, isIP } from 'node:net';

type Range = readonly [label: string, subnet: string, prefix: number];

// IANA's special-purpose registries: addresses that are not, or not reliably, someone's server on the internet.
const IPV4: readonly Range[] = [
  ['"this network"', '0.0.0.0', 8],
  ['private-use', '10.0.0.0', 8],
  ['shared (carrier-grade NAT)', '100.64.0.0', 10],
  ['loopback', '127.0.0.0', 8],
  ['link-local', '169.254.0.0', 16],
  ['private-use', '172.16.0.0', 12],
  ['IETF protocol assignments', '192.0.0.0', 24],
  ['documentation', '192.0.2.0', 24],
  ['private-use', '192.168.0.0', 16],
  ['benchmarking', '198.18.0.0', 15],
  ['documentation', '198.51.100.0', 24],
  ['documentation', '203.0.113.0', 24],
  ['multicast', '224.0.0.0', 4],
  ['broadcast', '255.255.255.255', 32],
  ['reserved', '240.0.0.0', 4],
];

// IPv6 is judged the other way round: only global unicast (2000::/3) may be public, minus the ranges below. The
// ranges outside it are listed only to name them in the refusal.
const IPV6_OUTSIDE_GLOBAL: readonly Range[] = [
  ['unspecified', '::', 128],
  ['loopback', '::1', 128],
  ['NAT64', '64:ff9b::', 96],
  ['NAT64 (local use)', '64:ff9b:1::', 48],
  ['discard-only', '100::', 64],
  ['unique-local', 'fc00::', 7],
  ['link-local', 'fe80::', 10],
  ['site-local', 'fec0::', 10],
  ['multicast', 'ff00::', 8],
];
const IPV6_INSIDE_GLOBAL: readonly Range[] = [
  ['Teredo', '2001::', 32],
  ['documentation', '2001:db8::', 32],
  ['6to4', '2002::', 16],
  ['documentation', '3fff::', 20],
];

type Family = 'ipv4' | 'ipv6';

function subnet(address: string, prefix: number, family: Family): BlockList {
  const list = new BlockList();
  list.addSubnet(address, prefix, family);
  return list;
}

/** One BlockList per range, so that a match can be named. */
const listsOf = (ranges: readonly Range[], family: Family) =>
  ranges.map(([label, address, prefix]) => ({ label, list: subnet(address, prefix, family) }));

const V4 = listsOf(IPV4, 'ipv4');
const V6_OUTSIDE = listsOf(IPV6_OUTSIDE_GLOBAL, 'ipv6');
const V6_INSIDE = listsOf(IPV6_INSIDE_GLOBAL, 'ipv6');
const MAPPED = subnet('::ffff:0:0', 96, 'ipv6');
const GLOBAL_UNICAST = subnet('2000::', 3, 'ipv6');

const labelIn = (lists: typeof V4, address: string, family: Family) =>
  lists.find(({ list }) => list.check(address, family))?.label;

/**
 * Why an IP address is not a public one (e.g. `loopback`, `private-use`, `link-local`), or undefined when it is.
 * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are judged by the IPv4 address they carry; anything that is not an IP
 * address at all (a zone index included) is refused.
 */
export function nonPublicRange(address: string): string | undefined {
  const version = isIP(address);
  if (version === 4) return labelIn(V4, address, 'ipv4');
  if (version !== 6 || address.includes('%')) return 'not an IP address';
  // BlockList compares an IPv4 rule with the IPv4 address a mapped IPv6 address carries.
  if (MAPPED.check(address, 'ipv6')) {
    const label = labelIn(V4, address, 'ipv6');
    return label && `IPv4-mapped ${label}`;
  }
  if (!GLOBAL_UNICAST.check(address, 'ipv6')) {
    return labelIn(V6_OUTSIDE, address, 'ipv6') ?? 'outside global unicast';
  }
  return labelIn(V6_INSIDE, address, 'ipv6');
}
