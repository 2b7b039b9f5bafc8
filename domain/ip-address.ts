// IP addresses: parsing, and which ranges no public receiver lives in. Declared once for the createBlob resolver
// (which refuses a callback URL at once) and the callback function (which checks every address DNS returns).
// Shared by resolvers (bundled to APPSYNC_JS) and functions (Node): plain functions only, no regular expressions,
// no `++`, no while or for(;;) loops, no try/catch.

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

interface Range {
  prefix: number[];
  bits: number;
  kind: Exclude<AddressClass, 'public'>;
}

const DECIMAL = '0123456789';
const HEX = '0123456789abcdef';

/** The value of `text` in base `radix` (8, 10 or 16), or null when a character is not a digit of it. */
function digitsValue(text: string, radix: number): number | null {
  const digits = HEX.slice(0, radix);
  let value = 0;
  for (const char of text.toLowerCase().split('')) {
    const digit = digits.indexOf(char);
    if (digit < 0) {
      return null;
    }
    value = value * radix + digit;
  }
  return value;
}

/** A 16-bit value as 4 hexadecimal digits. */
function hexWord(value: number): string {
  return [4096, 256, 16, 1].map((unit) => HEX.charAt(Math.floor(value / unit) % 16)).join('');
}

function isDecimal(text: string): boolean {
  return text.length > 0 && text.split('').every((char) => DECIMAL.indexOf(char) >= 0);
}

/** Dotted-quad IPv4 (four decimal parts 0..255, as DNS answers write it) → 4 bytes. */
export function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => isDecimal(part) && part.length <= 3 && Number(part) <= 255)) {
    return null;
  }
  return parts.map((part) => Number(part));
}

/** IPv6 text (with `::` and an optional dotted-quad tail, no zone) → 16 bytes. */
export function parseIPv6(text: string): number[] | null {
  let source = text.toLowerCase();
  const lastColon = source.lastIndexOf(':');
  if (lastColon < 0) {
    return null;
  }
  const tail = source.slice(lastColon + 1);
  if (tail.indexOf('.') >= 0) {
    const quad = parseIPv4(tail);
    if (quad === null || tail.split('.').some((part) => part.length > 1 && part.charAt(0) === '0')) {
      return null;
    }
    source = `${source.slice(0, lastColon + 1)}${hexWord(quad[0] * 256 + quad[1])}:${hexWord(quad[2] * 256 + quad[3])}`;
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
  const zeros = halves.length === 2 ? ['0', '0', '0', '0', '0', '0', '0', '0'].slice(0, missing) : [];
  const words = left.concat(zeros, right);
  const bytes: number[] = [];
  for (const word of words) {
    const value = word.length >= 1 && word.length <= 4 ? digitsValue(word, 16) : null;
    if (value === null) {
      return null;
    }
    bytes.push(Math.floor(value / 256), value % 256);
  }
  return bytes;
}

/** The WHATWG URL standard's IPv4 number parser: 0x… is hexadecimal, 0… octal, else decimal; "" and "0x" are 0. */
function parseIPv4Number(part: string): number | null {
  if (part === '') {
    return null;
  }
  const lower = part.toLowerCase();
  if (lower.length >= 2 && lower.slice(0, 2) === '0x') {
    return lower.length === 2 ? 0 : digitsValue(lower.slice(2), 16);
  }
  if (lower.length >= 2 && lower.charAt(0) === '0') {
    return digitsValue(lower.slice(1), 8);
  }
  return digitsValue(lower, 10);
}

/** Whether a URL host "ends in a number" (WHATWG): such a host must parse as IPv4, or the URL is invalid. */
export function hostEndsInNumber(host: string): boolean {
  const parts = host.split('.');
  if (parts[parts.length - 1] === '') {
    if (parts.length === 1) {
      return false;
    }
    parts.pop();
  }
  const last = parts[parts.length - 1];
  return isDecimal(last) || parseIPv4Number(last) !== null;
}

/**
 * The WHATWG URL standard's IPv4 host parser, as browsers and Node's URL read `https://2130706433/`,
 * `https://0x7f000001/`, `https://0177.0.0.1/` or `https://127.1/`: every one is 127.0.0.1. Null when the host
 * does not parse (the URL is then invalid).
 */
export function parseUrlIPv4(host: string): number[] | null {
  const parts = host.split('.');
  if (parts[parts.length - 1] === '' && parts.length > 1) {
    parts.pop();
  }
  if (parts.length > 4) {
    return null;
  }
  const numbers: number[] = [];
  for (const part of parts) {
    const value = parseIPv4Number(part);
    if (value === null) {
      return null;
    }
    numbers.push(value);
  }
  const last = numbers[numbers.length - 1];
  const leading = numbers.slice(0, numbers.length - 1);
  if (leading.some((value) => value > 255) || last >= Math.pow(256, 5 - numbers.length)) {
    return null;
  }
  let address = last;
  leading.forEach((value, index) => {
    address = address + value * Math.pow(256, 3 - index);
  });
  return [
    Math.floor(address / 16777216) % 256,
    Math.floor(address / 65536) % 256,
    Math.floor(address / 256) % 256,
    address % 256,
  ];
}

function v4(address: string, bits: number, kind: Range['kind']): Range {
  return { prefix: parseIPv4(address) ?? [], bits, kind };
}

function v6(address: string, bits: number, kind: Range['kind']): Range {
  return { prefix: parseIPv6(address) ?? [], bits, kind };
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

const NAT64 = v6('64:ff9b::', 96, 'reserved');
const SIX_TO_FOUR = v6('2002::', 16, 'reserved');
const MAPPED = v6('::ffff:0:0', 96, 'reserved');

function matches(bytes: number[], range: Range): boolean {
  if (bytes.length !== range.prefix.length) {
    return false;
  }
  return bytes.every((byte, index) => {
    const take = Math.min(8, Math.max(0, range.bits - index * 8));
    const unit = Math.pow(2, 8 - take);
    return Math.floor(byte / unit) === Math.floor(range.prefix[index] / unit);
  });
}

function classify(bytes: number[], ranges: Range[]): AddressClass {
  const found = ranges.find((range) => matches(bytes, range));
  return found ? found.kind : 'public';
}

/** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
function embeddedIPv4(bytes: number[]): number[] | null {
  if (matches(bytes, MAPPED) || matches(bytes, NAT64)) {
    return bytes.slice(12, 16);
  }
  if (matches(bytes, SIX_TO_FOUR)) {
    return bytes.slice(2, 6);
  }
  return null;
}

/** What kind of address 4 or 16 bytes are; IPv6 forms that carry an IPv4 address are judged by it. */
export function classifyBytes(bytes: number[]): AddressClass {
  if (bytes.length === 4) {
    return classify(bytes, V4_RANGES);
  }
  const embedded = embeddedIPv4(bytes);
  return embedded !== null ? classify(embedded, V4_RANGES) : classify(bytes, V6_RANGES);
}

/** What kind of address this text is (dotted IPv4 or IPv6, an optional zone ignored); 'reserved' if neither. */
export function classifyAddress(address: string): AddressClass {
  const zone = address.indexOf('%');
  const text = zone < 0 ? address : address.slice(0, zone);
  const bytes = parseIPv4(text) ?? parseIPv6(text);
  return bytes === null ? 'reserved' : classifyBytes(bytes);
}
