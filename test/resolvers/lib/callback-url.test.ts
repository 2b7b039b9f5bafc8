// The createBlob callback URL policy, checked against the parser the callback function delivers with (Node's
// WHATWG URL) and the address classes it refuses: whatever the resolver accepts, delivery would accept too.
import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../../../domain/ip-address.ts';
import { callbackUrlProblem } from '../../../resolvers/lib/callback-url.ts';

const CLOUD = false;
const LOCAL = true;

/** Delivery's view of a URL: refused unless it parses and its host, when an address, is public. */
function deliveryAccepts(url: string, allowHttpLoopback: boolean): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  if (parsed.username || parsed.password) return false;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const isAddress = /^[\d.]+$/.test(host) || host.includes(':');
  const kind = isAddress ? classifyAddress(host) : host === 'localhost' || host.endsWith('.localhost') ? 'loopback' : 'public';
  if (kind === 'loopback') return allowHttpLoopback;
  return kind === 'public' && parsed.protocol === 'https:';
}

describe('callbackUrlProblem', () => {
  it.each([
    'https://2130706433/',
    'https://0x7f000001/',
    'https://0177.0.0.1/',
    'https://127.1/',
    'https://127.0.0.1./',
    'https://[::ffff:127.0.0.1]/',
    'https://[::1]/',
    'https://[0:0:0:0:0:0:0:1]/',
    'https://localhost/',
    'https://localhost./hook',
    'https://api.localhost/',
  ])('refuses the loopback address of %s in the cloud', (url) => {
    expect(callbackUrlProblem(url, CLOUD)).toBe('callbackUrl must not point at a loopback address');
  });

  it.each([
    'https://[64:ff9b::a9fe:a9fe]/',
    'https://[2002:a9fe:a9fe::]/',
    'https://0/',
    'https://169.254.169.254/latest/meta-data/',
    'https://0xa9fea9fe/',
    'https://169.254.43518/',
    'https://10.1/',
    'https://192.168.0.1:8443/hook',
    'https://[fd00:ec2::254]/',
    'https://[fe80::1]/',
    'https://[fc00::1]/',
    'https://[::]/',
    'https://[::ffff:10.0.0.1]/',
    'https://100.64.0.1/',
    'https://224.0.0.1/',
  ])('refuses the non-public address of %s', (url) => {
    expect(callbackUrlProblem(url, LOCAL)).toBe('callbackUrl must not point at a private, link-local or reserved address');
  });

  it.each([
    'ftp://example.com/',
    'https:example.com/',
    'https:/example.com/',
    'https:///example.com/',
    'https://user:pass@example.com/',
    'https://example.com@127.0.0.1/',
    'https://example.com\\@127.0.0.1/',
    'https://%31%32%37.0.0.1/',
    'https://１２７.0.0.1/',
    'https://exa mple.com/',
    'https://example.com:99999/',
    'https://example.com:80:80/',
    'https://-bad-.example.com/',
    'https://256.0.0.1/',
    'https://4294967296/',
    'https://[::1/',
    'https://[::1]x/',
    'https://[1::2::3]/',
    'https://ex_ample.com/',
    `https://example.com/${'a'.repeat(2048)}`,
  ])('refuses %s as not an acceptable URL', (url) => {
    expect(callbackUrlProblem(url, LOCAL)).toBe('callbackUrl must be an absolute http(s) URL without credentials');
  });

  it.each(['http://example.com/hook', 'http://8.8.8.8/'])('refuses plain http to a public host (%s)', (url) => {
    expect(callbackUrlProblem(url, LOCAL)).toBe('callbackUrl must use https');
  });

  it.each([
    'https://example.com/hook',
    'https://example.com:8443/hook?token=abc#frag',
    'https://EXAMPLE.com/',
    'https://8.8.8.8/',
    'https://134744072/',
    'https://[2606:4700:4700::1111]/',
    'https://[::ffff:8.8.8.8]/',
    'https://xn--bcher-kva.example/',
    'https://example.com./',
  ])('accepts %s', (url) => {
    expect(callbackUrlProblem(url, CLOUD)).toBeNull();
  });

  it.each(['http://127.0.0.1:9000/hook', 'http://localhost:9000/', 'http://[::1]:9000/', 'http://2130706433:9000/'])(
    'accepts loopback over http only where the API allows it (%s)',
    (url) => {
      expect(callbackUrlProblem(url, LOCAL)).toBeNull();
      expect(callbackUrlProblem(url, CLOUD)).not.toBeNull();
    },
  );

  it('never accepts a URL that delivery would refuse, across generated spellings of hosts', () => {
    const hosts = [
      '127.0.0.1', '2130706433', '0x7f000001', '0177.0.0.1', '127.1', '127.0.1', '0x7f.1', '017700000001', '0',
      '0.0.0.0', '10.0.0.1', '012.0.0.1', '0xa.0.0.1', '167772161', '169.254.169.254', '0251.0376.0251.0376',
      '2852039166', '172.16.0.1', '0xac100001', '192.168.1.1', '3232235777', '100.64.0.1', '8.8.8.8', '0x8080808',
      '134744072', '010.010.010.010', '1.1', '1', '255.255.255.255', '4294967295', '[::1]', '[::ffff:7f00:1]',
      '[::ffff:127.0.0.1]', '[64:ff9b::7f00:1]', '[2002:7f00:1::]', '[fd00::1]', '[2001:db8::1]', '[2606:4700::1111]',
      '[::ffff:8.8.8.8]', '[::127.0.0.1]', 'example.com', 'localhost', 'a.localhost', 'LOCALHOST', '127.0.0.1.',
    ];
    let accepted = 0;
    for (const host of hosts) {
      for (const scheme of ['https', 'http']) {
        for (const allow of [CLOUD, LOCAL]) {
          const url = `${scheme}://${host}:8443/hook`;
          if (callbackUrlProblem(url, allow) === null) {
            expect({ url, allow, delivery: deliveryAccepts(url, allow) }).toEqual({ url, allow, delivery: true });
            accepted += 1;
          }
        }
      }
    }
    // Public hosts over https, and loopback spellings where allowed: the check above was not vacuous.
    expect(accepted).toBeGreaterThan(20);
  });
});
