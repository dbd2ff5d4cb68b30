import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { addMocksToSchema } from '@graphql-tools/mock';
import { buildSchema } from 'graphql';
import { actsForCarrier, CONTRACT_AUDIENCES, ROLE_RULES, ROLES, type ContractAudience, type Role } from '../policy';
import { AUDIENCE_SCHEMA_FILE } from './documents';
import * as fake from './mock-data';

export type MockSchema = ContractAudience | 'full';

export interface MockServer {
  url: string;
  stop(): Promise<void>;
}

/** The committed SDL a mock serves: what integrators build against, not the code. */
function sdlOf(root: string, schema: MockSchema): string {
  const file = schema === 'full' ? join(root, 'schema.graphql') : join(root, 'contracts', schema, AUDIENCE_SCHEMA_FILE);
  return readFileSync(file, 'utf8');
}

/** Who `me` says the caller is: one of the roles the schema is for, as the policy describes it. */
function principal(roles: readonly Role[]) {
  const role = roles[Math.floor(Math.random() * roles.length)];
  return {
    id: 'mock-principal',
    role,
    purposes: ROLE_RULES[role].purposes,
    carrierId: actsForCarrier(role) ? 'ghn' : null,
  };
}

function mocks(schema: MockSchema) {
  const roles = schema === 'full' ? ROLES : CONTRACT_AUDIENCES[schema];
  return {
    DateTime: () => fake.recentDateTime(),
    JSONObject: () => ({}),
    Int: () => 1 + Math.floor(Math.random() * 5),
    Principal: () => principal(roles),
    Customer: () => {
      const name = fake.fullName();
      return {
        fullName: name,
        email: fake.email(name),
        phone: fake.mobilePhone(),
        deregisteredAt: null,
        erasedAt: null,
      };
    },
    Shipment: () => ({
      recipientName: fake.fullName(),
      recipientPhone: fake.mobilePhone(),
      address: fake.address(),
      carrierId: 'ghn',
      trackingNumber: `GHN-${fake.orderCode()}`,
      codAmountVnd: Math.random() < 0.5 ? null : 250_000 + Math.floor(Math.random() * 20) * 10_000,
    }),
    Address: () => fake.address(),
    Order: () => ({ code: fake.orderCode(), totalVnd: 100_000 + Math.floor(Math.random() * 50) * 10_000 }),
    OrderItem: () => fake.orderItem(),
    PageInfo: () => ({ hasNextPage: false, endCursor: null }),
  };
}

/**
 * A gateway look-alike for integrators: the committed schema of an audience (or the full
 * one), every field answered with made-up Vietnamese data. No token, no database, no policy.
 */
export async function startMockServer(options: {
  root: string;
  schema: MockSchema;
  port: number;
}): Promise<MockServer> {
  const schema = addMocksToSchema({
    schema: buildSchema(sdlOf(options.root, options.schema)),
    mocks: mocks(options.schema),
  });
  const server = new ApolloServer({ schema, introspection: true });
  const { url } = await startStandaloneServer(server, { listen: { port: options.port, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}
