// Where a callback may be sent, and sending it there (server-side request forgery defence).
//
// Policy: https only; every address the host name resolves to must be public (not private, loopback, link-local,
// CGNAT, multicast, unspecified, reserved, documentation or a cloud metadata address; IPv4-mapped, NAT64 and 6to4
// IPv6 addresses are judged by the IPv4 address they carry). CALLBACK_ALLOW_HTTP_LOOPBACK=true (the local cloud)
// also permits http:// and loopback addresses, and nothing else.
//
// The request then connects to the address that was checked (a `lookup` pinned to it), so a DNS answer that changes
// between the check and the connection (DNS rebinding) cannot redirect it. TLS still verifies the certificate
// against the URL's host name. Redirects are never followed: Node's http(s).request does not follow them.
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { DomainError } from './errors.ts';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses (dns.lookup with all: true by default; tests inject their own). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface CallbackTargetPolicy {
  allowHttpLoopback: boolean;
  resolve?: Resolver;
}

/** A URL that passed the policy, with the address the request must connect to. */
export interface VettedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'cgnat'
  | 'multicast'
  | 'unspecified'
  | 'reserved'
  | 'documentation';

export const systemResolver: Resolver = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => ({ address: answer.address, family: answer.family === 6 ? 6 : 4 }));
};

/**
 * Checks a callback URL against the policy and resolves it. Refusals throw DomainError CallbackTargetRefused
 * (not retryable); a failed DNS lookup throws DependencyUnavailable (retryable: DNS may recover).
 */
export async function vetCallbackTarget(rawUrl: string, policy: CallbackTargetPolicy): Promise<VettedTarget> {
  if (!URL.canParse(rawUrl)) {
    throw refused('the callback URL is not a valid URL');
  }
  const url = new URL(rawUrl);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttpLoopback)) {
    throw refused(`callback URLs must use https, not ${url.protocol.replace(':', '')}`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ResolvedAddress[];
  if (isIP(host) !== 0) {
    addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await (policy.resolve ?? systemResolver)(host);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new DomainError('DependencyUnavailable', `DNS lookup of the callback host failed (${String(code ?? error)})`, {
        retryable: true,
        cause: error,
      });
    }
    if (addresses.length === 0) {
      throw new DomainError('DependencyUnavailable', 'DNS lookup of the callback host returned no address', { retryable: true });
    }
  }
  for (const { address } of addresses) {
    const kind = classifyAddress(address);
    const allowed = kind === 'public' || (kind === 'loopback' && policy.allowHttpLoopback);
    if (!allowed) {
      throw refused(`the callback host resolves to a ${kind} address (${address})`);
    }
  }
  const [first] = addresses;
  return { url, address: stripZone(first.address), family: first.family };
}

function refused(reason: string): DomainError {
  return new DomainError('CallbackTargetRefused', `Callback refused: ${reason}`, { retryable: false });
}

// ---------------------------------------------------------------------------------------------------------------
// Address classification

interface Range {
  prefix: number[];
  bits: number;
  kind: Exclude<AddressClass, 'public'>;
}

const V4_RANGES: Range[] = [
  v4('0.0.0.0', 8, 'unspecified'),
  v4('10.0.0.0', 8, 'private'),
  v4('100.64.0.0', 10, 'cgnat'),
  v4('127.0.0.0', 8, 'loopback'),
  v4('169.254.169.254', 32, 'metadata'),
  v4('169.254.170.2', 32, 'metadata'),
  v4('169.254.0.0', 16, 'link-local'),
  v4('172.16.0.0', 12, 'private'),
  v4('192.0.0.0', 24, 'reserved'),
  v4('192.0.2.0', 24, 'documentation'),
  v4('192.88.99.0', 24, 'reserved'),
  v4('192.168.0.0', 16, 'private'),
  v4('198.18.0.0', 15, 'reserved'),
  v4('198.51.100.0', 24, 'documentation'),
  v4('203.0.113.0', 24, 'documentation'),
  v4('224.0.0.0', 4, 'multicast'),
  v4('240.0.0.0', 4, 'reserved'),
];

const V6_RANGES: Range[] = [
  v6('::', 128, 'unspecified'),
  v6('::1', 128, 'loopback'),
  v6('::', 96, 'reserved'), // IPv4-compatible (deprecated)
  v6('64:ff9b:1::', 48, 'private'), // local-use NAT64
  v6('100::', 64, 'reserved'), // discard
  v6('2001::', 32, 'reserved'), // Teredo
  v6('2001:db8::', 32, 'documentation'),
  v6('fd00:ec2::254', 128, 'metadata'), // EC2 instance metadata over IPv6
  v6('fc00::', 7, 'private'), // unique local
  v6('fe80::', 10, 'link-local'),
  v6('fec0::', 10, 'private'), // site-local (deprecated)
  v6('ff00::', 8, 'multicast'),
];

