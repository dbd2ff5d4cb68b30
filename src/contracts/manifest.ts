import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import { Kind, visit, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { contractDocuments } from './documents';

/** Apollo's persisted-query list (the format its router and client tooling read). */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: ManifestOperation[];
}

export interface ManifestOperation {
  /** SHA-256 of `body`, in hex: what a client sends as `extensions.persistedQuery.sha256Hash`. */
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

export const MANIFEST_FILE = 'manifest.json';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

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

export function printManifest(manifest: PersistedQueryManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The committed manifest; refuses a file of another format rather than trusting what it lists. */
export function readManifest(contractsDir: string): PersistedQueryManifest {
  const manifest = JSON.parse(readFileSync(join(contractsDir, MANIFEST_FILE), 'utf8')) as PersistedQueryManifest;
  if (manifest.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1) {
    throw new Error(`${MANIFEST_FILE} is not an apollo-persisted-query-manifest of version 1`);
  }
  for (const operation of manifest.operations) {
    if (sha256Hex(operation.body) !== operation.id)
      throw new Error(`${MANIFEST_FILE}: ${operation.name}'s id is not its hash`);
  }
  return manifest;
}
