// util.dynamodb: JSON values → DynamoDB typed values, as AppSync's helpers make them. Lists rather than sets,
// numbers kept as numbers ({N: 12345}, {NS: [1, 4.56]}: AppSync's EvaluateCode answers so; the data source turns
// them into DynamoDB's strings), {NULL: null} for null.

export type AttributeValue = Record<string, unknown>;

const TYPED_SET_KEYS = ['SS', 'NS', 'BS'];

/** Values made by toStringSet/toNumberSet/toBinarySet pass through toDynamoDB unchanged. */
function isTypedSet(value: object): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && TYPED_SET_KEYS.includes(keys[0]) && Array.isArray((value as Record<string, unknown>)[keys[0]]);
}

export function toDynamoDB(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: null };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: value };
  if (typeof value === 'bigint') return { N: value.toString() };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toDynamoDB) };
  if (typeof value === 'object') {
    if (isTypedSet(value)) return { ...(value as AttributeValue) };
    return { M: toMapValues(value as Record<string, unknown>) };
  }
  throw new TypeError(`Cannot convert a ${typeof value} to a DynamoDB value`);
}

export function toMapValues(value: Record<string, unknown> | null | undefined): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [key, v] of Object.entries(value ?? {})) {
    if (v !== undefined && typeof v !== 'function') out[key] = toDynamoDB(v);
  }
  return out;
}

const orNull = <T, R>(value: T | null | undefined, convert: (v: T) => R): R | null =>
  value === null || value === undefined ? null : convert(value);

export const dynamodbUtil = {
  toDynamoDB,
  toString: (value: string | null | undefined) => orNull(value, (v) => ({ S: String(v) })),
  toStringSet: (list: string[] | null | undefined) => orNull(list, (v) => ({ SS: v.map(String) })),
  toNumber: (value: number | null | undefined) => orNull(value, (v) => ({ N: v })),
  toNumberSet: (list: number[] | null | undefined) => orNull(list, (v) => ({ NS: [...v] })),
  toBinary: (value: string | null | undefined) => orNull(value, (v) => ({ B: v })),
  toBinarySet: (list: string[] | null | undefined) => orNull(list, (v) => ({ BS: [...v] })),
  toBoolean: (value: boolean | null | undefined) => orNull(value, (v) => ({ BOOL: Boolean(v) })),
  toNull: () => ({ NULL: null }),
  toList: (value: unknown[] | null | undefined) => orNull(value, (v) => ({ L: v.map(toDynamoDB) })),
  toMap: (value: Record<string, unknown> | null | undefined) => orNull(value, (v) => ({ M: toMapValues(v) })),
  toMapValues: (value: Record<string, unknown> | null | undefined) => orNull(value, toMapValues),
  toS3Object(key: string, bucket: string, region: string, version?: string) {
    const s3: Record<string, string> = { key, bucket, region };
    if (version !== undefined) s3.version = version;
    return { S: JSON.stringify({ s3 }) };
  },
  /** The S3 link stored as JSON text (not the {S: ...} around it); null for anything else. */
  fromS3ObjectJson(s3ObjectString: string) {
    if (typeof s3ObjectString !== 'string') return null;
    let parsed: { s3?: Record<string, string> } | null;
    try {
      parsed = JSON.parse(s3ObjectString) as { s3?: Record<string, string> } | null;
    } catch {
      return null;
    }
    return parsed?.s3 ?? null;
  },
};

/** Binary as DynamoDB's JSON protocol carries it: base64 text (bytes, as the SDK gives them, are encoded). */
function base64(value: unknown): string {
  return typeof value === 'string' ? value : Buffer.from(value as Uint8Array).toString('base64');
}

/** AppSync accepts {N: 12} and {NULL: null} in requests; DynamoDB's wire format wants {N: "12"} and {NULL: true}. */
export function toWireValue(value: unknown): AttributeValue {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`Not a DynamoDB attribute value: ${JSON.stringify(value)}`);
  }
  const [type, inner] = Object.entries(value as Record<string, unknown>)[0] ?? [];
  switch (type) {
    case 'S':
      return { S: String(inner) };
    case 'B':
      return { B: base64(inner) };
    case 'N':
      return { N: String(inner) };
    case 'BOOL':
      return { BOOL: Boolean(inner) };
    case 'NULL':
      return { NULL: true };
    case 'SS':
    case 'NS':
      return { [type]: (inner as unknown[]).map(String) };
    case 'BS':
      return { BS: (inner as unknown[]).map(base64) };
    case 'L':
      return { L: (inner as unknown[]).map(toWireValue) };
    case 'M':
      return { M: toWireMap(inner as Record<string, unknown>) };
    default:
      throw new TypeError(`Not a DynamoDB attribute value: ${JSON.stringify(value)}`);
  }
}

export function toWireMap(map: Record<string, unknown> | undefined | null): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(map ?? {})) out[key] = toWireValue(value);
  return out;
}

/** DynamoDB typed value → plain JSON, as AppSync hands results to response handlers (sets become lists). */
export function fromWireValue(value: Record<string, unknown>): unknown {
  const [type, inner] = Object.entries(value)[0] ?? [];
  switch (type) {
    case 'S':
    case 'BOOL':
      return inner;
    case 'N':
      return Number(inner);
    case 'B':
      return base64(inner);
    case 'NULL':
      return null;
    case 'SS':
      return [...(inner as string[])];
    case 'NS':
      return (inner as string[]).map(Number);
    case 'BS':
      return (inner as unknown[]).map(base64);
    case 'L':
      return (inner as Record<string, unknown>[]).map(fromWireValue);
    case 'M':
      return fromWireMap(inner as Record<string, Record<string, unknown>>);
    default:
      return null;
  }
}

export function fromWireMap(map: Record<string, Record<string, unknown>> | undefined | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(map ?? {})) out[key] = fromWireValue(value);
  return out;
}
