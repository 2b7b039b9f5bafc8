// Parsed and validated GraphQL documents, kept by query text: a client sends the same few queries again and again,
// and parsing plus validating one costs more than executing it. Both are pure functions of the text (the schema,
// the validation rules and the token limit are fixed for a server), so a cached answer is the answer parsing and
// validating would give; a query that does not parse within the token limit is never kept, and is refused again.
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { parse } from 'graphql';
import { validationErrors, type ExtraValidationRule, type ResponseError } from './errors.ts';
import { LruCache } from './lru.ts';

export interface PreparedDocument {
  document: DocumentNode;
  /** Validation errors, in AppSync's shape; empty when the document is valid. */
  errors: ResponseError[];
}

export interface DocumentCacheOptions {
  schema: GraphQLSchema;
  extraRules: ReadonlyArray<ExtraValidationRule>;
  /** Lexical tokens a document may have (AppSyncLimits.maxQueryTokens). */
  maxTokens: number;
  /** Documents kept. Default 1,000. */
  maxEntries?: number;
  /** Characters of query text kept, all documents together. Default 4 MiB. */
  maxCharacters?: number;
}

/** A document's AST is about 20× its text: 4 Mi characters keep the cache well under 100 MB. */
const DEFAULT_MAX_CHARACTERS = 4 * 1024 * 1024;

export class DocumentCache {
  private readonly cache: LruCache<string, PreparedDocument>;

  constructor(private readonly options: DocumentCacheOptions) {
    this.cache = new LruCache({
      maxEntries: options.maxEntries ?? 1000,
      maxWeight: options.maxCharacters ?? DEFAULT_MAX_CHARACTERS,
      weigh: (query) => query.length,
    });
  }

  /** The parsed document and its validation errors, or null when the text does not parse within the token limit. */
  prepare(query: string): PreparedDocument | null {
    const cached = this.cache.get(query);
    if (cached) return cached;
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: this.options.maxTokens });
    } catch {
      return null;
    }
    const prepared = { document, errors: validationErrors(this.options.schema, document, this.options.extraRules) };
    this.cache.set(query, prepared);
    return prepared;
  }
}
