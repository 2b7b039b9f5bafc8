// Registered subscriptions and the fan-out of mutation results to them, as AppSync does it:
// a mutation listed in a subscription field's @aws_subscribe(mutations: [...]) reaches every subscriber of that
// field whose arguments (those it set) equal the same-named fields of the result, and whose enhanced filter
// (extensions.setSubscriptionFilter) matches. Each subscriber gets the result rendered through its own
// selection set, from the fields the mutation selected only. Subscribers alike in everything rendering reads
// (document, operation, variables, caller, headers) share one rendering per publish: a thousand watchers of the
// same blob cost one execution, not a thousand.
import { isDeepStrictEqual } from 'node:util';
import { execute, type DocumentNode } from 'graphql';
import type { Caller } from './auth.ts';
import { formatExecutionError, type GraphQLResponseBody } from './errors.ts';
import type { AppSyncLogger } from './logger.ts';
import type { SubscriptionFilter } from './runtime/types.ts';
import { operationContext, type AppSyncSchema } from './schema.ts';

export type FilterMatcher = (filter: SubscriptionFilter, payload: Record<string, unknown>) => boolean;

export interface Subscriber {
  connectionId: string;
  id: string;
  fieldName: string;
  /** Arguments the client set (non-null), for AppSync's argument-based filtering. */
  arguments: Record<string, unknown>;
  filter: SubscriptionFilter | null;
  /** extensions.setSubscriptionInvalidationFilter of the subscription's resolver. */
  invalidationFilter: SubscriptionFilter | null;
  document: DocumentNode;
  operationName: string | null;
  variables: Record<string, unknown>;
  caller: Caller;
  headers: Record<string, string>;
  send(message: { type: 'data'; id: string; payload: GraphQLResponseBody }): void;
  /** Called when a mutation invalidates this subscription: it is already removed; the client gets `complete`. */
  invalidated(): void;
}

function argumentsMatch(args: Record<string, unknown>, payload: Record<string, unknown>): boolean {
  return Object.entries(args).every(([name, expected]) => {
    const actual = payload[name];
    if (isDeepStrictEqual(actual, expected)) return true;
    // ID arguments arrive as strings; a result may carry the same id as a number.
    return (
      (typeof actual === 'number' || typeof actual === 'string') &&
      (typeof expected === 'number' || typeof expected === 'string') &&
      String(actual) === String(expected)
    );
  });
}

export class SubscriptionRegistry {
  private readonly byField = new Map<string, Map<string, Subscriber>>();
  /** What rendering a payload for a subscriber depends on, computed once when it subscribes. */
  private readonly renderKeys = new WeakMap<Subscriber, string>();
  private readonly documentIds = new WeakMap<DocumentNode, number>();
  private nextDocumentId = 0;

  constructor(
    private readonly appSchema: AppSyncSchema,
    private readonly matchesFilter: FilterMatcher,
    private readonly logger: AppSyncLogger,
    /** AppSync drops, without telling anyone, a subscription message whose payload is larger than this (240 KB). */
    private readonly maxMessageBytes = Number.POSITIVE_INFINITY,
  ) {}

  private static key(connectionId: string, id: string): string {
    return `${connectionId}\u0000${id}`;
  }

  add(subscriber: Subscriber): void {
    this.renderKeys.set(subscriber, this.renderKeyOf(subscriber));
    const subscribers = this.byField.get(subscriber.fieldName) ?? new Map<string, Subscriber>();
    subscribers.set(SubscriptionRegistry.key(subscriber.connectionId, subscriber.id), subscriber);
    this.byField.set(subscriber.fieldName, subscribers);
  }

  remove(connectionId: string, id: string): boolean {
    let removed = false;
    for (const subscribers of this.byField.values()) {
      removed = subscribers.delete(SubscriptionRegistry.key(connectionId, id)) || removed;
    }
    return removed;
  }

  removeConnection(connectionId: string): void {
    for (const subscribers of this.byField.values()) {
      for (const [key, subscriber] of subscribers) {
        if (subscriber.connectionId === connectionId) subscribers.delete(key);
      }
    }
  }

  get size(): number {
    let count = 0;
    for (const subscribers of this.byField.values()) count += subscribers.size;
    return count;
  }

  /**
   * Fans out one mutation result. `payload` is keyed by field names and holds only what the mutation selected.
   * Returns how many subscribers received it.
   */
  async publish(mutationField: string, payload: Record<string, unknown>): Promise<number> {
    let delivered = 0;
    const rendered = new Map<string, Promise<{ body: GraphQLResponseBody; bytes: number }>>();
    for (const fieldName of this.appSchema.subscriptionsByMutation.get(mutationField) ?? []) {
      for (const subscriber of [...(this.byField.get(fieldName)?.values() ?? [])]) {
        if (!argumentsMatch(subscriber.arguments, payload)) continue;
        if (subscriber.filter && !this.matchesFilter(subscriber.filter, payload)) continue;
        try {
          const key = this.renderKeys.get(subscriber) ?? this.renderKeyOf(subscriber);
          let rendering = rendered.get(key);
          if (!rendering) {
            rendering = this.render(subscriber, payload).then((body) => ({ body, bytes: Buffer.byteLength(JSON.stringify(body)) }));
            rendered.set(key, rendering);
          }
          const { body, bytes } = await rendering;
          if (bytes > this.maxMessageBytes) {
            // The cloud's behaviour, so that a result too large for a subscriber shows up here before it is deployed.
            this.logger.warn('subscription message larger than AppSync delivers: dropped', {
              subscriptionId: subscriber.id,
              field: fieldName,
              bytes,
              limit: this.maxMessageBytes,
            });
            continue;
          }
          subscriber.send({ type: 'data', id: subscriber.id, payload: body });
          delivered += 1;
        } catch (error) {
          this.logger.error('subscription delivery failed', {
            subscriptionId: subscriber.id,
            field: fieldName,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    }
    return delivered;
  }

  /**
   * extensions.invalidateSubscriptions: unsubscribes every subscriber of `subscriptionField` whose invalidation
   * filter matches `payload` (AppSync then sends the client `complete`). Returns how many were unsubscribed.
   */
  invalidate(subscriptionField: string, payload: Record<string, unknown>): number {
    let count = 0;
    const subscribers = this.byField.get(subscriptionField);
    for (const [key, subscriber] of [...(subscribers?.entries() ?? [])]) {
      if (!subscriber.invalidationFilter || !this.matchesFilter(subscriber.invalidationFilter, payload)) continue;
      subscribers?.delete(key);
      subscriber.invalidated();
      count += 1;
    }
    return count;
  }

  private renderKeyOf(subscriber: Subscriber): string {
    let documentId = this.documentIds.get(subscriber.document);
    if (documentId === undefined) {
      documentId = this.nextDocumentId++;
      this.documentIds.set(subscriber.document, documentId);
    }
    return JSON.stringify([documentId, subscriber.fieldName, subscriber.operationName, subscriber.variables, subscriber.caller, subscriber.headers]);
  }

  private async render(subscriber: Subscriber, payload: Record<string, unknown>): Promise<GraphQLResponseBody> {
    const context = operationContext(subscriber.caller, subscriber.headers, 'deliver');
    const result = await execute({
      schema: this.appSchema.schema,
      document: subscriber.document,
      rootValue: { [subscriber.fieldName]: payload },
      contextValue: context,
      variableValues: subscriber.variables,
      operationName: subscriber.operationName,
    });
    const errors = [...(result.errors ?? []).map(formatExecutionError), ...context.appendedErrors];
    return errors.length > 0 ? { data: result.data ?? null, errors } : { data: result.data ?? null };
  }
}
