// Errors as the Cognito user pools API reports them: HTTP 400 (500 for our own faults) with
// `{"__type": "<ExceptionName>", "message": "..."}` and the name again in `x-amzn-errortype`.
// Clients (the AWS SDK, Amplify) switch on the name, so names are Cognito's own and stable.

export type CognitoErrorType =
  | 'CodeMismatchException'
  | 'IncompleteSignatureException'
  | 'InternalErrorException'
  | 'InvalidParameterException'
  | 'InvalidPasswordException'
  | 'InvalidSignatureException'
  | 'MissingAuthenticationTokenException'
  | 'NotAuthorizedException'
  | 'ResourceNotFoundException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'UnrecognizedClientException'
  | 'UnsupportedOperationException'
  | 'UnsupportedTokenTypeException'
  | 'UserNotFoundException'
  | 'UsernameExistsException';

export class CognitoError extends Error {
  constructor(readonly type: CognitoErrorType, message: string, readonly status = 400) {
    super(message);
    this.name = type;
  }
}

/** The one answer to a failed sign-in, whether the user exists or not. */
export const INCORRECT_CREDENTIALS = 'Incorrect username or password.';

export const notAuthorized = (message: string = INCORRECT_CREDENTIALS) => new CognitoError('NotAuthorizedException', message);
export const invalidParameter = (message: string) => new CognitoError('InvalidParameterException', message);

export interface ErrorReply {
  status: number;
  type: CognitoErrorType;
  body: { __type: CognitoErrorType; message: string };
}

/** Our errors travel as they are; anything else is a fault of ours and says nothing of its insides. */
export function toErrorReply(error: unknown): ErrorReply {
  const known = error instanceof CognitoError ? error : new CognitoError('InternalErrorException', 'Internal error', 500);
  return { status: known.status, type: known.type, body: { __type: known.type, message: known.message } };
}
