import { createHash } from 'node:crypto';
import {
  Kind,
  parse,
  print,
  validate,
  visit,
  type ASTNode,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { PersistedQueryManifest } from '../../contracts/manifest';

/**
 * Apollo keeps one parsed document per query text, so a carrier polling the same
 * operation hands us the same node each time: it is printed and hashed once.
 */
const hashes = new WeakMap<OperationDefinitionNode, string>();

/**
 * The hash an operation is registered under: its canonical printed form (whitespace,
 * comments, the order of fields, arguments and variables, and the other operations of its
 * file do not count) plus the fragments it uses.
 */
export function operationHash(document: DocumentNode, operation: OperationDefinitionNode): string {
  let hash = hashes.get(operation);
  if (hash === undefined) {
    hash = hashOf(document, operation);
    hashes.set(operation, hash);
  }
  return hash;
}

/** Fields, arguments and variables in one order, so that their order in the text does not count. */
function sorted(node: ASTNode): ASTNode {
  const byName = <T extends { name: { value: string } }>(list: readonly T[] | undefined) =>
    list && [...list].sort((a, b) => a.name.value.localeCompare(b.name.value));
  return visit(node, {
    leave(current: ASTNode) {
      if (current.kind === Kind.SELECTION_SET) {
        const printed = current.selections.map((selection) => [print(selection), selection] as const);
        return { ...current, selections: printed.sort(([a], [b]) => a.localeCompare(b)).map(([, s]) => s) };
      }
      if (current.kind === Kind.FIELD || current.kind === Kind.DIRECTIVE) {
        return { ...current, arguments: byName(current.arguments) };
      }
      if (current.kind === Kind.OPERATION_DEFINITION) {
        return {
          ...current,
          variableDefinitions:
            current.variableDefinitions &&
            [...current.variableDefinitions].sort((a, b) => a.variable.name.value.localeCompare(b.variable.name.value)),
        };
      }
      return undefined;
    },
  });
}

function hashOf(document: DocumentNode, operation: OperationDefinitionNode): string {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const used = new Set<string>();
  const collect = (node: ASTNode): void => {
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (!used.has(name) && fragment) {
          used.add(name);
          collect(fragment);
        }
      },
    });
  };
  collect(operation);
  const parts = [operation, ...[...used].sort().flatMap((name) => fragments.get(name) ?? [])];
  return createHash('sha256')
    .update(parts.map((part) => print(sorted(part))).join('\n'))
    .digest('hex');
}

/**
 * The hashes of the operations of the persisted-query manifest (contracts/manifest.json),
 * the one list of registered operations, that are valid against `audience`, the schema
 * the safelisted roles see: a client's full text is matched against them however it is
 * laid out, and an operation sent by id is its manifest body.
 */
export function manifestSafelist(manifest: PersistedQueryManifest, audience: GraphQLSchema): Set<string> {
  const hashes = new Set<string>();
  for (const { body } of manifest.operations) {
    const document = parse(body);
    // Another audience's operation (the dashboard's customer lookup) is not the carriers' to run.
    if (validate(audience, document).length > 0) continue;
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) hashes.add(operationHash(document, definition));
    }
  }
  return hashes;
}
