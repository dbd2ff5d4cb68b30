// npm run bench: measures the gateway end to end over HTTP on one machine, in one run,
// and prints ratios against a baseline so that numbers from different machines compare.
// Not a test: it asserts nothing and is never run by jest.
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { issueToken } from '../../src/auth/tokens';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/data-source';
import { seedDemoShopIfEmpty } from '../../src/demo/demo-shop';
import type { Role } from '../../src/policy';
import { createGateway, listen } from '../../src/server';

const SECRET = 'bench-secret-that-is-at-least-32-bytes-long';
const CUSTOMERS = 300;
const WARMUP = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 200);

interface Scenario {
  name: string;
  role: Role;
  query: string;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'list of 50, no personal field (baseline)',
    role: 'SUPPORT_AGENT',
    query: '{ customers(first: 50) { edges { node { id createdAt } } } }',
  },
  { name: 'me (auth and GraphQL only)', role: 'SUPPORT_AGENT', query: '{ me { id role } }' },
  {
    name: 'list of 50, name/email/phone released + audited',
    role: 'SUPPORT_AGENT',
    query: '{ customers(first: 50) { edges { node { id fullName email phone } } } }',
  },
  {
    name: 'list of 50, name/email/phone withheld + audited',
    role: 'ANALYST',
    query: '{ customers(first: 50) { edges { node { id fullName email phone } } } }',
  },
  {
    name: 'search by a whole email, id only (matched + audited)',
    role: 'SUPPORT_AGENT',
    query: '{ customers(search: "bench7@example.vn") { edges { node { id } } } }',
  },
  {
    name: 'list of 50 with orders, items, shipments, consents',
    role: 'SUPPORT_AGENT',
    query: `{ customers(first: 50) { edges { node { id email consents { topic status }
      orders { edges { node { code items { sku } shipment { status recipientName } } } } } } } }`,
  },
];

async function main(): Promise<void> {
  const database = await openDatabase({ url: process.env.DATABASE_URL, pgliteDir: 'memory://' });
  await seedDemoShopIfEmpty(database.dataSource, '2024-01');
  await database.dataSource.query(`
    WITH c AS (
      INSERT INTO customers (full_name, email, phone)
      SELECT 'Khách ' || n, 'bench' || n || '@example.vn', '+8491' || lpad(n::text, 7, '0') FROM generate_series(1, ${CUSTOMERS}) n
      RETURNING id),
    consents AS (INSERT INTO consent_records (customer_id, topic, status, channel, policy_version, actor_id)
      SELECT id, 'NEWSLETTER', 'GRANTED', 'ACCOUNT', '2024-01', 'bench' FROM c),
    o AS (INSERT INTO orders (customer_id, status, total_vnd) SELECT id, 'PLACED', 100000 FROM c RETURNING id),
    items AS (INSERT INTO order_items (order_id, position, sku, name, quantity, unit_price_vnd)
      SELECT id, 0, 'SKU', 'Hạt', 1, 100000 FROM o)
    INSERT INTO shipments (order_id, recipient_name, recipient_phone, street, ward, district, province)
    SELECT id, 'Người nhận', '+84912345678', '1 Phố Huế', 'P1', 'Q1', 'Hà Nội' FROM o`);

  const config = loadConfig({
    JWT_SECRET: SECRET,
    RATE_LIMIT_PER_MINUTE: '100000000',
    DISCLOSURE_LIMITS: 'SUPPORT_AGENT:100000000',
    RETENTION_INTERVAL_MINUTES: '0',
    LOG_LEVEL: 'silent',
  });
  const gateway = await createGateway(database, config);
  const server = await listen(gateway.app, 0);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;

  process.stdout.write(
    `Petto gateway bench: ${database.kind}, ${CUSTOMERS} extra customers, ${RUNS} sequential requests per scenario\n\n`,
  );
  const results: { name: string; perSecond: number; statements: number }[] = [];
  for (const [index, scenario] of SCENARIOS.entries()) {
    const token = await issueToken(SECRET, { sub: `bench-${scenario.role.toLowerCase()}`, role: scenario.role });
    const ask = async () => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: scenario.query }),
      });
      const body = (await response.json()) as { data?: unknown };
      if (!response.ok || !body.data) throw new Error(`${scenario.name}: ${response.status} ${JSON.stringify(body)}`);
    };
    for (let i = 0; i < WARMUP; i += 1) await ask();
    const statementsBefore = database.statements.statements;
    const started = process.hrtime.bigint();
    for (let i = 0; i < RUNS; i += 1) {
      await ask();
      if ((i + 1) % 50 === 0)
        process.stdout.write(`\r  [${index + 1}/${SCENARIOS.length}] ${scenario.name}: ${i + 1}/${RUNS}`);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    results.push({
      name: scenario.name,
      perSecond: RUNS / seconds,
      statements: (database.statements.statements - statementsBefore) / RUNS,
    });
    process.stdout.write('\n');
  }

  const baseline = results[0].perSecond;
  process.stdout.write(
    '\nscenario                                               req/s   vs baseline  SQL statements/request\n',
  );
  for (const r of results) {
    process.stdout.write(
      `${r.name.padEnd(52)} ${r.perSecond.toFixed(0).padStart(7)}   ${(r.perSecond / baseline).toFixed(2).padStart(9)}   ${r.statements.toFixed(1).padStart(8)}\n`,
    );
  }

  server.close();
  await gateway.stop();
  await database.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
