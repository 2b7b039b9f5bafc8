import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DocumentCache } from '../../../local/appsync/documents.ts';
import { introspectionDisabledRule } from '../../../local/appsync/limits.ts';
import { LruCache } from '../../../local/appsync/lru.ts';

const schema = buildSchema('type Query { blob(id: ID!): String }');

describe('the document cache', () => {
  it('answers the same parsed document for the same query text, without parsing it again', () => {
    const documents = new DocumentCache({ schema, extraRules: [], maxTokens: 100 });

    const first = documents.prepare('{ blob(id: "a") }');
    const second = documents.prepare('{ blob(id: "a") }');

    expect(first?.errors).toEqual([]);
    expect(second).toBe(first);
  });

  it('keeps the validation errors with the document and answers them every time', () => {
    const documents = new DocumentCache({ schema, extraRules: [], maxTokens: 100 });

    const first = documents.prepare('{ nope }');
    const second = documents.prepare('{ nope }');

    expect(first?.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('FieldUndefined') })]);
    expect(second?.errors).toEqual(first?.errors);
  });

  it('refuses a query over the token limit every time it comes', () => {
    const documents = new DocumentCache({ schema, extraRules: [], maxTokens: 5 });
    const query = '{ a: blob(id: "a") b: blob(id: "b") }';

    expect(documents.prepare(query)).toBeNull();
    expect(documents.prepare(query)).toBeNull();
  });

  it('applies the extra rules it was made with (introspection disabled) to cached documents too', () => {
    const documents = new DocumentCache({ schema, extraRules: [{ rule: introspectionDisabledRule, type: 'FieldUndefined' }], maxTokens: 100 });

    documents.prepare('{ __schema { types { name } } }');
    const again = documents.prepare('{ __schema { types { name } } }');

    expect(again?.errors).toEqual([expect.objectContaining({ message: expect.stringContaining("Field '__schema' in type 'Query' is undefined") })]);
  });

  it('tells apart queries that differ by one character', () => {
    const documents = new DocumentCache({ schema, extraRules: [], maxTokens: 100 });

    expect(documents.prepare('{ blob(id: "a") }')?.errors).toEqual([]);
    expect(documents.prepare('{ blob(id: "a") } ')).not.toBe(documents.prepare('{ blob(id: "a") }'));
    expect(documents.prepare('{ blob(id: 1.5) }')?.errors).not.toEqual([]);
  });
});

describe('the LRU cache', () => {
  it('forgets the least recently used entry past its entry count', () => {
    const cache = new LruCache<string, number>({ maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);

    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
  });

  it('stays under its weight, and never keeps an entry heavier than the whole bound', () => {
    const cache = new LruCache<string, number>({ maxEntries: 100, maxWeight: 10, weigh: (key) => key.length });
    cache.set('aaaa', 1);
    cache.set('bbbb', 2);
    cache.set('cccc', 3);
    cache.set('x'.repeat(11), 4);

    expect(cache.size).toBe(2);
    expect([cache.get('aaaa'), cache.get('bbbb'), cache.get('cccc'), cache.get('x'.repeat(11))]).toEqual([undefined, 2, 3, undefined]);
  });
});
