import { describe, expect, it } from 'vitest';
import { classifyAddress, classifyBytes, hostEndsInNumber, parseIPv6, parseUrlIPv4 } from '../../domain/ip-address.ts';

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['192.0.2.1', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['255.255.255.255', 'reserved'],
    ['::ffff:8.8.8.8', 'public'],
    ['::ffff:7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['2002:a9fe:a9fe::', 'metadata'],
    ['2002:0a00:0001::1', 'private'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1%eth0', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['not-an-address', 'reserved'],
  ])('classifies %s as %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe('parseIPv6', () => {
  it.each([
    ['::', Array(16).fill(0)],
    ['::1', [...Array(15).fill(0), 1]],
    ['::ffff:127.0.0.1', [...Array(10).fill(0), 0xff, 0xff, 127, 0, 0, 1]],
    ['2001:db8::8:800:200c:417a', [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 8, 8, 0, 0x20, 0x0c, 0x41, 0x7a]],
    ['1:2:3:4:5:6:7:8', [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]],
  ])('reads %s', (text, bytes) => {
    expect(parseIPv6(text)).toEqual(bytes);
  });

  it.each(['1::2::3', '12345::', '1:2:3:4:5:6:7', '::ffff:300.1.1.1', '::ffff:127.0.0.01', 'g::1', ''])('refuses %s', (text) => {
    expect(parseIPv6(text)).toBeNull();
  });
});

/** The address Node's WHATWG URL parser finds in `https://<host>/`, as 4 bytes; null when the URL is invalid. */
function nodeIPv4(host: string): number[] | null {
  if (!URL.canParse(`https://${host}/`)) return null;
  return new URL(`https://${host}/`).hostname.split('.').map(Number);
}

describe('parseUrlIPv4, the WHATWG IPv4 host parser', () => {
  it.each([
    ['127.0.0.1', [127, 0, 0, 1]],
    ['2130706433', [127, 0, 0, 1]],
    ['0x7f000001', [127, 0, 0, 1]],
    ['0177.0.0.1', [127, 0, 0, 1]],
    ['127.1', [127, 0, 0, 1]],
    ['0x7f.1', [127, 0, 0, 1]],
    ['0', [0, 0, 0, 0]],
    ['0x', [0, 0, 0, 0]],
    ['169.254.43518', [169, 254, 169, 254]],
    ['127.0.0.1.', [127, 0, 0, 1]],
    ['4294967295', [255, 255, 255, 255]],
  ])('reads %s as Node URL does', (host, bytes) => {
    expect(parseUrlIPv4(host)).toEqual(bytes);
    expect(nodeIPv4(host)).toEqual(bytes);
  });

  it.each(['4294967296', '256.0.0.1', '1.2.3.4.5', '0x1g.0.0.1', '08.0.0.1', '1.2.3.256', '1..2'])(
    'refuses %s, which Node URL refuses too',
    (host) => {
      expect(parseUrlIPv4(host)).toBeNull();
      expect(URL.canParse(`https://${host}/`)).toBe(false);
    },
  );

  it.each([
    ['example.com', false],
    ['1.example', false],
    ['example.1', true],
    ['example.0x1', true],
    ['127.0.0.1.', true],
    ['.', false],
  ])('knows whether %s ends in a number (%s)', (host, ends) => {
    expect(hostEndsInNumber(host)).toBe(ends);
  });

  it('classifies the parsed bytes as the dotted form', () => {
    expect(classifyBytes(parseUrlIPv4('2130706433')!)).toBe('loopback');
    expect(classifyBytes(parseUrlIPv4('0xa9fea9fe')!)).toBe('metadata');
  });
});
