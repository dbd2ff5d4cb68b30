// The floor: what answering the bench's operations costs a plain GraphQL server that any
// shop would write: Express with its JSON body parser, the same bearer-token check (a
// server holding customer data cannot skip authentication), graphql-js, the same keyset
// statements as the gateway's stores and the same batching per relation (DataLoader).
// No policy, no purposes, no audit, no budget, no limits. The gateway's throughput as a
// share of the floor's is the price of the policy and of the stack, which the issue's
// goals bound. The same floor served by Apollo Server instead separates the two.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import DataLoader from 'dataloader';
import express from 'express';
import {
  GraphQLError,
  buildSchema,
  execute,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
} from 'graphql';
import { tokenVerifier } from '../../src/auth/tokens';
import { purposesOf, type Principal } from '../../src/policy';

/** Runs one statement and returns its rows: a pg Pool's, or the PGlite DataSource's. */
export type QueryFunction = (sql: string, parameters: unknown[]) => Promise<Row[]>;
type Row = Record<string, unknown>;

const SCHEMA = buildSchema(`
  scalar DateTime
  type Query {
    me: Principal!
    customers(first: Int, after: String): CustomerConnection!
    deliveries(first: Int, after: String): OrderConnection!
  }
  type Principal { id: String! role: String! purposes: [String!]! carrierId: String }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type CustomerConnection { edges: [CustomerEdge!]! pageInfo: PageInfo! }
  type CustomerEdge { cursor: String! node: Customer! }
  type Customer {
    id: ID! fullName: String email: String phone: String createdAt: DateTime!
    orders(first: Int, after: String): OrderConnection!
  }
  type OrderConnection { edges: [OrderEdge!]! pageInfo: PageInfo! }
  type OrderEdge { cursor: String! node: Order! }
  type Order {
    id: ID! code: String! status: String! placedAt: DateTime! totalVnd: Int!
    items: [OrderItem!]! shipment: Shipment
  }
  type OrderItem { sku: String! name: String! quantity: Int! unitPriceVnd: Int! }
  type Shipment {
    carrierId: String trackingNumber: String status: String codAmountVnd: Int deliveredAt: DateTime
    recipientName: String recipientPhone: String address: Address
  }
  type Address { street: String! ward: String! district: String! province: String! }
`);

/** A shipment counts as a delivery until it is delivered or returned (the gateway's ACTIVE_DELIVERY_STATUSES). */
const ACTIVE_DELIVERY_STATUSES = ['ASSIGNED', 'PICKED_UP', 'IN_TRANSIT', 'FAILED'];
const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

interface Page {
  limit: number;
  after?: { at: Date; id: string };
}

// Cursors are the gateway's: base64url of [ISO time, id], so the two answers compare equal.
function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

