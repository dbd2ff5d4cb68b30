// npm run schema: writes from the code the committed contracts: schema.graphql, the
// schema each audience sees (contracts/<audience>/schema.graphql) and the persisted-query
// manifest of every registered operation (contracts/manifest.json). It lists what the
// change breaks for existing clients.
// npm run schema -- --check: exits 1 when a committed file is out of date.
import 'reflect-metadata';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, findBreakingChanges } from 'graphql';
import { contractFiles } from '../contracts/contract-files';
import { buildGatewaySchema } from '../graphql/schema';

const root = resolve(__dirname, '../..');
const schema = buildGatewaySchema();
const files = contractFiles(schema, root);
const committed = (path: string) =>
  existsSync(resolve(root, path)) ? readFileSync(resolve(root, path), 'utf8') : null;

const before = committed('schema.graphql');
const breaking = before === null ? [] : findBreakingChanges(buildSchema(before), schema);
for (const change of breaking) process.stderr.write(`breaking change: ${change.type}: ${change.description}\n`);

const stale = [...files].filter(([path, content]) => committed(path) !== content).map(([path]) => path);
if (process.argv.includes('--check')) {
  for (const path of stale) process.stderr.write(`${path} is out of date: run npm run schema and commit it\n`);
  if (stale.length) process.exit(1);
  process.stdout.write('schema.graphql and contracts/ match the code\n');
} else {
  for (const path of stale) {
    const content = files.get(path);
    if (content === null || content === undefined) rmSync(resolve(root, path));
    else writeFileSync(resolve(root, path), content);
    process.stdout.write(`${content === null ? 'removed' : 'wrote'} ${path}\n`);
  }
  if (breaking.length) process.stdout.write(`${breaking.length} breaking change(s) in schema.graphql\n`);
  // The typed documents are made from these files: stale, they would send ids the gateway no longer knows.
  if (stale.length) process.stdout.write('now run npm run codegen, and commit both\n');
}
