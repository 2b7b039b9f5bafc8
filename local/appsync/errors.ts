// AppSync's error shapes.
// - Request-level failures (auth, unreadable body): `{ errors: [{ errorType, message }] }` with an HTTP error status.
// - Validation failures: HTTP 200, `data: null`, errors without errorType and with the message prefixed
//   "Validation error of type <graphql-java type>: ..." (AppSync runs graphql-java).
// - Field failures: `{ path, data, errorType, errorInfo, locations, message }` beside the partial data.
import {
  GraphQLError,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
  ExecutableDefinitionsRule,
  FieldsOnCorrectTypeRule,
  FragmentsOnCompositeTypesRule,
  KnownArgumentNamesRule,
  KnownDirectivesRule,
  KnownFragmentNamesRule,
  KnownTypeNamesRule,
  LoneAnonymousOperationRule,
  NoFragmentCyclesRule,
  NoUndefinedVariablesRule,
  NoUnusedFragmentsRule,
  NoUnusedVariablesRule,
  OverlappingFieldsCanBeMergedRule,
  PossibleFragmentSpreadsRule,
  ProvidedRequiredArgumentsRule,
  ScalarLeafsRule,
  SingleFieldSubscriptionsRule,
  UniqueArgumentNamesRule,
  UniqueDirectivesPerLocationRule,
  UniqueFragmentNamesRule,
  UniqueInputFieldNamesRule,
  UniqueOperationNamesRule,
  UniqueVariableNamesRule,
  ValuesOfCorrectTypeRule,
  VariablesAreInputTypesRule,
  VariablesInAllowedPositionRule,
} from 'graphql';
import type { AppSyncError } from './runtime/types.ts';
import { ScalarParseError } from './scalars.ts';

export interface AppSyncLocation {
  line: number;
  column: number;
  sourceName: null;
}

/** One entry of `errors` as AppSync serialises it; absent keys are left out, as AppSync leaves them out. */
export interface ResponseError {
  path?: ReadonlyArray<string | number> | null;
  data?: unknown;
  errorType?: string | null;
  errorInfo?: unknown;
  locations?: AppSyncLocation[] | null;
  message: string;
  errorCode?: number;
}

export interface GraphQLResponseBody {
  data?: Record<string, unknown> | null;
  errors?: ResponseError[];
}

/** Thrown by a field resolver: carries the AppSync error (from util.error or the auth check) to the response. */
export class AppSyncFieldError extends Error {
  constructor(readonly appSyncError: AppSyncError) {
    super(appSyncError.message);
    this.name = 'AppSyncFieldError';
  }
}

export function requestError(errorType: string, message: string): GraphQLResponseBody {
  return { errors: [{ errorType, message }] };
}

export function toLocations(
  locations: ReadonlyArray<{ line: number; column: number }> | undefined,
): AppSyncLocation[] | null {
  return locations ? locations.map(({ line, column }) => ({ line, column, sourceName: null })) : null;
}

/** A field error in AppSync's key order. */
export function fieldError(
  error: AppSyncError,
  path: ReadonlyArray<string | number> | undefined,
  locations: ReadonlyArray<{ line: number; column: number }> | undefined,
): ResponseError {
  return {
    path: error.path ?? path ?? null,
    data: error.data ?? null,
    errorType: error.errorType,
    errorInfo: error.errorInfo ?? null,
    locations: toLocations(error.locations ?? locations),
    message: error.message,
  };
}

/** Formats an error graphql-js raised while executing. */
export function formatExecutionError(error: GraphQLError): ResponseError {
  const original = error.originalError;
  const scalar = scalarCause(original);
  if (original instanceof AppSyncFieldError) {
    return fieldError(original.appSyncError, error.path, error.locations);
  }
  if (scalar && error.path) {
    const where = '/' + error.path.join('/');
    return {
      path: error.path,
      data: null,
      errorType: null,
      errorInfo: null,
      locations: toLocations(error.locations),
      message: `Can't serialize value (${where}) : ${scalar.message}`,
    };
  }
  return {
    path: error.path ?? null,
    data: null,
    errorType: null,
    errorInfo: null,
    locations: toLocations(error.locations),
    message: error.message,
  };
}

