import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, print, visit, type ASTNode, type DocumentNode, type OperationDefinitionNode } from 'graphql';

/**
 * Apollo keeps one parsed document per query text, so a carrier polling the same
 * operation hands us the same node each time: it is printed and hashed once.
 */
const hashes = new WeakMap<OperationDefinitionNode, string>();

/**
 * The hash an operation is registered under: its canonical printed form (whitespace,
 * comments and the other operations of its file do not count) plus the fragments it uses.
 */
export function operationHash(document: DocumentNode, operation: OperationDefinitionNode): string {
  let hash = hashes.get(operation);
  if (hash === undefined) {
    hash = hashOf(document, operation);
    hashes.set(operation, hash);
  }
  return hash;
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
    .update(parts.map((part) => print(part)).join('\n'))
    .digest('hex');
}

/** Registers every operation of every .graphql file in `dir` (the carrier contracts). */
export function loadSafelist(dir: string): Set<string> {
  const hashes = new Set<string>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.graphql'))) {
    const document = parse(readFileSync(join(dir, file), 'utf8'));
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) hashes.add(operationHash(document, definition));
    }
  }
  return hashes;
}
