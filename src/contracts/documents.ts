import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type DocumentNode } from 'graphql';
import { CONTRACT_AUDIENCES, type ContractAudience } from '../policy';

/** In each audience's folder, the schema it sees; every other .graphql file there holds its operations. */
export const AUDIENCE_SCHEMA_FILE = 'schema.graphql';

export const CONTRACT_AUDIENCE_NAMES = Object.keys(CONTRACT_AUDIENCES) as ContractAudience[];

export interface ContractDocument {
  audience: ContractAudience;
  /** Relative to the contracts folder, e.g. carrier/Deliveries.graphql. */
  file: string;
  document: DocumentNode;
}

/** The operations every audience sends, file by file, in a stable order. */
export function contractDocuments(contractsDir: string): ContractDocument[] {
  return CONTRACT_AUDIENCE_NAMES.flatMap((audience) =>
    readdirSync(join(contractsDir, audience))
      .filter((name) => name.endsWith('.graphql') && name !== AUDIENCE_SCHEMA_FILE)
      .sort()
      .map((name) => ({
        audience,
        file: `${audience}/${name}`,
        document: parse(readFileSync(join(contractsDir, audience, name), 'utf8')),
      })),
  );
}
