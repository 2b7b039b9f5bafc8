// Coerces a request's variables and words the first refusal as AppSync (graphql-java) words it:
//   Variable 'input' has coerced Null value for NonNull type 'String!'
// graphql-java stops at the first value it cannot coerce, and names the variable even when the null is a field
// deep inside it, with that field's type (aws/aws-appsync-community#406); an unknown input field is
//   The variables input contains a field that is not defined for input object type 'T '
// (aws/aws-appsync-community#273). The error has `path: null`, the variable definition's location and no
// errorType, as AppSync answers. Values graphql-js refuses but graphql-java might coerce (a string for an Int)
// are refused: the local API is never more lenient than the cloud one.
import {
  getLocation,
  getVariableValues,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type VariableDefinitionNode,
} from 'graphql';
import { toLocations, variableErrors, type ResponseError } from './errors.ts';
import { ScalarParseError } from './scalars.ts';

export type VariableCoercion = { coerced: Record<string, unknown> } | { errors: ResponseError[] };

/** Java's simple class name for a JSON value, as graphql-java's messages show it. */
function javaTypeName(value: unknown): string {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? (Math.abs(value) <= 2 ** 31 - 1 ? 'Integer' : 'Long') : 'Double';
  if (Array.isArray(value)) return 'ArrayList';
  return 'LinkedHashMap';
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Does a built-in scalar take this JSON value (graphql-js's rules)? */
function builtInAccepts(name: string, value: unknown): boolean | undefined {
  switch (name) {
    case 'Int':
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2 ** 31 - 1;
    case 'Float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'String':
      return typeof value === 'string';
    case 'Boolean':
      return typeof value === 'boolean';
    case 'ID':
      return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
    default:
      return undefined;
  }
}

/** The first refusal for `value` of `type`, worded as graphql-java words it, or null. */
function refusal(variable: string, type: GraphQLInputType, value: unknown, path: string): string | null {
  if (isNonNullType(type)) {
    if (value === null || value === undefined) return `Variable '${variable}' has coerced Null value for NonNull type '${String(type)}'`;
    return refusal(variable, type.ofType, value, path);
  }
  if (value === null || value === undefined) return null;
  const at = path === variable ? '' : ` at '${path}'`;
  if (isListType(type)) {
    const items = Array.isArray(value) ? value : [value];
    for (const [i, item] of items.entries()) {
      const problem = refusal(variable, type.ofType, item, Array.isArray(value) ? `${path}[${i}]` : path);
      if (problem) return problem;
    }
    return null;
  }
  if (isInputObjectType(type)) {
    if (!isPlainObject(value)) {
      return `Variable '${variable}' has an invalid value${at}: Expected type 'Map' but was '${javaTypeName(value)}'. Variables for input objects must be an instance of type 'Map'.`;
    }
    const fields = type.getFields();
    if (Object.keys(value).some((key) => !Object.hasOwn(fields, key))) {
      return `The variables input contains a field that is not defined for input object type '${type.name}' `;
    }
    for (const field of Object.values(fields)) {
      const given = Object.hasOwn(value, field.name) ? value[field.name] : field.defaultValue;
      const problem = refusal(variable, field.type, given, `${path}.${field.name}`);
      if (problem) return problem;
    }
    return null;
  }
  if (isEnumType(type)) {
    if (typeof value === 'string' && type.getValue(value)) return null;
    return `Variable '${variable}' has an invalid value${at}: Invalid input for Enum '${type.name}'. No value found for name '${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  }
  if (isScalarType(type)) {
    const accepted = builtInAccepts(type.name, value);
    if (accepted === false) return `Variable '${variable}' has an invalid value${at}: Expected type '${type.name}' but was '${javaTypeName(value)}'.`;
    if (accepted === undefined) {
      try {
        type.parseValue(value);
      } catch (error) {
        const message = error instanceof ScalarParseError ? error.message : error instanceof Error ? error.message : String(error);
        return `Variable '${variable}' has an invalid value${at}: ${message}`;
      }
    }
  }
  return null;
}

/** Coerces `inputs` for the operation's variable definitions; the first refusal is the one error, as in AppSync. */
export function coerceVariables(
  schema: GraphQLSchema,
  definitions: readonly VariableDefinitionNode[],
  inputs: Record<string, unknown> | undefined,
): VariableCoercion {
  const values = inputs ?? {};
  for (const definition of definitions) {
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) continue;
    const name = definition.variable.name.value;
    const given = Object.hasOwn(values, name) ? values[name] : definition.defaultValue ? undefined : null;
    if (given === undefined) continue;
    const problem = refusal(name, type, given, name);
    if (problem) {
      const source = definition.loc?.source;
      const location = source && definition.loc ? [getLocation(source, definition.loc.start)] : undefined;
      return { errors: [{ path: null, locations: toLocations(location), message: problem }] };
    }
  }
  const coerced = getVariableValues(schema, definitions, values);
  return coerced.errors ? { errors: variableErrors(coerced.errors) } : { coerced: coerced.coerced };
}
