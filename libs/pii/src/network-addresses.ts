import { isIP } from 'node:net';
import { piiMarkers } from './markers';

const octet = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

/**
 * Dotted quads whose parts are all <= 255 are IP addresses, even when they could be a four-part version: the exceptions
 * are a quad right after `name@` (`package@1.2.3.4`) or `v` (`v1.2.3.4`), or inside a longer dotted run (`1.2.3.4.5`).
 * The `name@` exception means `root@10.0.0.5` (an ssh target) is kept; `scheme://user@10.0.0.5` is not, because the
 * user part has already become `[secret]` by then.
 */
const ipv4 = new RegExp(`(?<![A-Za-z0-9_.]|[A-Za-z0-9_-]@)${octet}(?:\\.${octet}){3}(?![A-Za-z0-9_]|\\.\\d)`, 'g');

/**
 * Candidates only; `isIP` decides. Clock times (`12:34:56`) and MAC addresses are not valid IPv6, and the checks in
 * isRedactableIpv6 keep `[::2]` slices and hex-only `abc::def` paths out.
 */
const ipv6Candidate =
  /(?<![A-Za-z0-9:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?:%[A-Za-z0-9]+)?(?![A-Za-z0-9:]|\.\d)/g;

/** Loopback and unspecified addresses say nothing about a person and are what "ECONNREFUSED 127.0.0.1:6379" is about. */
function isLocalAddress(address: string): boolean {
  return address.startsWith('127.') || address === '0.0.0.0' || address === '::1' || address === '::';
}

function isRedactableIpv6(candidate: string): boolean {
  const address = candidate.replace(/%.*$/, '');
  if (isIP(address) !== 6 || isLocalAddress(address)) return false;
  const groups = address.split(':').filter((group) => group !== '');
  return /\d/.test(address) && groups.length >= 2;
}

export function scrubIpAddresses(text: string): string {
  return text
    .replace(ipv6Candidate, (match) => (isRedactableIpv6(match) ? piiMarkers.ip : match))
    .replace(ipv4, (match) => (isLocalAddress(match) ? match : piiMarkers.ip));
}
