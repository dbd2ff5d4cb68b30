import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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
