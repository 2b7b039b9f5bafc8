// DynamoDB condition and filter expressions from AppSync's filter objects ({ field: { eq: 1 }, and: [...], or: [...],
// not: {...} }), as util.transform.toDynamoDBFilterExpression / toDynamoDBConditionExpression give them (both
// alike); also the key condition of a Query and projections, for the @aws-appsync/utils/dynamodb helpers.
//
// The shape is what AppSync's EvaluateCode answers (test/conformance/cases/transform-expressions.ts):
// - each operator is one parenthesised condition: `(#v = :v_eq)`, `(contains(#v,:v_contains))` (no space after
//   the comma), `(#v BETWEEN :v_between_start AND :v_between_end)`, `(#v IN (:v_in_0, :v_in_1))` (a space),
//   `(attribute_exists(#v))`, `(attribute_type(#v,:v_attributeType))` with the type code, `size` wrapping the
//   attribute it measures (`(size(#v) > :v_size_gt)`);
// - the members of an object are joined with AND, an and/or list with AND/OR; a list, a field's operators and the
//   operand of `not` are parenthesised when they have more than one member, the filter as a whole never;
//   `not` gives `(NOT ...)`;
// - a value placeholder names where it sits: `:and_0_or_1_v_eq`, `:not_v_eq`, `:v_size_gt`; field names are
//   used verbatim (`#a.b`);
// - expressionNames and expressionValues are always present; a member that renders nothing is joined all the
//   same (`(#a = :a_eq) AND `), as AppSync does; an empty `in` list renders `(null)`;
// - what AppSync cannot render (not an object, a field that is not an object of operators, an unknown operator,
//   an operand of the wrong kind, an and/or that is not a list) gives no expression at all: null.
import { toDynamoDB, type AttributeValue } from './dynamodb.ts';

export interface Expression {
  expression: string;
  expressionNames?: Record<string, string>;
  expressionValues?: Record<string, AttributeValue>;
}

type Node = Required<Expression>;

