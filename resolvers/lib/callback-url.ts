// Callback URL policy at create time, so that a URL that can never be delivered to is refused at once with a
// ValidationError. The host is read as the WHATWG URL standard reads it (the parser of browsers and of Node's URL,
// which the callback function uses): every spelling of an IPv4 address (2130706433, 0x7f000001, 0177.0.0.1, 127.1)
// and every IPv6 form (mapped, NAT64, 6to4) is judged by the address it means. What that parser would change
// (percent-escapes, non-ASCII, backslashes) is refused rather than interpreted. The callback function checks
// again after DNS resolution, before each delivery.
import { classifyBytes, hostEndsInNumber, parseIPv6, parseUrlIPv4, type AddressClass } from '../../domain/ip-address.ts';

const MAX_URL_LENGTH = 2048;
const HOST_CHARACTERS = 'abcdefghijklmnopqrstuvwxyz0123456789.-';
const INVALID = 'callbackUrl must be an absolute http(s) URL without credentials';

interface Authority {
  host: string;
  port: string | null;
}

function hasOnly(text: string, allowed: string): boolean {
  return text.split('').every((char) => allowed.indexOf(char) >= 0);
}

/** Visible ASCII only: no whitespace, controls, non-ASCII, percent-escapes or backslashes. */
function isPlainUrlText(url: string): boolean {
  return url.split('').every((char) => char > ' ' && char <= '~' && char !== '%' && char !== '\\');
}

/** host and port of `scheme://authority/...`; null when there are credentials or the shape is wrong. */
function authorityOf(rest: string): Authority | null {
  const ends = ['/', '?', '#'].map((mark) => rest.indexOf(mark)).filter((index) => index >= 0);
  const authority = ends.length > 0 ? rest.slice(0, ends.reduce((a, b) => Math.min(a, b))) : rest;
  if (authority === '' || authority.indexOf('@') >= 0) {
    return null;
  }
  if (authority.charAt(0) === '[') {
    const close = authority.indexOf(']');
    const after = authority.slice(close + 1);
    if (close < 0 || (after !== '' && after.charAt(0) !== ':')) {
      return null;
    }
    return { host: authority.slice(0, close + 1).toLowerCase(), port: after === '' ? null : after.slice(1) };
  }
  const colon = authority.indexOf(':');
  if (colon >= 0 && authority.indexOf(':', colon + 1) >= 0) {
    return null;
  }
  return colon < 0
    ? { host: authority.toLowerCase(), port: null }
    : { host: authority.slice(0, colon).toLowerCase(), port: authority.slice(colon + 1) };
}

function isValidPort(port: string | null): boolean {
  return port === null || port === '' || (port.length <= 5 && hasOnly(port, '0123456789') && Number(port) <= 65535);
}

/** The class of the host's address; null for a valid DNS name, 'invalid' for a host no parser accepts. */
function hostAddressClass(host: string): AddressClass | 'invalid' | null {
  if (host.charAt(0) === '[') {
    const bytes = parseIPv6(host.slice(1, -1));
    return bytes === null ? 'invalid' : classifyBytes(bytes);
  }
  if (host === '' || !hasOnly(host, HOST_CHARACTERS)) {
    return 'invalid';
  }
  if (hostEndsInNumber(host)) {
    const bytes = parseUrlIPv4(host);
    return bytes === null ? 'invalid' : classifyBytes(bytes);
  }
  const labels = host.charAt(host.length - 1) === '.' ? host.slice(0, -1).split('.') : host.split('.');
  const validLabel = (label: string): boolean =>
    label.length >= 1 && label.length <= 63 && label.charAt(0) !== '-' && label.charAt(label.length - 1) !== '-';
  return labels.every(validLabel) ? null : 'invalid';
}

function isLoopbackName(host: string): boolean {
  const name = host.charAt(host.length - 1) === '.' ? host.slice(0, -1) : host;
  return name === 'localhost' || name.endsWith('.localhost');
}

/** Why a callback URL is refused, or null when it is acceptable. */
export function callbackUrlProblem(url: string, allowHttpLoopback: boolean): string | null {
  const lower = url.toLowerCase();
  const scheme = lower.startsWith('https://') ? 'https' : lower.startsWith('http://') ? 'http' : null;
  if (!scheme || url.length > MAX_URL_LENGTH || !isPlainUrlText(url)) {
    return INVALID;
  }
  const authority = authorityOf(url.slice(scheme.length + 3));
  if (authority === null || !isValidPort(authority.port)) {
    return INVALID;
  }
  const kind = hostAddressClass(authority.host);
  if (kind === 'invalid') {
    return INVALID;
  }
  const loopback = kind === 'loopback' || (kind === null && isLoopbackName(authority.host));
  if (loopback && !allowHttpLoopback) {
    return 'callbackUrl must not point at a loopback address';
  }
  if (kind !== null && kind !== 'public' && !loopback) {
    return 'callbackUrl must not point at a private, link-local or reserved address';
  }
  if (scheme === 'http' && !(allowHttpLoopback && loopback)) {
    return 'callbackUrl must use https';
  }
  return null;
}
