import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse } from 'graphql';
import { operationCost, QUERY_LIMITS } from '../../src/graphql/query-limits';
import { describeOnEachDatabase, errorCodes } from '../support/gateway';

const schema = buildSchema(readFileSync(join(__dirname, '../../schema.graphql'), 'utf8'));

/** What a support agent's customer page asks for: 50 customers, each with 5 orders in full. */
const SUPPORT_PAGE = `query SupportPage($customers: Int, $orders: Int) {
  customers(first: $customers) {
    edges {
      cursor
      node {
        id fullName email phone
        orders(first: $orders) {
          edges {
            node {
              id code status placedAt totalVnd
              items { sku name quantity unitPriceVnd }
              shipment { recipientName recipientPhone address { street ward district province } }
            }
          }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** `aliases` pages of customers, each multiplying pages whose size only the variables tell. */
const aliasBomb = (aliases: number) => `query Bomb($n: Int) {
  ${Array.from(
    { length: aliases },
    (_, i) => `a${i}: customers(first: $n) { edges { node { orders(first: $n) { edges { node { id } } } } } }`,
  ).join('\n  ')}
}`;

/** 15 aliases, the most allowed. */
const ALIAS_BOMB = aliasBomb(QUERY_LIMITS.maxAliases);

describe('operation cost', () => {
  test('the worked examples of src/graphql/query-limits.ts hold', () => {
    expect(operationCost(schema, parse(SUPPORT_PAGE), { customers: 100, orders: 10 })).toBe(57_101);
    expect(operationCost(schema, parse(SUPPORT_PAGE), { customers: 50, orders: 5 })).toBe(14_551);
    expect(operationCost(schema, parse(ALIAS_BOMB), { n: 100 })).toBe(454_515);
    expect(57_101).toBeLessThanOrEqual(QUERY_LIMITS.maxCost);
    expect(454_515).toBeGreaterThan(QUERY_LIMITS.maxCost);
    // "Three such aliases still pass; four do not."
    expect(operationCost(schema, parse(aliasBomb(3)), { n: 100 })).toBeLessThanOrEqual(QUERY_LIMITS.maxCost);
    expect(operationCost(schema, parse(aliasBomb(4)), { n: 100 })).toBeGreaterThan(QUERY_LIMITS.maxCost);
  });

  test('a page counts first rows, 20 when absent, and never below 1 nor above the cap of 100', () => {
    const page = parse(`query($n: Int) { customers(first: $n) { edges { node { id } } } }`);
    expect(operationCost(schema, page, { n: 7 })).toBe(1 + 7 * 3);
    expect(operationCost(schema, page, {})).toBe(1 + 20 * 3);
    expect(operationCost(schema, page, { n: -1_000_000 })).toBe(1 + 1 * 3);
    expect(operationCost(schema, page, { n: 1_000_000 })).toBe(1 + 100 * 3);
  });
});

describeOnEachDatabase('the cost limit sees the variables', (gateway) => {
  test('the alias × variable bomb with n = 100 is QUERY_TOO_COMPLEX, and runs nothing', async () => {
    const response = await gateway().query({ role: 'SUPPORT_AGENT' }, ALIAS_BOMB, { n: 100 });
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([
      {
        message: `the operation exceeds maxCost (${QUERY_LIMITS.maxCost})`,
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'maxCost', max: QUERY_LIMITS.maxCost },
      },
    ]);
    expect(response.data).toBeUndefined();
  });

  test('the same document with n = 5 runs', async () => {
    const response = await gateway().query({ role: 'SUPPORT_AGENT' }, ALIAS_BOMB, { n: 5 });
    expect(response.errors).toBeUndefined();
    expect(response.data.a0.edges.length).toBeGreaterThan(0);
  });

  test('a cost remembered for one set of variables is never used for another', async () => {
    // Costs are remembered per document and variables: the same text, alternating.
    for (const n of [5, 100, 5, 100]) {
      const response = await gateway().query({ role: 'SUPPORT_AGENT' }, ALIAS_BOMB, { n });
      expect(response.status).toBe(n === 5 ? 200 : 400);
    }
  });

  test('a full page of 100 customers × 10 orders each, with items and recipients, is within the cost limit', async () => {
    const response = await gateway().query({ role: 'SUPPORT_AGENT' }, SUPPORT_PAGE, { customers: 100, orders: 10 });
    expect(response.status).toBe(200);
    expect(errorCodes(response)).toEqual([]);
    expect(response.data.customers.edges.length).toBeGreaterThan(0);
  });

  test('a support page of 50 customers × 5 orders with items and recipients runs', async () => {
    const response = await gateway().query({ role: 'SUPPORT_AGENT' }, SUPPORT_PAGE, { customers: 50, orders: 5 });
    expect(response.status).toBe(200);
    expect(errorCodes(response)).toEqual([]);
    const orders = response.data.customers.edges.flatMap((edge: any) => edge.node.orders.edges);
    expect(orders.some((order: any) => order.node.shipment?.address?.province)).toBe(true);
  });

  test('variables that do not fit their types are still refused by Apollo, not by the cost limit', async () => {
    const response = await gateway().query({ role: 'SUPPORT_AGENT' }, ALIAS_BOMB, { n: 'many' });
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  });
});
