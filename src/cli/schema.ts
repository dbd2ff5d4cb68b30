// npm run schema: writes schema.graphql from the code (the committed contract).
// npm run schema -- --check: exits 1 when the committed file is out of date.
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildGatewaySchema, printGatewaySchema } from '../graphql/schema';

const file = resolve(__dirname, '../../schema.graphql');
const sdl = printGatewaySchema(buildGatewaySchema());

if (process.argv.includes('--check')) {
  const committed = readFileSync(file, 'utf8');
  if (committed !== sdl) {
    process.stderr.write('schema.graphql is out of date: run npm run schema and commit it\n');
    process.exit(1);
  }
  process.stdout.write('schema.graphql matches the code\n');
} else {
  writeFileSync(file, sdl);
  process.stdout.write(`wrote ${file}\n`);
}
