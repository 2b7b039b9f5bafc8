import { describe, expect, it } from 'vitest';
import { type Resolver, vetCallbackTarget } from '../../../functions/webhooks/callback-target.ts';
import { DomainError } from '../../../functions/commons/errors.ts';

const CLOUD = { allowHttpLoopback: false };
const LOCAL = { allowHttpLoopback: true };

function resolverOf(answers: Record<string, string[]>): Resolver {
  return async (hostname) => {
    const addresses = answers[hostname];
    if (addresses === undefined) {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    }
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

async function refusal(url: string, policy: { allowHttpLoopback: boolean; resolve?: Resolver }): Promise<DomainError> {
  const error = await vetCallbackTarget(url, policy).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof DomainError)) {
    throw new Error(`expected ${url} to be refused`);
  }
  return error;
}

describe('vetCallbackTarget', () => {
  it('accepts an https URL whose host resolves to public addresses, and pins the first', async () => {
    const policy = { ...CLOUD, resolve: resolverOf({ 'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'] }) };

    const target = await vetCallbackTarget('https://hooks.example.com/labels?token=x', policy);

    expect(target).toMatchObject({ address: '93.184.215.14', family: 4 });
    expect(target.url.hostname).toBe('hooks.example.com');
  });

  it.each([
    ['http://127.0.0.1:8080/hook', /must use https, not http/],
    ['https://127.0.0.1/hook', /loopback address \(127\.0\.0\.1\)/],
    ['https://10.0.0.1/hook', /private address \(10\.0\.0\.1\)/],
    ['https://172.20.1.1/hook', /private address/],
    ['https://192.168.1.10/hook', /private address/],
    ['https://169.254.169.254/latest/meta-data/', /metadata address \(169\.254\.169\.254\)/],
    ['https://169.254.10.1/', /link-local address/],
    ['https://100.64.0.1/', /cgnat address/],
    ['https://0.0.0.0/', /unspecified address/],
    ['https://224.0.0.1/', /multicast address/],
    ['https://[::1]/hook', /loopback address \(::1\)/],
    ['https://[::]/hook', /unspecified address/],
    ['https://[::ffff:127.0.0.1]/hook', /loopback address/],
    ['https://[::ffff:10.1.2.3]/hook', /private address/],
    ['https://[64:ff9b::a9fe:a9fe]/hook', /metadata address/],
    ['https://[2002:c0a8:0101::1]/hook', /private address/],
    ['https://[fe80::1]/hook', /link-local address/],
    ['https://[fd00:ec2::254]/hook', /metadata address/],
    ['https://[fc00::1]/hook', /private address/],
    ['https://[ff02::1]/hook', /multicast address/],
    ['ftp://example.com/hook', /must use https, not ftp/],
    ['not a url', /not a valid URL/],
  ])('refuses %s', async (url, reason) => {
    const error = await refusal(url, CLOUD);

    expect(error.code).toBe('CallbackTargetRefused');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(reason);
  });

  it('refuses a host name that resolves to a private address', async () => {
    const policy = { ...CLOUD, resolve: resolverOf({ 'intranet.example.com': ['10.0.0.7'] }) };

    const error = await refusal('https://intranet.example.com/hook', policy);

    expect(error.message).toMatch(/private address \(10\.0\.0\.7\)/);
  });

  it('refuses a host name when any one of its addresses is not public', async () => {
    const policy = { ...CLOUD, resolve: resolverOf({ 'mixed.example.com': ['93.184.215.14', '127.0.0.1'] }) };

    const error = await refusal('https://mixed.example.com/hook', policy);

    expect(error.message).toMatch(/loopback address/);
  });

  it('reports a failed DNS lookup as retryable, not as a refusal', async () => {
    const policy = { ...CLOUD, resolve: resolverOf({}) };

    const error = await refusal('https://gone.example.com/hook', policy);

    expect(error).toMatchObject({ code: 'DependencyUnavailable', retryable: true });
  });

  describe('with CALLBACK_ALLOW_HTTP_LOOPBACK=true', () => {
    it.each(['http://127.0.0.1:8080/hook', 'http://[::1]:8080/hook', 'https://127.0.0.1/hook'])('allows %s', async (url) => {
      await expect(vetCallbackTarget(url, LOCAL)).resolves.toMatchObject({ url: new URL(url) });
    });

    it('allows localhost resolved to loopback', async () => {
      const policy = { ...LOCAL, resolve: resolverOf({ localhost: ['127.0.0.1', '::1'] }) };

      await expect(vetCallbackTarget('http://localhost:9000/hook', policy)).resolves.toMatchObject({ address: '127.0.0.1' });
    });

    it.each([
      ['http://10.0.0.1/hook', /private address/],
      ['http://169.254.169.254/', /metadata address/],
      ['http://[fe80::1]/', /link-local address/],
    ])('still refuses %s', async (url, reason) => {
      await expect(refusal(url, LOCAL)).resolves.toMatchObject({ code: 'CallbackTargetRefused', message: expect.stringMatching(reason) });
    });
  });
});
