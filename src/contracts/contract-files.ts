import { join } from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { printGatewaySchema } from '../graphql/schema';
import { audienceSchema } from './audience-schema';
import { AUDIENCE_SCHEMA_FILE, CONTRACT_AUDIENCE_NAMES } from './documents';
import { MANIFEST_FILE, printManifest } from './manifest';
import { buildManifest } from './manifest-build';

/**
 * Every file `npm run schema` generates, by path relative to the repository, with its
 * content; `null` for a file that must not exist (an audience that sees the whole schema
 * gets no schema of its own).
 */
export function contractFiles(schema: GraphQLSchema, root: string): Map<string, string | null> {
  const full = printGatewaySchema(schema);
  const files = new Map<string, string | null>([['schema.graphql', full]]);
  for (const audience of CONTRACT_AUDIENCE_NAMES) {
    const sdl = printGatewaySchema(audienceSchema(schema, audience));
    files.set(join('contracts', audience, AUDIENCE_SCHEMA_FILE), sdl === full ? null : sdl);
  }
  files.set(join('contracts', MANIFEST_FILE), printManifest(buildManifest(join(root, 'contracts'))));
  return files;
}
