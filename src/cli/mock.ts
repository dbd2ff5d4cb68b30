// npm run mock [-- --schema carrier|dashboard|full]: a mock of the gateway on MOCK_PORT
// (4010 by default) that answers the audience's schema (the carrier's by default) with
// made-up Vietnamese data. No token and no database: for building an integration.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startMockServer, type MockSchema } from '../contracts/mock-server';

const SCHEMAS: readonly MockSchema[] = ['carrier', 'dashboard', 'full'];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { schema: { type: 'string', default: 'carrier' } } });
  const schema = SCHEMAS.find((name) => name === values.schema);
  if (!schema) throw new Error(`--schema must be one of ${SCHEMAS.join(', ')}, got "${values.schema}"`);
  const port = Number(process.env.MOCK_PORT ?? 4010);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`MOCK_PORT must be a port number, got "${process.env.MOCK_PORT}"`);
  const server = await startMockServer({ root: resolve(__dirname, '../..'), schema, port });
  process.stdout.write(`mock gateway (${schema} schema) at ${server.url}\n`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
