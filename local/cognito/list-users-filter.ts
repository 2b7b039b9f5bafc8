// ListUsers' Filter: `AttributeName Operator "Value"` with `=` (exact) or `^=` (prefix), on the attributes
// Cognito lets you search. An empty filter matches everyone.
import { invalidParameter } from './errors.ts';

export const SEARCHABLE_ATTRIBUTES = [
  'username', 'email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username',
  'cognito:user_status', 'status', 'sub',
] as const;
export type SearchableAttribute = (typeof SEARCHABLE_ATTRIBUTES)[number];

export interface UserFilter {
  attribute: SearchableAttribute;
  operator: '=' | '^=';
  value: string;
}

const FILTER = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

export function parseUserFilter(text: string | undefined): UserFilter | null {
  if (text === undefined || text.trim() === '') return null;
  const match = FILTER.exec(text);
  if (!match) throw invalidParameter('Error while parsing filter.');
  const [, attribute, operator, raw] = match;
  if (!(SEARCHABLE_ATTRIBUTES as readonly string[]).includes(attribute)) throw invalidParameter('Invalid search attribute');
  return { attribute: attribute as SearchableAttribute, operator: operator as '=' | '^=', value: raw.replace(/\\(.)/g, '$1') };
}

/** Usernames and emails compare without regard to case, as the pool treats them. */
export function filterMatches(filter: UserFilter | null, valueOf: (attribute: SearchableAttribute) => string | undefined): boolean {
  if (!filter) return true;
  const actual = valueOf(filter.attribute);
  if (actual === undefined) return false;
  const caseless = filter.attribute === 'username' || filter.attribute === 'email';
  const left = caseless ? actual.toLowerCase() : actual;
  const right = caseless ? filter.value.toLowerCase() : filter.value;
  return filter.operator === '=' ? left === right : left.startsWith(right);
}