function pageOf(args: { first?: number | null; after?: string | null }): Page {
  const limit = Math.min(args.first ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  if (!args.after) return { limit };
  const [at, id] = JSON.parse(Buffer.from(args.after, 'base64url').toString('utf8')) as [string, string];
  return { limit, after: { at: new Date(at), id } };
}

/** The keyset condition of a page, with its parameters appended to `parameters`. */
function startingAfter(page: Page, alias: string, timeColumn: string, parameters: unknown[]): string {
  if (!page.after) return 'true';
  parameters.push(page.after.at, page.after.id);
  return `(${alias}.${timeColumn}, ${alias}.id) < ($${parameters.length - 1}, $${parameters.length})`;
}

/** limit + 1 rows in keyset order make a page and tell whether more follow. */
function connection(rows: Row[], page: Page, timeField: string) {
  const edges = rows
    .slice(0, page.limit)
    .map((node) => ({ cursor: encodeCursor(node[timeField] as Date, node.id as string), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > page.limit, endCursor: edges.at(-1)?.cursor ?? null } };
}

function groupBy(rows: Row[], key: string): Map<unknown, Row[]> {
  const groups = new Map<unknown, Row[]>();
  for (const row of rows) {
    const group = groups.get(row[key]);
    if (group) group.push(row);
    else groups.set(row[key], [row]);
  }
  return groups;
}

const ORDER_COLUMNS = `o.id, o.code, o.status, o.total_vnd AS "totalVnd", o.placed_at AS "placedAt"`;

/** Per request, like the gateway's: one statement per relation and page, however many parents. */
function createLoaders(query: QueryFunction) {
  const ordersByPage = new Map<string, DataLoader<string, Row[]>>();
  return {
    ordersOfCustomer(page: Page): DataLoader<string, Row[]> {
      const key = JSON.stringify(page);
      let loader = ordersByPage.get(key);
      if (!loader) {
        loader = new DataLoader(async (customerIds) => {
          // The gateway's keysetPagesPerParent: a ranked window of limit + 1 orders per customer.
          const parameters: unknown[] = [customerIds, page.limit + 1];
          const rows = await query(
            `SELECT ${ORDER_COLUMNS}, o.customer_id AS "customerId" FROM orders o
              WHERE o.id IN (SELECT ranked.id FROM (
                      SELECT o.id, row_number() OVER (PARTITION BY o.customer_id ORDER BY o.placed_at DESC, o.id DESC) AS rank
                        FROM orders o WHERE o.customer_id = ANY($1) AND ${startingAfter(page, 'o', 'placed_at', parameters)}
                    ) ranked WHERE ranked.rank <= $2)
              ORDER BY o.placed_at DESC, o.id DESC`,
            parameters,
          );
          const byCustomer = groupBy(rows, 'customerId');
          return customerIds.map((id) => byCustomer.get(id) ?? []);
        });
        ordersByPage.set(key, loader);
      }
      return loader;
    },
    items: new DataLoader<string, Row[]>(async (orderIds) => {
      const rows = await query(
        `SELECT order_id AS "orderId", sku, name, quantity, unit_price_vnd AS "unitPriceVnd"
           FROM order_items WHERE order_id = ANY($1) ORDER BY order_id, position`,
        [orderIds],
      );
      const byOrder = groupBy(rows, 'orderId');
      return orderIds.map((id) => byOrder.get(id) ?? []);
    }),
    shipment: new DataLoader<string, Row | null>(async (orderIds) => {
      const rows = await query(
        `SELECT order_id AS "orderId", carrier_id AS "carrierId", tracking_number AS "trackingNumber", status,
                cod_amount_vnd AS "codAmountVnd", delivered_at AS "deliveredAt", recipient_name AS "recipientName",
                recipient_phone AS "recipientPhone", street, ward, district, province
           FROM shipments WHERE order_id = ANY($1)`,
        [orderIds],
      );
      const byOrder = new Map(rows.map((row) => [row.orderId, row]));
      return orderIds.map((id) => byOrder.get(id) ?? null);
    }),
  };
}

interface FloorContext {
  principal: Principal;
  query: QueryFunction;
  loaders: ReturnType<typeof createLoaders>;
}

type Resolver = GraphQLFieldResolver<Row, FloorContext, Record<string, unknown>>;

const iso = (value: unknown) => (value === null ? null : (value as Date).toISOString());

const RESOLVERS: Record<string, Record<string, Resolver>> = {
  Query: {
    // The role's purposes are data the answer shows, not a decision: the same table lookup as the gateway's.
    me: (_root, _args, { principal: { carrierId, ...principal } }) => ({
      ...principal,
      carrierId: carrierId ?? null,
      purposes: purposesOf(principal),
    }),
    customers: async (_root, args, { query }) => {
      const page = pageOf(args);
      const parameters: unknown[] = [page.limit + 1];
      const rows = await query(
        `SELECT c.id, c.full_name AS "fullName", c.email, c.phone, c.created_at AS "createdAt" FROM customers c
          WHERE ${startingAfter(page, 'c', 'created_at', parameters)}
          ORDER BY c.created_at DESC, c.id DESC LIMIT $1`,
        parameters,
      );
      return connection(rows, page, 'createdAt');
    },
    deliveries: async (_root, args, { principal, query }) => {
      const page = pageOf(args);
      const parameters: unknown[] = [page.limit + 1, principal.carrierId, ACTIVE_DELIVERY_STATUSES];
      // The gateway's ordersPage under a carrier's row filter (withinReach).
      const rows = await query(
        `SELECT ${ORDER_COLUMNS} FROM orders o
          WHERE EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.carrier_id = $2 AND s.status = ANY($3))
            AND ${startingAfter(page, 'o', 'placed_at', parameters)}
          ORDER BY o.placed_at DESC, o.id DESC LIMIT $1`,
        parameters,
      );
      return connection(rows, page, 'placedAt');
    },
  },
  Customer: {
    createdAt: (customer) => iso(customer.createdAt),
    orders: async (customer, args, { loaders }) => {
      const page = pageOf(args);
      return connection(await loaders.ordersOfCustomer(page).load(customer.id as string), page, 'placedAt');
    },
  },
  Order: {
    placedAt: (order) => iso(order.placedAt),
    items: (order, _args, { loaders }) => loaders.items.load(order.id as string),
    shipment: (order, _args, { loaders }) => loaders.shipment.load(order.id as string),
  },
  Shipment: {
    deliveredAt: (shipment) => iso(shipment.deliveredAt),
    // The address columns are on the shipment row itself; null once erased, as in the gateway.
    address: (shipment) => (shipment.street === null ? null : shipment),
  },
};

for (const [typeName, fields] of Object.entries(RESOLVERS)) {
  const type = SCHEMA.getType(typeName) as GraphQLObjectType;
  for (const [fieldName, resolve] of Object.entries(fields)) type.getFields()[fieldName].resolve = resolve;
}

export interface Floor {
  url: string;
  /** SQL statements run so far. */
  statements(): number;
  close(): Promise<void>;
}

/**
 * Which server answers the floor's schema. `graphql-js`: Express calls graphql-js itself,
 * the floor of the goals. `apollo`: Apollo Server answers the same schema with the
 * same resolvers, token check and statements through its Express integration, set as the
 * gateway sets it where that costs anything (no cache-control hints); what it adds to the
 * graphql-js floor is the price of the stack alone, a ceiling on the gateway's ratio.
 */
export type FloorServer = 'graphql-js' | 'apollo';

const bearerToken = (authorization: string | undefined) => /^Bearer (.+)$/.exec(authorization ?? '')?.[1];

/** Serves POST /graphql on a free port of 127.0.0.1, for bearer tokens signed with `jwtSecret`. */
export async function startFloor(
  runQuery: QueryFunction,
  jwtSecret: string,
  serverKind: FloorServer = 'graphql-js',
): Promise<Floor> {
  let statements = 0;
  const query: QueryFunction = (sql, parameters) => {
    statements += 1;
    return runQuery(sql, parameters);
  };
  const verify = tokenVerifier({ jwtSecret });
  const contextOf = (principal: Principal): FloorContext => ({ principal, query, loaders: createLoaders(query) });
  const app = express();
  let stopApollo = async () => {};
  if (serverKind === 'apollo') {
    const apollo = new ApolloServer<FloorContext>({
      schema: SCHEMA,
      plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginLandingPageDisabled()],
    });
    await apollo.start();
    stopApollo = () => apollo.stop();
    app.use(
      '/graphql',
      express.json(),
      expressMiddleware(apollo, {
        context: async ({ req }) => {
          const token = bearerToken(req.get('authorization'));
          if (!token) {
            throw new GraphQLError('no bearer token', {
              extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
            });
          }
          return contextOf(await verify(token));
        },
      }),
    );
  } else {
    // Parsed and validated once per distinct text, as Apollo's document store does for the gateway.
    const documents = new Map<string, DocumentNode>();
    app.post('/graphql', express.json(), async (request, response) => {
      try {
        const token = bearerToken(request.get('authorization'));
        if (!token) return void response.status(401).json({ errors: [{ message: 'no bearer token' }] });
        const principal = await verify(token);
        const body = request.body as { query: string; variables?: Record<string, unknown> };
        let document = documents.get(body.query);
        if (!document) {
          document = parse(body.query);
          const errors = validate(SCHEMA, document);
          if (errors.length > 0) return void response.status(400).json({ errors });
          documents.set(body.query, document);
        }
        const result = await execute({
          schema: SCHEMA,
          document,
          variableValues: body.variables,
          contextValue: contextOf(principal),
        });
        response.json(result);
      } catch (error) {
        response.status(500).type('text/plain').send(String(error));
      }
    });
  }
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    statements: () => statements,
    close: async () => {
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      await stopApollo();
    },
  };
}
