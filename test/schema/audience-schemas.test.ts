import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, isObjectType, parse, validate } from 'graphql';
import { audienceSchema } from '../../src/contracts/audience-schema';
import { AUDIENCE_SCHEMA_FILE } from '../../src/contracts/documents';
import { buildGatewaySchema } from '../../src/graphql/schema';
import { MUTATION_ACTIONS, PROTECTED_FIELDS, REACH } from '../../src/policy';

const CONTRACTS = join(__dirname, '../../contracts');
const sdl = (audience: string) => readFileSync(join(CONTRACTS, audience, AUDIENCE_SCHEMA_FILE), 'utf8');
const operations = (audience: string) =>
  readdirSync(join(CONTRACTS, audience))
    .filter((file) => file.endsWith('.graphql') && file !== AUDIENCE_SCHEMA_FILE)
    .map((file) => [file, readFileSync(join(CONTRACTS, audience, file), 'utf8')] as const);

describe('the schema a carrier sees (contracts/carrier/schema.graphql)', () => {
  const carrier = buildSchema(sdl('carrier'));

  test.each(operations('carrier'))("the carrier's %s is valid against it", (_file, source) => {
    expect(validate(carrier, parse(source)).map((error) => error.message)).toEqual([]);
  });

  test('holds no customer, audit, consent or marketing type, and no customer contact field', () => {
    const types = Object.keys(carrier.getTypeMap()).filter((name) => !name.startsWith('__'));
    for (const absent of ['Customer', 'CustomerConnection', 'AuditEvent', 'Consent', 'ConsentRecord', 'ConsentTopic']) {
      expect(types).not.toContain(absent);
    }
    expect(types.filter((name) => /customer|audit|marketing|consent|unsubscribe|erasure/i.test(name))).toEqual([]);
    expect(sdl('carrier')).not.toMatch(/\bemail\b|marketingAudience|auditEvents|Order\.customer|customer\(/);
  });

  test('keeps the @purpose of the personal fields it holds', () => {
    expect(sdl('carrier')).toContain(
      'recipientPhone: String @purpose(allow: [ORDER_PROCESSING, SHIPPING, CUSTOMER_CARE, DATA_SUBJECT_REQUEST])',
    );
  });

  test('has exactly the roots the policy lets a carrier take, and its one mutation', () => {
    expect(Object.keys(carrier.getQueryType()!.getFields()).sort()).toEqual(['deliveries', 'me', 'order', 'orders']);
    expect(Object.keys(carrier.getMutationType()!.getFields())).toEqual(['updateDeliveryStatus']);
  });

  test('a query for the customer of an order fails validation against it', () => {
    const errors = validate(carrier, parse('{ orders { edges { node { customer { email } } } } }'));
    expect(errors.map((error) => error.message)).toEqual(['Cannot query field "customer" on type "Order".']);
  });
});

describe('the schema the dashboard sees', () => {
  test.each(operations('dashboard'))("the dashboard's %s is valid against it", (_file, source) => {
    expect(validate(buildSchema(sdl('dashboard')), parse(source)).map((error) => error.message)).toEqual([]);
  });

  test("has no carrier's deliveries and no link-authorised unsubscribe", () => {
    expect(sdl('dashboard')).not.toMatch(/deliveries|updateDeliveryStatus|unsubscribe\(/);
    expect(sdl('dashboard')).toContain('email: String @purpose(');
  });
});

describe('the audience schemas are derived from the policy', () => {
  const schema = buildGatewaySchema();

  test('every mutation of the schema has its action in MUTATION_ACTIONS (no mutation is silently left out)', () => {
    const mutations = Object.keys(schema.getMutationType()!.getFields()).map((name) => `Mutation.${name}`);
    expect(mutations.sort()).toEqual(Object.keys(MUTATION_ACTIONS).sort());
  });

  test('every entry and protected field of the policy is a field of the schema', () => {
    const coordinates = Object.values(schema.getTypeMap()).flatMap((type) =>
      isObjectType(type) ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`) : [],
    );
    expect(coordinates).toEqual(expect.arrayContaining([...Object.keys(REACH), ...Object.keys(PROTECTED_FIELDS)]));
  });

  test('an audience loses a field when the policy takes its reach away', () => {
    const rule = REACH['Query.deliveries'];
    const roles = rule.roles;
    try {
      (rule as { roles: object }).roles = {};
      expect(audienceSchema(schema, 'carrier').getQueryType()!.getFields().deliveries).toBeUndefined();
    } finally {
      (rule as { roles: object }).roles = roles;
    }
    expect(audienceSchema(schema, 'carrier').getQueryType()!.getFields().deliveries).toBeDefined();
  });
});
