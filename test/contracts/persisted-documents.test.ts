import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES, type Role } from '../../src/policy';
import { describeOnEachDatabase, errorCodes, type TestGateway } from '../support/gateway';

const CONTRACTS = join(__dirname, '../../contracts');
const manifest = JSON.parse(readFileSync(join(CONTRACTS, 'manifest.json'), 'utf8')) as {
  format: string;
  version: number;
  operations: { id: string; name: string; type: string; body: string }[];
};
const idOf = (name: string) => manifest.operations.find((operation) => operation.name === name)!.id;
const UNKNOWN_ID = 'ab'.repeat(32);

async function byId(gateway: TestGateway, role: Role, id: string, variables?: object, carrierId?: string) {
  const token = await gateway.token(role, carrierId);
  return gateway.post(
    { variables, extensions: { persistedQuery: { version: 1, sha256Hash: id } } },
    { authorization: `Bearer ${token}` },
  );
}

test('the manifest is an Apollo persisted-query list of every operation in contracts/', () => {
  expect(manifest).toMatchObject({ format: 'apollo-persisted-query-manifest', version: 1 });
  expect(manifest.operations.map((operation) => operation.name)).toEqual(
    expect.arrayContaining(['Deliveries', 'Delivery', 'UpdateDeliveryStatus', 'CustomerLookup', 'Me', 'PlaceOrder']),
  );
  for (const operation of manifest.operations) {
    expect(operation.id).toMatch(/^[0-9a-f]{64}$/);
    expect(['query', 'mutation']).toContain(operation.type);
    expect(operation.body).toContain(`${operation.type} ${operation.name}`);
  }
});

describeOnEachDatabase(
  'trusted documents (SAFELIST=enforce)',
  (gateway) => {
    test.each(ROLES)('%s may run Me by its id alone', async (role) => {
      const response = await byId(gateway(), role, idOf('Me'), undefined, role === 'CARRIER' ? 'ghn' : undefined);
      expect(response.errors).toBeUndefined();
      expect(response.data.me.role).toBe(role);
    });

    test('a carrier fetches its deliveries by id alone, with their recipients', async () => {
      const response = await byId(gateway(), 'CARRIER', idOf('Deliveries'), { first: 10 }, 'ghn');
      expect(response.errors).toBeUndefined();
      const shipments = response.data.deliveries.edges.map((edge: any) => edge.node.shipment);
      expect(shipments.length).toBeGreaterThan(0);
      for (const shipment of shipments) expect(shipment).toMatchObject({ carrierId: 'ghn', recipientPhone: /^\+84/ });
    });

    test('an id the manifest does not list is PERSISTED_QUERY_NOT_FOUND, the same for every caller', async () => {
      const answers = [];
      for (const role of ['CARRIER', 'SUPPORT_AGENT'] as const) {
        const response = await byId(gateway(), role, UNKNOWN_ID, undefined, role === 'CARRIER' ? 'ghn' : undefined);
        expect(errorCodes(response)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
        expect(response.data).toBeUndefined();
        answers.push({ status: response.status, errors: response.errors?.map(({ message }) => message) });
      }
      const anonymous = await gateway().post({
        extensions: { persistedQuery: { version: 1, sha256Hash: UNKNOWN_ID } },
      });
      expect(errorCodes(anonymous)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      answers.push({ status: anonymous.status, errors: anonymous.errors?.map(({ message }) => message) });
      expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    });

    test('an id does not get past the token check: without a token a manifest operation is UNAUTHENTICATED', async () => {
      const response = await gateway().post({ extensions: { persistedQuery: { version: 1, sha256Hash: idOf('Me') } } });
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
      expect(response.data).toBeUndefined();
    });

    test('nothing can be registered: a new document with its own hash does not become runnable by id', async () => {
      const query = '{ deliveries { edges { node { shipment { recipientPhone } } } } }';
      const { createHash } = await import('node:crypto');
      const id = createHash('sha256').update(query).digest('hex');
      const token = await gateway().token('CARRIER', 'ghn');
      const withQuery = await gateway().post(
        { query, extensions: { persistedQuery: { version: 1, sha256Hash: id } } },
        { authorization: `Bearer ${token}` },
      );
      expect(errorCodes(withQuery)).toEqual(['OPERATION_NOT_ALLOWED']);
      expect(errorCodes(await byId(gateway(), 'CARRIER', id, undefined, 'ghn'))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    });

    test('a hash that is not the hash of the query sent with it runs nothing', async () => {
      const token = await gateway().token('SUPPORT_AGENT');
      const response = await gateway().post(
        { query: '{ me { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: idOf('Me') } } },
        { authorization: `Bearer ${token}` },
      );
      expect(response.status).toBe(400);
      expect(errorCodes(response)).toEqual(['PERSISTED_QUERY_INVALID']);
      expect(response.data).toBeUndefined();
    });

    test('a carrier may also send a manifest operation as full text', async () => {
      const body = manifest.operations.find((operation) => operation.name === 'Deliveries')!.body;
      const response = await gateway().query({ role: 'CARRIER', carrierId: 'ghn' }, body);
      expect(response.errors).toBeUndefined();
    });

    test("a carrier may not run the dashboard's customer lookup by id: it is not an operation for carriers", async () => {
      const response = await byId(gateway(), 'CARRIER', idOf('CustomerLookup'), { search: 'nguyen' }, 'ghn');
      expect(errorCodes(response)).toEqual(['OPERATION_NOT_ALLOWED']);
      expect(JSON.stringify(response.data ?? null)).not.toMatch(/@|\+84/);
    });

    test('GET with the id alone runs a query', async () => {
      const token = await gateway().token('ORDER_PROCESSOR');
      const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: idOf('Me') } });
      const response = await fetch(`${gateway().url}?extensions=${encodeURIComponent(extensions)}`, {
        headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
      });
      const body = (await response.json()) as any;
      expect(body.errors).toBeUndefined();
      expect(body.data.me.role).toBe('ORDER_PROCESSOR');
    });
  },
  { SAFELIST: 'enforce' },
);
