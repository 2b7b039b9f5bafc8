/** What a data source call gives the response handler: ctx.result, and ctx.error when it failed. */
export interface DataSourceOutcome {
  result: unknown;
  error?: { message: string; type: string; data?: unknown };
}

/** A request object the data source cannot run: AppSync fails the field (it is not a ctx.error). */
export class InvalidRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}