/** What kind of address this is; 'reserved' for anything that does not parse. */
export function classifyAddress(address: string): AddressClass {
  const text = stripZone(address);
  const v4Bytes = parseIPv4(text);
  if (v4Bytes !== null) {
    return classify(v4Bytes, V4_RANGES);
  }
  const v6Bytes = parseIPv6(text);
  if (v6Bytes === null) {
    return 'reserved';
  }
  const embedded = embeddedIPv4(v6Bytes);
  if (embedded !== null) {
    return classify(embedded, V4_RANGES);
  }
  return classify(v6Bytes, V6_RANGES);
}

/** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
function embeddedIPv4(bytes: number[]): number[] | null {
  const isMapped = bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  const isNat64 = matches(bytes, V6_NAT64.prefix, V6_NAT64.bits);
  if (isMapped || isNat64) {
    return bytes.slice(12, 16);
  }
  if (bytes[0] === 0x20 && bytes[1] === 0x02) {
    return bytes.slice(2, 6);
  }
  return null;
}

const V6_NAT64 = v6('64:ff9b::', 96, 'reserved');

function classify(bytes: number[], ranges: Range[]): AddressClass {
  return ranges.find((range) => matches(bytes, range.prefix, range.bits))?.kind ?? 'public';
}

function matches(bytes: number[], prefix: number[], bits: number): boolean {
  if (bytes.length !== prefix.length) {
    return false;
  }
  for (let bit = 0; bit < bits; bit += 8) {
    const index = bit / 8;
    const take = Math.min(8, bits - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((bytes[index] & mask) !== (prefix[index] & mask)) {
      return false;
    }
  }
  return true;
}

function v4(address: string, bits: number, kind: Range['kind']): Range {
  return { prefix: parseIPv4(address) ?? [], bits, kind };
}

function v6(address: string, bits: number, kind: Range['kind']): Range {
  return { prefix: parseIPv6(address) ?? [], bits, kind };
}

function stripZone(address: string): string {
  const zone = address.indexOf('%');
  return zone === -1 ? address : address.slice(0, zone);
}

/** Dotted-quad IPv4 (strict: four decimal parts 0..255) → 4 bytes. */
export function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) {
    return null;
  }
  return parts.map(Number);
}

/** IPv6 text (with `::` and an optional dotted-quad tail) → 16 bytes. */
export function parseIPv6(text: string): number[] | null {
  let source = text.toLowerCase();
  const lastColon = source.lastIndexOf(':');
  if (lastColon === -1) {
    return null;
  }
  const tail = source.slice(lastColon + 1);
  if (tail.includes('.')) {
    const quad = parseIPv4(tail);
    if (quad === null) {
      return null;
    }
    source = `${source.slice(0, lastColon + 1)}${((quad[0] << 8) | quad[1]).toString(16)}:${((quad[2] << 8) | quad[3]).toString(16)}`;
  }
  const halves = source.split('::');
  if (halves.length > 2) {
    return null;
  }
  const groups = (half: string): string[] => (half === '' ? [] : half.split(':'));
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - left.length - right.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) {
    return null;
  }
  const words = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  if (!words.every((word) => /^[0-9a-f]{1,4}$/.test(word))) {
    return null;
  }
  return words.flatMap((word) => {
    const value = Number.parseInt(word, 16);
    return [value >> 8, value & 0xff];
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Sending to a vetted target

export interface OutgoingRequest {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface IncomingResponse {
  status: number;
  headers: Record<string, string | undefined>;
}

/** Sends one request to a vetted target; rejects on network errors and on timeout (an AbortError/TimeoutError). */
export type Transport = (target: VettedTarget, request: OutgoingRequest) => Promise<IncomingResponse>;

/** At most this much of a response body is read (and thrown away): callbacks answer with a status. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export const pinnedTransport: Transport = (target, request) =>
  new Promise<IncomingResponse>((resolve, reject) => {
    const client = target.url.protocol === 'https:' ? https : http;
    const signal = AbortSignal.timeout(request.timeoutMs);
    const outgoing = client.request(
      target.url,
      {
        method: request.method,
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        signal,
        // A fresh connection each time: no pooled socket connected to an address vetted for another request.
        agent: false,
        lookup: pinnedLookup(target),
      },
      (incoming) => {
        const headers: Record<string, string | undefined> = {};
        for (const [name, value] of Object.entries(incoming.headers)) {
          headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        let received = 0;
        incoming.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) {
            incoming.destroy();
          }
        });
        incoming.on('error', () => undefined);
        resolve({ status: incoming.statusCode ?? 0, headers });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });

/** A dns.lookup replacement that answers with the vetted address only. */
function pinnedLookup(target: VettedTarget): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) {
      callback(null, [{ address: target.address, family: target.family }]);
    } else {
      callback(null, target.address, target.family);
    }
  };
}
