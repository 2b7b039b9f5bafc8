// AppSync's built-in scalars (AWSDate, AWSDateTime, AWSJSON, AWSURL, ...), validated as AppSync validates them.
// Rules follow the AppSync developer guide's "Scalar types" page; messages follow the wording AppSync
// returns ("Unable to parse `x` as a valid ..."), so clients see the same text locally and in the cloud.
import { isIP } from 'node:net';
import { GraphQLError, GraphQLScalarType, Kind, type GraphQLSchema, type ValueNode } from 'graphql';

/** Thrown by a scalar when an input value is invalid; the endpoint turns it into AppSync's message. */
export class ScalarParseError extends Error {
  constructor(
    readonly scalar: string,
    message: string,
  ) {
    super(message);
    this.name = 'ScalarParseError';
  }
}

interface ScalarRule {
  /** What the value is called in messages, as AppSync names it. */
  label: string;
  /** Input: returns the value resolvers receive, or throws ScalarParseError. */
  parse(value: unknown): unknown;
  /** Output: returns the value sent to the client, or throws ScalarParseError. */
  serialize(value: unknown): unknown;
  /** Which literal kinds are acceptable inside a query document. */
  literalKinds: Kind[];
}

const OFFSET = '(?:Z|[+-]\\d{2}:\\d{2}(?::\\d{2})?)';
const DATE = '-?\\d{4,}-\\d{2}-\\d{2}';
const TIME = '\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?';
const DATE_RE = new RegExp(`^(${DATE})(${OFFSET})?$`);
const TIME_RE = new RegExp(`^(${TIME})(${OFFSET})?$`);
const DATE_TIME_RE = new RegExp(`^(${DATE})T(${TIME})(${OFFSET})$`);
const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;
const PHONE_RE = /^\+?[\d\s().-]+$/;

function unable(scalar: string, label: string, value: unknown): ScalarParseError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return new ScalarParseError(scalar, `Unable to parse \`${shown}\` as a valid ${label}.`);
}

function validDate(datePart: string): boolean {
  const match = /^(-?\d{4,})-(\d{2})-(\d{2})$/.exec(datePart);
  if (!match) return false;
  const [, y, m, d] = match;
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const year = Number(y);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= days;
}

function validTime(timePart: string): boolean {
  const [h, m, s] = timePart.split(':');
  return Number(h) <= 23 && Number(m) <= 59 && (s === undefined || Number(s.slice(0, 2)) <= 59);
}

function validOffset(offset: string | undefined): boolean {
  if (offset === undefined || offset === 'Z') return true;
  const [h, m, s] = offset.slice(1).split(':');
  return Number(h) <= 23 && Number(m) <= 59 && (s === undefined || Number(s) <= 59);
}

function stringRule(scalar: string, label: string, valid: (s: string) => boolean): ScalarRule {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !valid(value)) throw unable(scalar, label, value);
    return value;
  };
  return { label, parse: check, serialize: check, literalKinds: [Kind.STRING] };
}

/** AWSURL: RFC 1738 URL with a scheme; no `//` in the path part. */
export function isAwsUrl(value: string): boolean {
  if (/\s/.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (!/^[a-z][a-z0-9+.-]*:$/i.test(url.protocol)) return false;
  // "https://host" has an authority; "mailto:x@y" has none. Either way the path must not contain "//".
  const afterScheme = value.slice(url.protocol.length);
  const pathStart = afterScheme.startsWith('//') ? afterScheme.indexOf('/', 2) : 0;
  if (pathStart === -1) return true;
  const path = afterScheme.slice(pathStart).split(/[?#]/)[0];
  return !path.includes('//');
}

/** AWSIPAddress: IPv4 or IPv6, optionally with a CIDR prefix length. */
export function isAwsIpAddress(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0) return false;
  const version = isIP(address);
  if (version === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

const rules: Record<string, ScalarRule> = {
  AWSDate: stringRule('AWSDate', 'Date', (s) => {
    const m = DATE_RE.exec(s);
    return m !== null && validDate(m[1]) && validOffset(m[2]);
  }),
  AWSTime: stringRule('AWSTime', 'Time', (s) => {
    const m = TIME_RE.exec(s);
    return m !== null && validTime(m[1]) && validOffset(m[2]);
  }),
  AWSDateTime: stringRule('AWSDateTime', 'DateTime Object', (s) => {
    const m = DATE_TIME_RE.exec(s);
    return m !== null && validDate(m[1]) && validTime(m[2]) && validOffset(m[3]);
  }),
  AWSEmail: stringRule('AWSEmail', 'Email', (s) => EMAIL_RE.test(s)),
  AWSPhone: stringRule('AWSPhone', 'Phone Number', (s) => {
    const digits = s.replace(/\D/g, '').length;
    return PHONE_RE.test(s) && digits >= 3 && digits <= 20;
  }),
  AWSURL: stringRule('AWSURL', 'URL', isAwsUrl),
  AWSIPAddress: stringRule('AWSIPAddress', 'IP Address', isAwsIpAddress),
  AWSTimestamp: {
    label: 'Timestamp',
    literalKinds: [Kind.INT],
    parse(value) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw unable('AWSTimestamp', 'Timestamp', value);
      return value;
    },
    serialize(value) {
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
      throw unable('AWSTimestamp', 'Timestamp', value);
    },
  },
  // AWSJSON arrives as a string holding JSON; resolvers see the parsed value (AppSync parses it for them).
  // On output, an object is serialised; a string is taken to be JSON already.
  AWSJSON: {
    label: 'JSON',
    literalKinds: [Kind.STRING],
    parse(value) {
      if (typeof value !== 'string') throw unable('AWSJSON', 'JSON', value);
      try {
        return JSON.parse(value) as unknown;
      } catch {
        throw unable('AWSJSON', 'JSON', value);
      }
    },
    serialize(value) {
      if (typeof value === 'string') return value;
      if (value === undefined) throw unable('AWSJSON', 'JSON', value);
      return JSON.stringify(value);
    },
  },
};

export const AWS_SCALARS = Object.keys(rules);

function literalValue(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
      return node.value;
    case Kind.INT:
      return Number(node.value);
    default:
      return undefined;
  }
}

/** Replaces the behaviour of every AWS scalar declared in `schema` with AppSync's. */
export function installAwsScalars(schema: GraphQLSchema): void {
  for (const [name, rule] of Object.entries(rules)) {
    const type = schema.getType(name);
    if (!(type instanceof GraphQLScalarType)) continue;
    type.serialize = (value: unknown) => rule.serialize(value);
    type.parseValue = (value: unknown) => rule.parse(value);
    type.parseLiteral = (node: ValueNode, variables?: { [key: string]: unknown } | null) => {
      if (node.kind === Kind.VARIABLE) return variables?.[node.name.value];
      if (!rule.literalKinds.includes(node.kind)) {
        throw new GraphQLError(`Unable to parse literal as a valid ${rule.label}.`, { nodes: node });
      }
      return rule.parse(literalValue(node));
    };
  }
}
