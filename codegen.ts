// npm run codegen: typed documents for every operation in contracts/, one folder per
// audience, each typed against the schema that audience sees. The output is committed;
// test/contracts/codegen.test.ts fails when it is stale.
import { createHash } from 'node:crypto';
import type { CodegenConfig } from '@graphql-codegen/cli';

/** The id contracts/manifest.json gives the same body: a generated document is sent by it. */
const manifestId = (body: string): string => createHash('sha256').update(body).digest('hex');

function audience(name: string): CodegenConfig['generates'][string] {
  return {
    schema: `contracts/${name}/schema.graphql`,
    documents: [`contracts/${name}/*.graphql`, `!contracts/${name}/schema.graphql`],
    preset: 'client',
    presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: manifestId } },
    config: { scalars: { DateTime: 'string', JSONObject: 'Record<string, unknown>' }, useTypeImports: true },
  };
}

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    'contracts/generated/carrier/': audience('carrier'),
    'contracts/generated/dashboard/': audience('dashboard'),
  },
};

export default config;
