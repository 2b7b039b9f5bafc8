/**
 * A GraphQL document with, as types only, the shape of its result's `data` and of its variables. The generated
 * operations are such strings; any other string can be cast to one for a custom operation.
 */
export type TypedDocument<TResult, TVariables> = string & {
  readonly __result?: TResult;
  readonly __variables?: TVariables;
};
