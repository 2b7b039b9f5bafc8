// Callback URL policy at create time, so that a URL that can never be delivered to is refused at once
// with a ValidationError. The callback function checks again after DNS resolution, before each delivery.
import { util } from '@aws-appsync/utils';

const MAX_URL_LENGTH = 2048;
/** host[:port], with the host a DNS name, an IPv4 address or a bracketed IPv6 address (Java regex syntax). */
const AUTHORITY_PATTERN = '([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?';
const IPV4_PATTERN = '[0-9]{1,3}(\\.[0-9]{1,3}){3}';

/** The API environment variable that allows http:// and loopback targets (the local cloud only). */
export const ALLOW_HTTP_LOOPBACK_VARIABLE = 'CALLBACK_ALLOW_HTTP_LOOPBACK';

function hostOf(authority: string): string {
  if (authority.startsWith('[')) {
    return authority.slice(0, authority.indexOf(']') + 1).toLowerCase();
  }
  return authority.split(':')[0].toLowerCase();
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host.startsWith('127.') || host === '[::1]';
}

/** Literal addresses no public receiver has: private, link-local (metadata), CGNAT, unspecified, multicast. */
function isNonPublicLiteral(host: string): boolean {
  if (host.startsWith('[')) {
    const v6 = host.slice(1, -1);
    return v6 === '::' || v6.startsWith('::ffff:') || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe8') ||
      v6.startsWith('fe9') || v6.startsWith('fea') || v6.startsWith('feb') || v6.startsWith('ff');
  }
  if (!util.matches(IPV4_PATTERN, host)) {
    return false;
  }
  const octets = host.split('.').map((part) => Number(part));
  const [a, b] = octets;
  return a === 0 || a === 10 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
}

/** Why a callback URL is refused, or null when it is acceptable. */
export function callbackUrlProblem(url: string, allowHttpLoopback: boolean): string | null {
  const lower = url.toLowerCase();
  const scheme = lower.startsWith('https://') ? 'https' : lower.startsWith('http://') ? 'http' : null;
  if (!scheme || url.length > MAX_URL_LENGTH || !util.matches('\\S+', url)) {
    return 'callbackUrl must be an absolute http(s) URL without credentials';
  }
  const authority = url.slice(scheme.length + 3).split('/')[0].split('?')[0].split('#')[0];
  if (!util.matches(AUTHORITY_PATTERN, authority)) {
    return 'callbackUrl must be an absolute http(s) URL without credentials';
  }
  const host = hostOf(authority);
  const loopback = isLoopbackHost(host);
  if (loopback && !allowHttpLoopback) {
    return 'callbackUrl must not point at a loopback address';
  }
  if (isNonPublicLiteral(host)) {
    return 'callbackUrl must not point at a private, link-local or reserved address';
  }
  if (scheme === 'http' && !(allowHttpLoopback && loopback)) {
    return 'callbackUrl must use https';
  }
  return null;
}
