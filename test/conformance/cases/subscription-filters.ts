// util.transform.toSubscriptionFilter: inputs and AppSync's answers as EvaluateCode recorded them.
import { expressions, type ConformanceCase, type Expectation } from '../case.ts';
import { recorded } from './sources.ts';

const entry = (name: string) => recorded('transform-subscription', `subscription filters ${name} 1`);

type F = { fieldName: string; operator: string; value: unknown };
const f = (fieldName: string, operator: string, value: unknown): F => ({ fieldName, operator, value });
const groups = (...filterGroups: F[][]): Expectation => ({ result: { filterGroup: filterGroups.map((filters) => ({ filters })) } });

/** [snapshot entry, arguments, expectation] */
const rows: ReadonlyArray<readonly [string, string, Expectation]> = [
  ['a single group one operator on one field', '{ a: { eq: 1 } }', groups([f('a', 'eq', 1)])],
  ['a single group two fields are combined', '{ a: { eq: 1 }, b: { eq: 2 } }', groups([f('a', 'eq', 1), f('b', 'eq', 2)])],
  ['a single group an and combines its members', '{ and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }', groups([f('a', 'eq', 1), f('b', 'eq', 2)])],
  ['a single group a field beside an and', '{ z: { eq: 0 }, and: [{ a: { eq: 1 } }] }', groups([f('z', 'eq', 0), f('a', 'eq', 1)])],
  ['a single group a field path is kept as written', '{ "loc.addr.country": { eq: "USA" } }', groups([f('loc.addr.country', 'eq', 'USA')])],
  ['alternatives multiply the groups out two operators on one field', '{ a: { eq: 1, ne: 2 } }', groups([f('a', 'eq', 1)], [f('a', 'ne', 2)])],
  ['alternatives multiply the groups out an or splits into a group per member', '{ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }', groups([f('a', 'eq', 1)], [f('b', 'eq', 2)])],
  ['alternatives multiply the groups out an or nested in an and', '{ and: [{ a: { eq: 1 } }, { or: [{ b: { eq: 2 } }, { c: { eq: 3 } }] }] }', groups([f('a', 'eq', 1), f('b', 'eq', 2)], [f('a', 'eq', 1), f('c', 'eq', 3)])],
  [
    'alternatives multiply the groups out operators and groups together',
    '{ percentageUp: { lte: 50, gte: 20 }, and: [{ title: { ne: "Book1" } }, { downvotes: { gt: 2000 } }], or: [{ author: { eq: "Admin" } }, { isPublished: { eq: false } }] }',
    groups(
      [f('percentageUp', 'lte', 50), f('title', 'ne', 'Book1'), f('downvotes', 'gt', 2000), f('author', 'eq', 'Admin')],
      [f('percentageUp', 'lte', 50), f('title', 'ne', 'Book1'), f('downvotes', 'gt', 2000), f('isPublished', 'eq', false)],
      [f('percentageUp', 'gte', 20), f('title', 'ne', 'Book1'), f('downvotes', 'gt', 2000), f('author', 'eq', 'Admin')],
      [f('percentageUp', 'gte', 20), f('title', 'ne', 'Book1'), f('downvotes', 'gt', 2000), f('isPublished', 'eq', false)],
    ),
  ],
  ['operators are carried through as written the comparisons', '{ a: { le: 1 }, b: { lt: 2 }, c: { ge: 3 }, d: { gt: 4 } }', groups([f('a', 'le', 1), f('b', 'lt', 2), f('c', 'ge', 3), f('d', 'gt', 4)])],
  ['operators are carried through as written membership', '{ a: { in: [1, 2] }, b: { notIn: ["x"] } }', groups([f('a', 'in', [1, 2]), f('b', 'notIn', ['x'])])],
  ['operators are carried through as written between', '{ a: { between: [1, 9] } }', groups([f('a', 'between', [1, 9])])],
  ['operators are carried through as written the string operators', '{ a: { contains: "x" }, b: { notContains: "y" }, c: { beginsWith: "z" } }', groups([f('a', 'contains', 'x'), f('b', 'notContains', 'y'), f('c', 'beginsWith', 'z')])],
  ['operators are carried through as written containsAny', '{ a: { containsAny: ["x", "y"] } }', groups([f('a', 'containsAny', ['x', 'y'])])],
  ['operators are carried through as written a boolean value', '{ a: { eq: false } }', groups([f('a', 'eq', false)])],
  ['operators are carried through as written an unknown operator', '{ a: { bogus: 1 } }', groups([f('a', 'bogus', 1)])],
  ['operators are carried through as written not is treated as a field', '{ not: { a: { eq: 1 } } }', groups([f('not', 'a', { eq: 1 })])],
  ['ignored fields drop a field', '{ a: { eq: 1 }, b: { eq: 2 } }, ["a"]', groups([f('b', 'eq', 2)])],
  ['ignored fields drop a field nested in an and', '{ a: { eq: 1 }, and: [{ b: { eq: 2 } }] }, ["b"]', groups([f('a', 'eq', 1)])],
  ['rules are added as alternatives', '{ a: { eq: 1 } }, [], { r1: { gte: 250 }, r2: { eq: "p" } }', groups([f('a', 'eq', 1), f('r1', 'gte', 250)], [f('a', 'eq', 1), f('r2', 'eq', 'p')])],
  ['rules on their own', '{}, [], { r1: { eq: 1 } }', groups([f('r1', 'eq', 1)])],
  ['filters that produce no group an empty filter', '{}', groups()],
  ['filters that produce no group a field with no operator', '{ a: {} }', groups()],
  ['filters that produce no group an empty and', '{ and: [] }', groups()],
  ['filters that cannot be read null', 'null', { result: null }],
  ['filters that cannot be read no filter at all', '', { result: null }],
  ['filters that cannot be read an array', '[]', { result: null }],
  ['filters that cannot be read a JSON string', `'{"a":{"eq":1}}'`, { result: null }],
];

export const subscriptionFilterCases: ConformanceCase[] = rows.flatMap(([name, args, expect]) =>
  expressions(entry(name), [[`util.transform.toSubscriptionFilter: ${name}`, `util.transform.toSubscriptionFilter(${args})`, expect]]),
);
