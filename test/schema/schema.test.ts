import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { contractFiles } from '../../src/contracts/contract-files';
import { enforcePurposes } from '../../src/graphql/disclosure/enforce-purposes';
import { buildGatewaySchema, printGatewaySchema } from '../../src/graphql/schema';

const ROOT = join(__dirname, '../..');

describe('schema.graphql', () => {
  test('is what the code generates (run `npm run schema` and commit it)', () => {
    const committed = readFileSync(join(ROOT, 'schema.graphql'), 'utf8');
    expect(printGatewaySchema(buildGatewaySchema())).toBe(committed);
  });

  test('the audience schemas and the manifest in contracts/ are what the code generates (npm run schema)', () => {
    const files = [...contractFiles(buildGatewaySchema(), ROOT)];
    expect(files.map(([path]) => path)).toEqual(
      expect.arrayContaining(['contracts/carrier/schema.graphql', 'contracts/manifest.json']),
    );
    for (const [path, generated] of files) {
      const committed = existsSync(join(ROOT, path)) ? readFileSync(join(ROOT, path), 'utf8') : null;
      expect({ path, content: committed }).toEqual({ path, content: generated });
    }
  });

  test('prints the @purpose of every personal field, generated from the policy rules', () => {
    const committed = readFileSync(join(ROOT, 'schema.graphql'), 'utf8');
    expect(committed).toContain(
      'email: String @purpose(allow: [ORDER_PROCESSING, CUSTOMER_CARE, DATA_SUBJECT_REQUEST])',
    );
    expect(committed).toContain(
      'phone: String @purpose(allow: [ORDER_PROCESSING, CUSTOMER_CARE, DATA_SUBJECT_REQUEST])',
    );
    expect(committed).toContain(
      'recipientPhone: String @purpose(allow: [ORDER_PROCESSING, SHIPPING, CUSTOMER_CARE, DATA_SUBJECT_REQUEST])',
    );
    expect(committed).toContain(
      'address: Address @purpose(allow: [ORDER_PROCESSING, SHIPPING, CUSTOMER_CARE, DATA_SUBJECT_REQUEST])',
    );
    expect(committed.match(/^\s+\w+: \w+ @purpose\(/gm)).toHaveLength(6);
  });
});

describe('the @purpose guard refuses a schema that could leak', () => {
  const PURPOSE = 'enum Purpose { ORDER_PROCESSING SHIPPING CUSTOMER_CARE MARKETING DATA_SUBJECT_REQUEST }';
  const SHIPMENT = `type Shipment {
    recipientName: String @purpose(allow: [ORDER_PROCESSING, SHIPPING, CUSTOMER_CARE, DATA_SUBJECT_REQUEST])
    recipientPhone: String @purpose(allow: [ORDER_PROCESSING, SHIPPING, CUSTOMER_CARE, DATA_SUBJECT_REQUEST])
    address: String @purpose(allow: [ORDER_PROCESSING, SHIPPING, CUSTOMER_CARE, DATA_SUBJECT_REQUEST])
  }`;
  const IDENTITY = '@purpose(allow: [ORDER_PROCESSING, CUSTOMER_CARE, DATA_SUBJECT_REQUEST])';
  const PHONE = '@purpose(allow: [ORDER_PROCESSING, CUSTOMER_CARE, DATA_SUBJECT_REQUEST])';

  function schemaWith(customer: string) {
    return buildSchema(`
      directive @purpose(allow: [Purpose!]!) on FIELD_DEFINITION
      ${PURPOSE}
      ${SHIPMENT}
      type Customer { ${customer} }
      type Query { customer: Customer shipment: Shipment purposes: [Purpose!]! }`);
  }

  test('a schema that agrees with the rules is accepted', () => {
    expect(() =>
      enforcePurposes(schemaWith(`fullName: String ${IDENTITY} email: String ${IDENTITY} phone: String ${PHONE}`)),
    ).not.toThrow();
  });

  test('a personal field without @purpose', () => {
    expect(() =>
      enforcePurposes(schemaWith(`fullName: String ${IDENTITY} email: String phone: String ${PHONE}`)),
    ).toThrow('Customer.email holds personal data but has no @purpose');
  });

  test('a @purpose that allows more than the rules', () => {
    const wider = '@purpose(allow: [ORDER_PROCESSING, SHIPPING, CUSTOMER_CARE, MARKETING, DATA_SUBJECT_REQUEST])';
    expect(() =>
      enforcePurposes(schemaWith(`fullName: String ${IDENTITY} email: String ${IDENTITY} phone: String ${wider}`)),
    ).toThrow('disagrees with the policy rules');
  });

  test('a non-null protected field, whose denial would wipe out its parent', () => {
    expect(() =>
      enforcePurposes(schemaWith(`fullName: String! ${IDENTITY} email: String ${IDENTITY} phone: String ${PHONE}`)),
    ).toThrow('Customer.fullName has @purpose but is non-null');
  });

  test('a personal field missing from the schema', () => {
    expect(() => enforcePurposes(schemaWith(`fullName: String ${IDENTITY} email: String ${IDENTITY}`))).toThrow(
      'protected fields missing from the schema: Customer.phone',
    );
  });

  test('a @purpose on a field the rules do not know', () => {
    expect(() =>
      enforcePurposes(
        schemaWith(
          `fullName: String ${IDENTITY} email: String ${IDENTITY} phone: String ${PHONE} nickname: String ${PHONE}`,
        ),
      ),
    ).toThrow('Customer.nickname has @purpose but no policy rule');
  });
});
