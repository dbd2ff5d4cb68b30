import type { Database } from '../../src/db/data-source';
import { TestGateway, type Caller, type GraphQLResponse } from './gateway';

/** Every table a write of the API adds rows to. */
const WRITTEN_TABLES = ['customers', 'orders', 'order_items', 'shipments', 'consent_records'] as const;
export type RowCounts = Record<(typeof WRITTEN_TABLES)[number], number>;

export async function rowCounts(gateway: TestGateway): Promise<RowCounts> {
  const [row] = await gateway.database.dataSource.query(
    `SELECT ${WRITTEN_TABLES.map((table) => `(SELECT count(*) FROM ${table})::int AS ${table}`).join(', ')}`,
  );
  return Object.fromEntries(WRITTEN_TABLES.map((table) => [table, Number(row[table])])) as RowCounts;
}

/** Runs a request that must be refused and checks that it wrote nothing at all. */
export async function refusedWithoutWriting(
  gateway: TestGateway,
  caller: Caller,
  query: string,
  variables: Record<string, unknown>,
): Promise<GraphQLResponse> {
  const before = await rowCounts(gateway);
  const response = await gateway.query(caller, query, variables);
  expect(await rowCounts(gateway)).toEqual(before);
  return response;
}

/** The id of the customer registered with that email: one of the demo shop's, or one a test made. */
export async function customerIdByEmail(where: TestGateway | Database, email: string): Promise<string> {
  const database = where instanceof TestGateway ? where.database : where;
  const [row] = await database.dataSource.query('SELECT id FROM customers WHERE email = $1', [email]);
  return row.id;
}
