import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { readManifest } from '../../src/contracts/manifest';
import { manifestSafelist, operationHash } from '../../src/graphql/disclosure/safelist';

const CONTRACTS = join(__dirname, '../../contracts');
const manifest = readManifest(CONTRACTS);
const carrierSchema = buildSchema(readFileSync(join(CONTRACTS, 'carrier/schema.graphql'), 'utf8'));
const safelist = manifestSafelist(manifest, carrierSchema);
const body = (name: string) => manifest.operations.find((operation) => operation.name === name)!.body;

function registered(source: string, operationName?: string): boolean {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (operationName === undefined || d.name?.value === operationName),
  )!;
  return safelist.has(operationHash(document, operation));
}

describe("the carriers' safelist is the manifest's operations for carriers", () => {
  const delivery = readFileSync(join(CONTRACTS, 'carrier/Delivery.graphql'), 'utf8');

  test('a contract file, as written, is registered', () => {
    expect(registered(delivery)).toBe(true);
  });

  test('the order of fields and variables, whitespace and comments do not count', () => {
    const reordered = `# polled every minute
      query Delivery($orderId: ID!) { order(id: $orderId) { shipment { address { province ward district street }
        recipientPhone recipientName codAmountVnd status trackingNumber } code id } }`;
    expect(registered(reordered)).toBe(true);
  });

  test('one field more, an alias or another name is not registered', () => {
    expect(registered(delivery.replace('code', 'code placedAt'))).toBe(false);
    expect(registered(delivery.replace('recipientPhone', 'phone: recipientPhone'))).toBe(false);
    expect(registered(delivery.replace('query Delivery', 'query Parcel'))).toBe(false);
  });

  test('an operation is registered by its own text, whatever else its document holds', () => {
    expect(registered(`${delivery}\nquery Other { me { id } }`, 'Delivery')).toBe(true);
    expect(registered(`${delivery}\nquery Other { me { id } }`, 'Other')).toBe(false);
  });

  test("manifest operations a carrier's schema can run are on it; the dashboard's customer lookup is not", () => {
    expect(registered(body('Deliveries'))).toBe(true);
    expect(registered(body('Me'))).toBe(true);
    expect(registered(body('CustomerLookup'))).toBe(false);
    expect(registered(body('PlaceOrder'))).toBe(false);
  });
});
