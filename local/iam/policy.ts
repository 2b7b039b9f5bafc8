// IAM policy evaluation, as far as the local cloud needs it: identity-based Allow statements, action and resource
// patterns with IAM's wildcards (`*` any run of characters, `?` one character; actions compare without case,
// resources with case). No statement allows the request: it is denied (an implicit deny, as IAM's).

export interface Statement {
  actions: readonly string[];
  resources: readonly string[];
}

// Compiled once per pattern and flags: every signed request of every service is decided here.
const compiled = new Map<string, RegExp>();

function wildcard(pattern: string, flags = ''): RegExp {
  const key = `${flags}:${pattern}`;
  let regExp = compiled.get(key);
  if (regExp === undefined) {
    const body = pattern.split('').map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('');
    regExp = new RegExp(`^${body}$`, flags);
    compiled.set(key, regExp);
  }
  return regExp;
}

export function matchesAction(pattern: string, action: string): boolean {
  return wildcard(pattern, 'i').test(action);
}

export function matchesResource(pattern: string, resource: string): boolean {
  return wildcard(pattern).test(resource);
}

/** Whether some statement allows `action` on `resource` (`*` for actions that have no resource-level permissions). */
export function allows(statements: readonly Statement[], action: string, resource: string): boolean {
  return statements.some(
    (statement) =>
      statement.actions.some((pattern) => matchesAction(pattern, action)) &&
      statement.resources.some((pattern) => matchesResource(pattern, resource)),
  );
}

/** IAM's explanation of an implicit deny, as AWS services put it in AccessDenied messages. */
export function notAuthorizedMessage(principalArn: string, action: string, resource: string): string {
  const on = resource === '*' ? '' : ` on resource: ${resource}`;
  return `User: ${principalArn} is not authorized to perform: ${action}${on} because no identity-based policy allows the ${action} action`;
}
