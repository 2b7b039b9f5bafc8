// The Blob's published fields are declared once (graphql/blob-fields.graphql): the publisher selects them, so that
// subscribers receive all of them, and BlobResultInput, the input the publisher fills from the blob, must carry
// exactly them. A field added to Blob without its place in the fragment and the input fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  type GraphQLInputType,
  type GraphQLOutputType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  type SelectionSetNode,
  validate,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { BLOB_FIELDS, PUBLISH_BLOB_RESULT } from '../../generated/documents.ts';
import { repoRoot } from '../../infra/paths.ts';

const schema = buildSchema(['graphql/aws-appsync.graphql', 'schema.graphql'].map((file) => readFileSync(join(repoRoot, file), 'utf8')).join('\n'));
const fragment = parse(BLOB_FIELDS).definitions[0];
if (fragment.kind !== Kind.FRAGMENT_DEFINITION) {
  throw new Error('graphql/blob-fields.graphql must hold the BlobFields fragment');
}

/** Every field of `type` the selection lacks, recursively: `Blob.labels.instances.confidence`. */
function unselected(type: GraphQLOutputType, selection: SelectionSetNode | undefined, path: string): string[] {
  const named = getNamedType(type);
  if (!isObjectType(named)) return [];
  const selected = new Map((selection?.selections ?? []).flatMap((node) => (node.kind === Kind.FIELD ? [[node.name.value, node] as const] : [])));
  return Object.values(named.getFields()).flatMap((field) => {
    const node = selected.get(field.name);
    return node === undefined ? [`${path}.${field.name}`] : unselected(field.type, node.selectionSet, `${path}.${field.name}`);
  });
}

/** The differences between what a selection reads and what an input type carries, recursively. */
function mismatches(output: GraphQLOutputType, selection: SelectionSetNode | undefined, input: GraphQLInputType, path: string): string[] {
  if (isNonNullType(output) !== isNonNullType(input)) return [`${path}: ${String(output)} is read, ${String(input)} is written`];
  const [outputType, inputType] = [getNullableType(output), getNullableType(input)];
  if (isListType(outputType) || isListType(inputType)) {
    return isListType(outputType) && isListType(inputType)
      ? mismatches(outputType.ofType, selection, inputType.ofType, `${path}[]`)
      : [`${path}: ${String(output)} is read, ${String(input)} is written`];
  }
  if (isScalarType(outputType) || isEnumType(outputType)) {
    return outputType.name === getNamedType(inputType).name ? [] : [`${path}: ${outputType.name} is read, ${getNamedType(inputType).name} is written`];
  }
  if (!isObjectType(outputType) || !isInputObjectType(inputType)) return [`${path}: ${String(output)} has no input counterpart`];
  const inputFields = inputType.getFields();
  const selected = (selection?.selections ?? []).flatMap((node) => (node.kind === Kind.FIELD ? [node] : []));
  return [
    ...selected.flatMap((node) => {
      const inputField = inputFields[node.name.value];
      const field = outputType.getFields()[node.name.value];
      return inputField === undefined
        ? [`${path}.${node.name.value}: selected, but ${inputType.name} has no such field`]
        : mismatches(field.type, node.selectionSet, inputField.type, `${path}.${node.name.value}`);
    }),
    ...Object.keys(inputFields).filter((name) => !selected.some((node) => node.name.value === name)).map((name) => `${path}.${name}: in ${inputType.name}, not selected`),
  ];
}

describe('the BlobFields fragment', () => {
  it('selects every field of Blob, recursively, so that subscribers receive all of it (but the per-reader image URL)', () => {
    // Blob.imageUrl is signed for each reader (its owner only), so a result published with IAM carries none.
    expect(unselected(schema.getType('Blob') as GraphQLOutputType, fragment.selectionSet, 'Blob')).toEqual(['Blob.imageUrl']);
  });

  it('is what publishBlobResult selects, in a valid operation of schema.graphql', () => {
    expect(validate(schema, parse(PUBLISH_BLOB_RESULT))).toEqual([]);
    expect(PUBLISH_BLOB_RESULT).toContain('publishBlobResult(input: $input) {\n    ...BlobFields\n  }');
  });

  it('has its exact counterpart in BlobResultInput: the same fields, types and nullability, nested inputs included', () => {
    const input = schema.getMutationType()!.getFields().publishBlobResult.args.find((arg) => arg.name === 'input')!.type;

    expect(mismatches(schema.getType('Blob') as GraphQLOutputType, fragment.selectionSet, getNullableType(input) as GraphQLInputType, 'Blob')).toEqual([]);
  });
});