const COMPARATORS: Record<string, string> = { eq: '=', ne: '<>', le: '<=', lt: '<', ge: '>=', gt: '>' };
const FUNCTIONS: Record<string, string> = { beginsWith: 'begins_with', contains: 'contains', notContains: 'NOT contains' };
const ATTRIBUTE_TYPES: Record<string, string> = {
  _null: 'NULL', string: 'S', stringSet: 'SS', number: 'N', numberSet: 'NS', binary: 'B', binarySet: 'BS', boolean: 'BOOL', list: 'L', map: 'M',
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What AppSync cannot render: the whole expression is then null. */
class NotAFilter extends Error {}

const leaf = (expression: string, expressionValues: Record<string, AttributeValue> = {}): Node => ({ expression, expressionNames: {}, expressionValues });

function join(nodes: readonly Node[], joiner: 'AND' | 'OR', wrap: boolean): Node {
  const expression = nodes.map((n) => n.expression).join(` ${joiner} `);
  return {
    expression: wrap && nodes.length > 1 ? `(${expression})` : expression,
    expressionNames: Object.assign({}, ...nodes.map((n) => n.expressionNames)) as Record<string, string>,
    expressionValues: Object.assign({}, ...nodes.map((n) => n.expressionValues)) as Record<string, AttributeValue>,
  };
}

function operatorNode(target: string, op: string, operand: unknown, placeholder: string): Node {
  if (Object.hasOwn(COMPARATORS, op)) return leaf(`(${target} ${COMPARATORS[op]} ${placeholder})`, { [placeholder]: toDynamoDB(operand) });
  if (Object.hasOwn(FUNCTIONS, op)) return leaf(`(${FUNCTIONS[op]}(${target},${placeholder}))`, { [placeholder]: toDynamoDB(operand) });
  switch (op) {
    case 'between':
      if (!Array.isArray(operand) || operand.length < 2) throw new NotAFilter(op);
      return leaf(`(${target} BETWEEN ${placeholder}_start AND ${placeholder}_end)`, {
        [`${placeholder}_start`]: toDynamoDB(operand[0]),
        [`${placeholder}_end`]: toDynamoDB(operand[1]),
      });
    case 'in': {
      if (!Array.isArray(operand)) throw new NotAFilter(op);
      if (operand.length === 0) return leaf('(null)');
      const names = operand.map((_, i) => `${placeholder}_${i}`);
      return leaf(`(${target} IN (${names.join(', ')}))`, Object.fromEntries(names.map((n, i) => [n, toDynamoDB(operand[i])])));
    }
    case 'attributeExists':
      if (typeof operand !== 'boolean') throw new NotAFilter(op);
      return leaf(`(${operand ? 'attribute_exists' : 'attribute_not_exists'}(${target}))`);
    case 'attributeType':
      if (typeof operand !== 'string' || !Object.hasOwn(ATTRIBUTE_TYPES, operand)) throw new NotAFilter(op);
      return leaf(`(attribute_type(${target},${placeholder}))`, { [placeholder]: toDynamoDB(ATTRIBUTE_TYPES[operand]) });
    default:
      throw new NotAFilter(op);
  }
}

/** One field's operators; `size` measures the attribute for the operators inside it. */
function fieldNode(field: string, operators: unknown, path: readonly string[], sized: boolean): Node {
  if (!isPlainObject(operators)) throw new NotAFilter(field);
  const name = `#${field}`;
  const target = sized ? `size(${name})` : name;
  const nodes = Object.entries(operators)
    .filter(([, operand]) => operand !== undefined)
    .map(([op, operand]) => (op === 'size' ? fieldNode(field, operand, [...path, op], true) : operatorNode(target, op, operand, `:${[...path, op].join('_')}`)));
  const node = join(nodes, 'AND', true);
  // A field is named even when it carries no operator.
  return { ...node, expressionNames: { [name]: field, ...node.expressionNames } };
}

function filterNode(filter: unknown, path: readonly string[], wrap: boolean): Node {
  if (!isPlainObject(filter)) throw new NotAFilter('filter');
  const nodes = Object.entries(filter).map(([key, value]) => {
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) throw new NotAFilter(key);
      return join(
        value.map((member, i) => filterNode(member, [...path, key, String(i)], false)),
        key === 'or' ? 'OR' : 'AND',
        true,
      );
    }
    if (key === 'not') {
      const inner = filterNode(value, [...path, 'not'], true);
      return { ...inner, expression: `(NOT ${inner.expression})` };
    }
    return fieldNode(key, value, [...path, key], false);
  });
  return join(nodes, 'AND', wrap);
}

/** Filter/condition object → expression, as util.transform gives it; null when AppSync cannot render it. */
export function buildCondition(filter: unknown): Node | null {
  try {
    return filterNode(filter, [], false);
  } catch (error) {
    if (error instanceof NotAFilter) return null;
    throw error;
  }
}

/** Key condition of a Query: equality on the partition key, one comparison/between/beginsWith on the sort key. */
export function buildKeyCondition(query: Record<string, unknown>): Expression {
  const nodes: Node[] = [];
  for (const [key, ops] of Object.entries(query)) {
    try {
      const node = fieldNode(key, ops, [key], false);
      // A key condition takes no parentheses around its two comparisons.
      nodes.push({ ...node, expression: node.expression.replace(/^\((.*)\)$/, '$1') });
    } catch (error) {
      if (error instanceof NotAFilter) throw new TypeError(`Invalid key condition for ${key}: ${JSON.stringify(ops)}`);
      throw error;
    }
  }
  return join(nodes, 'AND', false);
}

/** `a.b[2].c` → `#a.#b[2].#c`, registering the names in `names`. */
export function namePath(path: string, names: Record<string, string>, placeholder: (segment: string) => string): string {
  return path
    .split('.')
    .map((segment) => {
      const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(segment);
      const name = m ? m[1] : segment;
      const key = placeholder(name);
      names[key] = name;
      return `${key}${m ? m[2] : ''}`;
    })
    .join('.');
}

export function buildProjection(fields: readonly string[] | null | undefined): { expression: string; expressionNames: Record<string, string> } | undefined {
  if (!fields || fields.length === 0) return undefined;
  const names: Record<string, string> = {};
  const expression = fields.map((f) => namePath(f, names, (segment) => `#${segment.replace(/[^A-Za-z0-9_]/g, '_')}`)).join(', ');
  return { expression, expressionNames: names };
}