// graphql-java's ValidationErrorType for each graphql-js rule, so messages read as AppSync's do.
const RULE_TYPES = new Map<ValidationRule, string>([
  [ExecutableDefinitionsRule, 'NonExecutableDefinition'],
  [UniqueOperationNamesRule, 'DuplicateOperationName'],
  [LoneAnonymousOperationRule, 'LoneAnonymousOperationViolation'],
  [SingleFieldSubscriptionsRule, 'SubscriptionMultipleRootFields'],
  [KnownTypeNamesRule, 'UnknownType'],
  [FragmentsOnCompositeTypesRule, 'InlineFragmentTypeConditionInvalid'],
  [VariablesAreInputTypesRule, 'NonInputTypeOnVariable'],
  [ScalarLeafsRule, 'SubSelectionRequired'],
  [FieldsOnCorrectTypeRule, 'FieldUndefined'],
  [UniqueFragmentNamesRule, 'DuplicateFragmentName'],
  [KnownFragmentNamesRule, 'UndefinedFragment'],
  [NoUnusedFragmentsRule, 'UnusedFragment'],
  [PossibleFragmentSpreadsRule, 'InvalidFragmentType'],
  [NoFragmentCyclesRule, 'FragmentCycle'],
  [UniqueVariableNamesRule, 'DuplicateVariableName'],
  [NoUndefinedVariablesRule, 'UndefinedVariable'],
  [NoUnusedVariablesRule, 'UnusedVariable'],
  [KnownDirectivesRule, 'UnknownDirective'],
  [UniqueDirectivesPerLocationRule, 'DuplicateDirectiveName'],
  [KnownArgumentNamesRule, 'UnknownArgument'],
  [UniqueArgumentNamesRule, 'DuplicateArgumentNames'],
  [ValuesOfCorrectTypeRule, 'WrongType'],
  [ProvidedRequiredArgumentsRule, 'MissingFieldArgument'],
  [VariablesInAllowedPositionRule, 'VariableTypeMismatch'],
  [OverlappingFieldsCanBeMergedRule, 'FieldsConflict'],
  [UniqueInputFieldNamesRule, 'DuplicateInputField'],
]);

function validationMessage(type: string, error: GraphQLError): string {
  let detail = error.message;
  const undefinedField = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(detail);
  if (type === 'FieldUndefined' && undefinedField) {
    detail = `Field '${undefinedField[1]}' in type '${undefinedField[2]}' is undefined`;
  }
  if (type === 'SubSelectionRequired' && /must not have a selection/.test(detail)) type = 'SubSelectionNotAllowed';
  return `Validation error of type ${type}: ${detail}`;
}

function validationError(message: string, error: GraphQLError): ResponseError {
  return { path: null, locations: toLocations(error.locations), message };
}

/** A rule beyond graphql-js's own, with the graphql-java error type its messages carry. */
export interface ExtraValidationRule {
  rule: ValidationRule;
  type: string;
}

/** Validates `document` and returns AppSync-shaped errors (empty when valid). */
export function validationErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  extraRules: ReadonlyArray<ExtraValidationRule> = [],
): ResponseError[] {
  const rules = [...specifiedRules.map((rule) => ({ rule, type: RULE_TYPES.get(rule) ?? 'InvalidSyntax' })), ...extraRules];
  if (validate(schema, document, rules.map((r) => r.rule)).length === 0) return [];
  const errors: ResponseError[] = [];
  for (const { rule, type } of rules) {
    for (const error of validate(schema, document, [rule])) {
      errors.push(validationError(validationMessage(type, error), error));
    }
  }
  return errors;
}

/** The scalar's own error under graphql-js's wrappers, if a scalar refused the value. */
function scalarCause(error: Error | undefined): ScalarParseError | undefined {
  for (let cause = error; cause; cause = (cause as { originalError?: Error }).originalError) {
    if (cause instanceof ScalarParseError) return cause;
  }
  return undefined;
}

/** Errors from coercing the request's variables (e.g. a bad AWSURL), in AppSync's wording. */
export function variableErrors(errors: ReadonlyArray<GraphQLError>): ResponseError[] {
  return errors.map((error) => {
    const name = /^Variable "\$([^"]+)"/.exec(error.message)?.[1];
    const at = /got invalid value .* at "([^"]+)";/.exec(error.message)?.[1];
    const original = scalarCause(error);
    if (!name || !original) return validationError(error.message, error);
    const where = at ? ` at '${at}'` : '';
    return validationError(`Variable '${name}' has an invalid value${where}: ${original.message}`, error);
  });
}
