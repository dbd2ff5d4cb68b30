// npm run schema: writes schema.graphql from the code (the committed contract) and
// lists what the change breaks for existing clients.
// npm run schema -- --check: exits 1 when the committed file is out of date.
import 'reflect-metadata';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, findBreakingChanges } from 'graphql';
import { buildGatewaySchema, printGatewaySchema } from '../graphql/schema';

const file = resolve(__dirname, '../../schema.graphql');
const schema = buildGatewaySchema();
const sdl = printGatewaySchema(schema);
const committed = existsSync(file) ? readFileSync(file, 'utf8') : undefined;

const breaking = committed === undefined ? [] : findBreakingChanges(buildSchema(committed), schema);
for (const change of breaking) process.stderr.write(`breaking change: ${change.type}: ${change.description}\n`);

if (process.argv.includes('--check')) {
  if (committed !== sdl) {
    process.stderr.write('schema.graphql is out of date: run npm run schema and commit it\n');
    process.exit(1);
  }
  process.stdout.write('schema.graphql matches the code\n');
} else {
  writeFileSync(file, sdl);
  process.stdout.write(`wrote ${file}${breaking.length ? ` with ${breaking.length} breaking change(s)` : ''}\n`);
}
