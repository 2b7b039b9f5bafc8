// A ResolverRuntime for support/auth-schema.graphql: every root field and `Note.text` has a resolver that
// answers a note, and every invocation is recorded (what the endpoint passed, and how many ran).
import type { FieldInvocation, ResolverRuntime, SubscriptionResolution } from '../../../../local/appsync/runtime/types.ts';

export interface NotesRuntime extends ResolverRuntime {
  invocations: FieldInvocation[];
  subscriptions: FieldInvocation[];
}

const RESOLVED = new Set(['Query', 'Mutation', 'Subscription']);

export function createNotesRuntime(): NotesRuntime {
  const invocations: FieldInvocation[] = [];
  const subscriptions: FieldInvocation[] = [];
  return {
    invocations,
    subscriptions,
    hasResolver: (typeName, fieldName) => RESOLVED.has(typeName) || (typeName === 'Note' && fieldName === 'text'),
    async resolveField(invocation) {
      invocations.push(invocation);
      if (invocation.typeName === 'Note') return { data: `text of ${String((invocation.source as { id: string }).id)}`, errors: [] };
      const id = typeof invocation.arguments.id === 'string' ? invocation.arguments.id : invocation.fieldName;
      return { data: { id, secret: `secret of ${id}` }, errors: [] };
    },
    async subscribe(invocation): Promise<SubscriptionResolution> {
      subscriptions.push(invocation);
      return { errors: [], filter: null };
    },
  };
}
