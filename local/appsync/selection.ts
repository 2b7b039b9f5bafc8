// Selection-set helpers: ctx.info.selectionSetList / selectionSetGraphQL as AppSync fills them, and the
// projection of a mutation's response onto the fields it selected (what AppSync hands to subscribers).
import { Kind, print, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

type Fragments = Record<string, FragmentDefinitionNode>;

/** Every field path under the selection, aliases replaced by field names, fragments expanded: ["id", "labels", "labels/name"]. */
export function selectionSetList(fieldNodes: ReadonlyArray<FieldNode>, fragments: Fragments): string[] {
  const paths: string[] = [];
  const visit = (selectionSet: SelectionSetNode | undefined, prefix: string, seen: Set<string>): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        const path = prefix ? `${prefix}/${name}` : name;
        if (!paths.includes(path)) paths.push(path);
        visit(selection.selectionSet, path, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, prefix, seen);
      } else {
        const name = selection.name.value;
        const fragment = fragments[name];
        if (!fragment || seen.has(name)) continue;
        visit(fragment.selectionSet, prefix, new Set([...seen, name]));
      }
    }
  };
  for (const node of fieldNodes) visit(node.selectionSet, '', new Set());
  return paths;
}

/** The field's selection set printed as GraphQL ("{\n  id\n  status\n}"); empty for a leaf field. */
export function selectionSetGraphQL(fieldNodes: ReadonlyArray<FieldNode>): string {
  const selectionSet = fieldNodes[0]?.selectionSet;
  return selectionSet ? print(selectionSet) : '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(target: Record<string, unknown>, key: string, value: unknown): void {
  const existing = target[key];
  if (isRecord(existing) && isRecord(value)) {
    for (const [k, v] of Object.entries(value)) merge(existing, k, v);
  } else if (!(key in target)) {
    target[key] = value;
  }
}

/**
 * Turns a mutation field's response value (keyed by response names) back into an object keyed by field
 * names, holding only the fields the mutation selected. Subscribers are served from this object, so a
 * field the mutation did not select is null for them, as in AppSync.
 */
export function projectSelectedFields(
  value: unknown,
  selectionSet: SelectionSetNode | undefined,
  fragments: Fragments,
): unknown {
  if (value === null || value === undefined || !selectionSet) return value;
  if (Array.isArray(value)) return value.map((item) => projectSelectedFields(item, selectionSet, fragments));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  const visit = (set: SelectionSetNode, seen: Set<string>): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const responseKey = selection.alias?.value ?? name;
        if (name.startsWith('__') || !(responseKey in value)) continue;
        merge(out, name, projectSelectedFields(value[responseKey], selection.selectionSet, fragments));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, seen);
      } else {
        const fragment = fragments[selection.name.value];
        if (fragment && !seen.has(fragment.name.value)) {
          visit(fragment.selectionSet, new Set([...seen, fragment.name.value]));
        }
      }
    }
  };
  visit(selectionSet, new Set());
  return out;
}

/** Root fields of an operation, fragments expanded (mutation fields in document order). */
export function rootFields(
  selectionSet: SelectionSetNode,
  fragments: Fragments,
  seen: Set<string> = new Set(),
): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet, fragments, seen);
    const fragment = fragments[selection.name.value];
    if (!fragment || seen.has(fragment.name.value)) return [];
    return rootFields(fragment.selectionSet, fragments, new Set([...seen, fragment.name.value]));
  });
}

export function fragmentsOf(document: DocumentNode): Fragments {
  const fragments: Fragments = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}
