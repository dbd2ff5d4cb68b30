import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import { Kind, visit, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { contractDocuments } from './documents';
import { sha256Hex, type ManifestOperation, type PersistedQueryManifest } from './manifest';

// Built by `npm run schema` only: the printer comes with GraphQL Code Generator, a development tool.

/** The operation alone with the fragments it uses, as a document of its own. */
function executableDocument(document: DocumentNode, operation: OperationDefinitionNode): DocumentNode {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const used = new Map<string, FragmentDefinitionNode>();
  const collect = (node: OperationDefinitionNode | FragmentDefinitionNode): void => {
    visit(node, {
      FragmentSpread({ name }) {
        const fragment = fragments.get(name.value);
        if (fragment && !used.has(name.value)) {
          used.set(name.value, fragment);
          collect(fragment);
        }
      },
    });
  };
  collect(operation);
  return { kind: Kind.DOCUMENT, definitions: [operation, ...used.values()] };
}

/**
 * Every operation in contracts/, each printed as GraphQL Code Generator's client preset
 * prints it (sorted, one line), so that the hash in a generated typed document is its id here.
 */
export function buildManifest(contractsDir: string): PersistedQueryManifest {
  const operations = contractDocuments(contractsDir).flatMap(({ file, document }) =>
    document.definitions.flatMap((definition): ManifestOperation[] => {
      if (definition.kind !== Kind.OPERATION_DEFINITION) return [];
      if (!definition.name) throw new Error(`${file}: every registered operation needs a name`);
      const body = printExecutableGraphQLDocument(executableDocument(document, definition));
      return [{ id: sha256Hex(body), name: definition.name.value, type: definition.operation, body }];
    }),
  );
  const names = operations.map((operation) => operation.name);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice) throw new Error(`two registered operations are named ${twice}: names must be unique`);
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}
