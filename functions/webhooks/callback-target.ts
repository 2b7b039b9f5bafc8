// Where a callback may be sent, and sending it there (server-side request forgery defence).
//
// Policy: https only; every address the host name resolves to must be public (not private, loopback, link-local,
// CGNAT, multicast, unspecified, reserved, documentation or a cloud metadata address; IPv4-mapped, NAT64 and 6to4
// IPv6 addresses are judged by the IPv4 address they carry: domain/ip-address.ts, shared with createBlob). CALLBACK_ALLOW_HTTP_LOOPBACK=true (the local cloud)
// also permits http:// and loopback addresses, and nothing else.
//
// The request then connects to the address that was checked (a `lookup` pinned to it), so a DNS answer that changes
// between the check and the connection (DNS rebinding) cannot redirect it. TLS still verifies the certificate
// against the URL's host name. Redirects are never followed: Node's http(s).request does not follow them.
import { lookup as dnsLookup } from 'node:dns/promises';
import type http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { classifyAddress } from '../../domain/ip-address.ts';
import { DomainError } from '../commons/errors.ts';

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

function stripZone(address: string): string {
  const zone = address.indexOf('%');
  return zone === -1 ? address : address.slice(0, zone);
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

export const pinnedTransport: Transport = async (target, request) => {
  const send = target.url.protocol === 'https:' ? https.request : await plainHttpRequest();
  return new Promise<IncomingResponse>((resolve, reject) => {
    const signal = AbortSignal.timeout(request.timeoutMs);
    const outgoing = send(
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
};

/**
 * node:http, loaded on the first http:// callback (only the local cloud allows them). Not imported with the module:
 * on Node 24 an ESM import of node:http reads every export, and its WebSocket getter loads Node's fetch
 * implementation (undici), a fifth of the cold import of the bundles that send webhooks (BENCHMARKS.md).
 */
async function plainHttpRequest(): Promise<typeof http.request> {
  return (await import('node:http')).request;
}

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
