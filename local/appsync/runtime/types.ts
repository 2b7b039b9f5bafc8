// The seam between the local AppSync's GraphQL/WebSocket server and the resolver runtime.

/** ctx.identity for IAM callers, as AppSync fills it; null for API_KEY callers. */
export interface IamIdentity {
  accountId: string;
  cognitoIdentityPoolId: string | null;
  cognitoIdentityId: string | null;
  cognitoIdentityAuthType: string | null;
  cognitoIdentityAuthProvider: string | null;
  sourceIp: string[];
  username: string;
  userArn: string;
}

/** ctx.identity for AMAZON_COGNITO_USER_POOLS callers, as AppSync fills it from the verified token. */
export interface CognitoIdentity {
  sub: string;
  /** The token's `iss`. */
  issuer: string;
  /** `cognito:username` (ID token) or `username` (access token). */
  username: string;
  /** Every claim of the token. */
  claims: Record<string, unknown>;
  sourceIp: string[];
  /** The user pool's default action. */
  defaultAuthStrategy: 'ALLOW' | 'DENY';
  /** `cognito:groups`; null when the user is in no group. */
  groups: string[] | null;
}

/** null for API_KEY callers. */
export type Identity = IamIdentity | CognitoIdentity | null;

/** One entry of a GraphQL response's `errors`, in AppSync's shape. */
export interface AppSyncError {
  message: string;
  errorType: string;
  data?: unknown;
  errorInfo?: unknown;
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
}

export interface FieldInvocation {
  typeName: string;
  fieldName: string;
  arguments: Record<string, unknown>;
  source: unknown;
  identity: Identity;
  request: { headers: Record<string, string>; domainName: string | null };
  /**
   * Aborted when the request must stop (the client went away, or the execution time ran out): no further step or
   * data source call may start. Its `reason` is the AppSyncError to report, when it is one.
   */
  signal?: AbortSignal;
  info: {
    fieldName: string;
    parentTypeName: string;
    variables: Record<string, unknown>;
    selectionSetList: string[];
    selectionSetGraphQL: string;
  };
}

/** A field's outcome: `util.error` gives data null and one error; `util.appendError` keeps data and adds errors. */
export interface FieldResolution {
  data: unknown;
  errors: AppSyncError[];
  /** extensions.invalidateSubscriptions calls made while resolving (mutations), in order. */
  invalidations?: Array<{ subscriptionField: string; payload: Record<string, unknown> }>;
  /** util.http.addResponseHeader(s): headers to add to the HTTP response. */
  responseHeaders?: Record<string, string>;
}

/** AppSync's enhanced subscription filter, as util.transform.toSubscriptionFilter makes it. */
export interface SubscriptionFilter {
  filterGroup: Array<{ filters: Array<{ fieldName: string; operator: string; value?: unknown }> }>;
}

export interface SubscriptionResolution {
  /** Errors refuse the subscription (start → error). */
  errors: AppSyncError[];
  filter: SubscriptionFilter | null;
  /** extensions.setSubscriptionInvalidationFilter, matched against invalidateSubscriptions payloads. */
  invalidationFilter?: SubscriptionFilter | null;
}

export interface ResolverRuntime {
  hasResolver(typeName: string, fieldName: string): boolean;
  resolveField(invocation: FieldInvocation): Promise<FieldResolution>;
  /** Runs a subscription field's resolver at subscribe time; its response handler sets the filter. */
  subscribe(invocation: FieldInvocation): Promise<SubscriptionResolution>;
}
