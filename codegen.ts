import type { CodegenConfig } from '@graphql-codegen/cli';

/** The operations and fragments the product sends (graphql/aws-appsync.graphql is the schema's preamble, not one). */
const documents = ['graphql/blob-fields.graphql', 'graphql/publish-blob-result.graphql'];
const documentText = './scripts/codegen-document-text.cjs';

const scalars = {
  ID: 'string',
  AWSDate: 'string',
  AWSTime: 'string',
  AWSDateTime: 'string',
  AWSTimestamp: 'number',
  AWSEmail: 'string',
  AWSJSON: 'string',
  AWSURL: 'string',
  AWSPhone: 'string',
  AWSIPAddress: 'string',
};

const config: CodegenConfig = {
  schema: ['graphql/aws-appsync.graphql', 'schema.graphql'],
  documents,
  generates: {
    // The schema's types.
    'generated/graphql.ts': {
      plugins: ['typescript'],
      config: { enumsAsTypes: true, avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false }, scalars },
    },
    // The documents' types (BlobFieldsFragment, PublishBlobResultMutation...), on the schema's.
    'generated/operations.ts': {
      plugins: ['typescript-operations'],
      config: { enumType: 'string-literal', scalars, importSchemaTypesFrom: './generated/graphql.ts', importExtension: '.ts' },
    },
    // The documents' text, for the functions and the tests, and for the web page (served as it is, no build).
    'generated/documents.ts': { plugins: [documentText] },
    'web/generated/documents.js': { plugins: [documentText] },
  },
};
export default config;
