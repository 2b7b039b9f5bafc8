// `npm run codegen`: TypeScript from schema.graphql and the documents that go with it.
// - generated/graphql.ts: every type of the schema, for resolvers, functions and tests.
// - generated/operations.ts and generated/documents.ts: the types and the text of what the functions send
//   (graphql/*.graphql: the Blob's published fields, declared once, and publishBlobResult).
// - client/src/generated/operations.ts: the client package's operations (client/src/operations.graphql, which spreads
//   the same BlobFields fragment), checked against the schema, with their result and variable types and their
//   documents as typed strings: the package carries its own copy, so that it stands alone once published.
// The plugins are called directly (no codegen CLI: its loaders need a newer Node than the project supports).
import { createRequire } from 'node:module';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { plugin as typescriptPlugin } from '@graphql-codegen/typescript';
import { plugin as operationsPlugin } from '@graphql-codegen/typescript-operations';
import {
  buildSchema,
  Kind,
  lexicographicSortSchema,
  parse,
  print,
  stripIgnoredCharacters,
  validate,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_FILES = ['graphql/aws-appsync.graphql', 'schema.graphql'];
/** What the functions send; aws-appsync.graphql is the schema's preamble, not a document. */
export const PRODUCT_DOCUMENTS = ['graphql/blob-fields.graphql', 'graphql/publish-blob-result.graphql'];
export const FRAGMENTS_FILE = 'graphql/blob-fields.graphql';
export const OPERATIONS_FILE = 'client/src/operations.graphql';
const OPERATIONS_OUTPUT = 'client/src/generated/operations.ts';

interface DocumentTextPlugin {
  plugin(schema: GraphQLSchema, documents: Array<{ location: string; document: DocumentNode }>): string;
}
// A codegen plugin of its own (CommonJS, for the codegen CLI it was written for): each document's text as a constant.
const documentText = createRequire(import.meta.url)('./codegen-document-text.cjs') as DocumentTextPlugin;

const SCALARS = {
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

type PluginOutput = string | { prepend?: string[]; content: string; append?: string[] };

function joinOutput(output: PluginOutput): string {
  if (typeof output === 'string') return output;
  return [...(output.prepend ?? []), output.content, ...(output.append ?? [])].join('\n');
}

async function schemaTypes(schema: GraphQLSchema): Promise<string> {
  // Sorted, so that the file changes only where the schema does.
  const output = await typescriptPlugin(lexicographicSortSchema(schema), [], {
    enumsAsTypes: true,
    avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
    scalars: SCALARS,
  });
  return joinOutput(output);
}

/** The fragments an operation spreads, directly or through other fragments. */
function fragmentsOf(node: OperationDefinitionNode | FragmentDefinitionNode, all: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): Set<string> {
  visit(node, {
    FragmentSpread(spread) {
      const name = spread.name.value;
      if (seen.has(name)) return;
      seen.add(name);
      const fragment = all.get(name);
      if (!fragment) throw new Error(`${OPERATIONS_FILE}: unknown fragment ${name}`);
      fragmentsOf(fragment, all, seen);
    },
  });
  return seen;
}

/**
 * Each fragment and operation as a minified string; an operation's document is its text followed by the fragments
 * it spreads, typed with its result and variables.
 */
function typedDocuments(document: DocumentNode): string {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const lines: string[] = [];
  for (const [name, fragment] of fragments) {
    lines.push(`const ${name}Fragment = ${JSON.stringify(stripIgnoredCharacters(print(fragment)))};`);
  }
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION || !definition.name) continue;
    const name = definition.name.value;
    const kind = definition.operation.charAt(0).toUpperCase() + definition.operation.slice(1);
    const parts = [JSON.stringify(stripIgnoredCharacters(print(definition))), ...[...fragmentsOf(definition, fragments)].map((f) => `${f}Fragment`)];
    lines.push(`export const ${name}Document = (${parts.join(' + ')}) as TypedDocument<${name}${kind}, ${name}${kind}Variables>;`);
  }
  return lines.join('\n');
}

async function operationTypes(schema: GraphQLSchema): Promise<string> {
  const sources = await Promise.all([FRAGMENTS_FILE, OPERATIONS_FILE].map((file) => readFile(path.join(root, file), 'utf8')));
  const document = parse(sources.join('\n'));
  const errors = validate(schema, document);
  if (errors.length > 0) {
    throw new Error(`${OPERATIONS_FILE} does not match the schema:\n${errors.map((error) => `  ${error.message}`).join('\n')}`);
  }
  // The operations plugin writes the schema types they use (enums, inputs) itself: the package carries no other.
  const operations = joinOutput(await operationsPlugin(schema, [{ location: OPERATIONS_FILE, document }], {
    enumType: 'string-literal',
    avoidOptionals: false,
    scalars: SCALARS,
  }, { outputFile: OPERATIONS_OUTPUT }));
  return [
    `// Generated by scripts/codegen.ts from schema.graphql and ${path.basename(OPERATIONS_FILE)}: do not edit.`,
    '/* eslint-disable */',
    "import type { TypedDocument } from '../typed-document.js';",
    '',
    operations,
    '',
    typedDocuments(document),
    '',
  ].join('\n');
}

/** The product documents, checked against the schema. */
async function productDocuments(schema: GraphQLSchema): Promise<Array<{ location: string; document: DocumentNode }>> {
  const documents = await Promise.all(PRODUCT_DOCUMENTS.map(async (location) => ({ location, document: parse(await readFile(path.join(root, location), 'utf8')) })));
  const errors = validate(schema, { kind: Kind.DOCUMENT, definitions: documents.flatMap(({ document }) => document.definitions) });
  if (errors.length > 0) {
    throw new Error(`graphql/*.graphql does not match the schema:\n${errors.map((error) => `  ${error.message}`).join('\n')}`);
  }
  return documents;
}

async function main(): Promise<void> {
  const sdl = (await Promise.all(SCHEMA_FILES.map((file) => readFile(path.join(root, file), 'utf8')))).join('\n');
  const schema = buildSchema(sdl);
  const documents = await productDocuments(schema);
  await writeFile(path.join(root, 'generated/graphql.ts'), await schemaTypes(schema));
  await writeFile(path.join(root, 'generated/operations.ts'), joinOutput(await operationsPlugin(schema, documents, {
    enumType: 'string-literal',
    scalars: SCALARS,
    importSchemaTypesFrom: './generated/graphql.ts',
    importExtension: '.ts',
  }, { outputFile: 'generated/operations.ts' })));
  await writeFile(path.join(root, 'generated/documents.ts'), documentText.plugin(schema, documents));
  await writeFile(path.join(root, OPERATIONS_OUTPUT), await operationTypes(schema));
  console.log(`codegen: generated/graphql.ts, generated/operations.ts, generated/documents.ts, ${OPERATIONS_OUTPUT}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
