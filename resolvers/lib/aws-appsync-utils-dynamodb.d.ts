// `@aws-appsync/utils/dynamodb` has no "exports" map, so NodeNext module resolution cannot find the
// extension-less subpath from an ES module. AppSync provides the module at run time under exactly
// this name; this declaration points the type checker at the package's own declarations.
declare module '@aws-appsync/utils/dynamodb' {
  export * from '@aws-appsync/utils/lib/dynamodb-helpers.js';
}
