import { util } from '@aws-appsync/utils';

/** ctx.error as AppSync sets it after a data source call. */
export interface DataSourceError {
  message: string;
  type: string;
}

/**
 * Raises a data source error as a GraphQL error: it is logged and reported as InternalError, so that no internal
 * detail (stack, table name) reaches clients. Nothing passes through: AppSync reports every error a Lambda function
 * raises as `Lambda:Unhandled`, so the typed refusals a client may see are raised by resolver steps themselves
 * (docs/functions.md), and a DynamoDB error the client caused is mapped where it can happen (list-blobs.ts).
 */
export function raiseDataSourceError(error: DataSourceError | undefined | null): void {
  if (!error) {
    return;
  }
  console.error(`data source error ${error.type}: ${error.message}`);
  util.error('The request could not be completed', 'InternalError');
}

export function validationError(message: string, field: string): never {
  return util.error(message, 'ValidationError', null, { field });
}
