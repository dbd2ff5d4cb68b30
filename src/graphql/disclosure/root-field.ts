import { Kind, OperationTypeNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { Path } from 'graphql/jsutils/Path';
import { reachesManySubjects } from '../../policy';

/*
 * Which root field of the operation a resolved value sits under, so that the policy can
 * tell a value reached through a list or a search from one asked for by id.
 */

/** Where in the resolver tree a value is: enough to tell which root field reached it. */
export type ResolutionPoint = Pick<GraphQLResolveInfo, 'path' | 'operation' | 'fragments'>;

/** The field name behind a response key of the operation's root selection, through fragments too. */
function rootFieldName(
  selectionSet: SelectionSetNode,
  responseKey: string,
  point: ResolutionPoint,
): string | undefined {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if ((selection.alias ?? selection.name).value === responseKey) return selection.name.value;
      continue;
    }
    const nested =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection.selectionSet
        : point.fragments[selection.name.value]?.selectionSet;
    const found = nested && rootFieldName(nested, responseKey, point);
    if (found) return found;
  }
  return undefined;
}

/** The response key of the root field a path starts from. */
function rootKeyOf(path: Path): string {
  let root = path;
  while (root.prev) root = root.prev;
  return String(root.key);
}

/** `Query.field` or `Mutation.field` for the root response key, or undefined when the selection has no such key. */
function rootFieldCoordinate(point: ResolutionPoint, rootKey: string): string | undefined {
  const rootType = point.operation.operation === OperationTypeNode.MUTATION ? 'Mutation' : 'Query';
  const fieldName = rootFieldName(point.operation.selectionSet, rootKey, point);
  return fieldName === undefined ? undefined : `${rootType}.${fieldName}`;
}

/** Per request: remembers, per root response key, whether that root field reaches many subjects. */
export class RootFieldReach {
  private readonly manyByRootKey = new Map<string, boolean>();

  /** Whether the root field this value sits under reaches many subjects (a list or a search). */
  reachesMany(point: ResolutionPoint): boolean {
    const rootKey = rootKeyOf(point.path);
    let many = this.manyByRootKey.get(rootKey);
    if (many === undefined) {
      const coordinate = rootFieldCoordinate(point, rootKey);
      many = coordinate === undefined || reachesManySubjects(coordinate);
      this.manyByRootKey.set(rootKey, many);
    }
    return many;
  }
}
