// Who signs a request to a local service, and what they may do. Every local service that checks SigV4 asks an
// AccessControl for the secret of the access key, then whether its principal may perform the action on the resource.
// Two kinds of principal: the account's own key (the developer, the local cloud's plumbing: allowed everything, as an
// administrator is) and each function's role, allowed exactly the statements of functions/manifest.ts.
import { allows, notAuthorizedMessage, type Statement } from './policy.ts';

export interface KeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

export type AccessDecision = { allowed: true } | { allowed: false; principalArn: string; message: string };

export interface AccessControl {
  /** Every key pair the services accept. */
  keyPairs(): KeyPair[];
  /** The secret of a known access key; undefined for an unknown key. */
  secretFor(accessKeyId: string): string | undefined;
  /** The ARN of the principal signing with the key. */
  principalArn(accessKeyId: string): string | undefined;
  /** Whether the key's principal may perform `action` on `resource`; the denial carries IAM's message. */
  decide(accessKeyId: string, action: string, resource: string): AccessDecision;
}

/** A principal limited to its statements: a function's role, as Lambda's credentials present it. */
export interface Role {
  /** The role session's ARN: arn:aws:sts::<account>:assumed-role/<role>/<session>. */
  arn: string;
  credentials: KeyPair;
  statements: readonly Statement[];
}

interface Principal {
  arn: string;
  secretAccessKey: string;
  /** Undefined: the account's administrator, allowed everything. */
  statements?: readonly Statement[];
}

export function accessControl(options: { accountId: string; administrator: KeyPair; roles?: readonly Role[] }): AccessControl {
  const principals = new Map<string, Principal>([
    [options.administrator.accessKeyId, {
      arn: `arn:aws:iam::${options.accountId}:user/${options.administrator.accessKeyId}`,
      secretAccessKey: options.administrator.secretAccessKey,
    }],
  ]);
  for (const role of options.roles ?? []) {
    principals.set(role.credentials.accessKeyId, { arn: role.arn, secretAccessKey: role.credentials.secretAccessKey, statements: role.statements });
  }
  return {
    keyPairs: () => [...principals].map(([accessKeyId, principal]) => ({ accessKeyId, secretAccessKey: principal.secretAccessKey })),
    secretFor: (accessKeyId) => principals.get(accessKeyId)?.secretAccessKey,
    principalArn: (accessKeyId) => principals.get(accessKeyId)?.arn,
    decide(accessKeyId, action, resource) {
      const principal = principals.get(accessKeyId);
      if (principal === undefined) {
        return { allowed: false, principalArn: accessKeyId, message: `The access key ${accessKeyId} is not known` };
      }
      if (principal.statements === undefined || allows(principal.statements, action, resource)) {
        return { allowed: true };
      }
      return { allowed: false, principalArn: principal.arn, message: notAuthorizedMessage(principal.arn, action, resource) };
    },
  };
}
