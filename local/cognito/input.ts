// Reading request members with the bounds Cognito's API model puts on them. A violation answers
// InvalidParameterException in the service's own words ("1 validation error detected: Value at
// 'username' failed to satisfy constraint: ..."), naming the member as the model does (lower camel case).
import { CognitoError, invalidParameter } from './errors.ts';

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The request body as a JSON object, or the SerializationException AWS JSON services answer. */
export function parseJsonObject(text: string): JsonObject {
  try {
    const value: unknown = text.trim() === '' ? {} : JSON.parse(text);
    if (isObject(value)) return value;
  } catch {
    // answered below
  }
  throw new CognitoError('SerializationException', 'The request body is not a JSON object');
}

const memberName = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

function violation(name: string, constraint: string, value: 'null' | '' = ''): CognitoError {
  const at = value === 'null' ? `Value null at '${memberName(name)}'` : `Value at '${memberName(name)}'`;
  return invalidParameter(`1 validation error detected: ${at} failed to satisfy constraint: ${constraint}`);
}

export interface StringBounds {
  min?: number;
  max: number;
  pattern?: RegExp;
}

function checkString(name: string, value: unknown, bounds: StringBounds): string {
  if (typeof value !== 'string') {
    throw new CognitoError('SerializationException', `${name} must be a string`);
  }
  // Lengths are in characters, as the service counts them.
  const length = [...value].length;
  if (length < (bounds.min ?? 1)) throw violation(name, `Member must have length greater than or equal to ${bounds.min ?? 1}`);
  if (length > bounds.max) throw violation(name, `Member must have length less than or equal to ${bounds.max}`);
  if (bounds.pattern && !bounds.pattern.test(value)) {
    throw violation(name, `Member must satisfy regular expression pattern: ${bounds.pattern.source}`);
  }
  return value;
}

export function requiredString(body: JsonObject, name: string, bounds: StringBounds): string {
  const value = body[name];
  if (value === undefined || value === null) throw violation(name, 'Member must not be null', 'null');
  return checkString(name, value, bounds);
}

export function optionalString(body: JsonObject, name: string, bounds: StringBounds): string | undefined {
  const value = body[name];
  return value === undefined || value === null ? undefined : checkString(name, value, bounds);
}

export function optionalInteger(body: JsonObject, name: string, min: number, max: number): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new CognitoError('SerializationException', `${name} must be an integer`);
  if (value < min) throw violation(name, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw violation(name, `Member must have value less than or equal to ${max}`);
  return value;
}

export interface MapBounds {
  maxEntries: number;
  maxKeyLength: number;
  maxValueLength: number;
}

/** A string-to-string map (AuthParameters, ChallengeResponses, ClientMetadata); absent reads as empty. */
export function stringMap(body: JsonObject, name: string, bounds: MapBounds): Map<string, string> {
  const value = body[name];
  if (value === undefined || value === null) return new Map();
  if (!isObject(value)) throw new CognitoError('SerializationException', `${name} must be a map of strings`);
  const entries = Object.entries(value);
  if (entries.length > bounds.maxEntries) throw violation(name, `Member must have at most ${bounds.maxEntries} entries`);
  const map = new Map<string, string>();
  for (const [key, entry] of entries) {
    if (typeof entry !== 'string') throw new CognitoError('SerializationException', `${name}.${key} must be a string`);
    if (key.length > bounds.maxKeyLength || entry.length > bounds.maxValueLength) {
      throw violation(name, `Map entries must have keys of at most ${bounds.maxKeyLength} and values of at most ${bounds.maxValueLength} characters`);
    }
    map.set(key, entry);
  }
  return map;
}

export interface AttributeInput {
  name: string;
  value: string;
}

/** A list of `{Name, Value}` user attributes. */
export function attributeList(body: JsonObject, name: string, maxItems: number): AttributeInput[] {
  const value = body[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new CognitoError('SerializationException', `${name} must be a list`);
  if (value.length > maxItems) throw violation(name, `Member must have length less than or equal to ${maxItems}`);
  return value.map((item: unknown) => {
    if (!isObject(item)) throw new CognitoError('SerializationException', `${name} items must be objects`);
    return {
      name: requiredString(item, 'Name', { max: 32 }),
      value: optionalString(item, 'Value', { min: 0, max: 2048 }) ?? '',
    };
  });
}

/** A list of short strings (AttributesToGet). */
export function stringList(body: JsonObject, name: string, maxItems: number, bounds: StringBounds): string[] | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new CognitoError('SerializationException', `${name} must be a list`);
  if (value.length > maxItems) throw violation(name, `Member must have length less than or equal to ${maxItems}`);
  return value.map((item: unknown) => checkString(name, item, bounds));
}
