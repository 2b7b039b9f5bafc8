import { util } from '@aws-appsync/utils';

/** ctx.error as AppSync sets it after a data source call. */
export interface DataSourceError {
  message: string;
  type: string;
}

/**
 * Raises a data source error as a GraphQL error. Error types the caller lists (typed domain errors of a
 * Lambda function) reach the client as they are; anything else is logged and reported as InternalError,
 * so that no internal detail (stack, table name) leaks to clients.
 */
export function raiseDataSourceError(error: DataSourceError | undefined | null, passThroughTypes: string[]): void {
  if (!error) {
    return;
  }
  if (passThroughTypes.includes(error.type)) {
    util.error(error.message, error.type);
  }
  console.error(`data source error ${error.type}: ${error.message}`);
  util.error('The request could not be completed', 'InternalError');
}

export function validationError(message: string, field: string): never {
  return util.error(message, 'ValidationError', null, { field });
}
