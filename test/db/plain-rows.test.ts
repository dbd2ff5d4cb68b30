import { ConsentRecord } from '../../src/consents/consent-record.entity';
import { Customer } from '../../src/customers/customer.entity';
import { customersPage } from '../../src/customers/customer.store';
import type { Database } from '../../src/db/data-source';
import { plainColumns } from '../../src/db/plain-rows';
import { seedDemoShopIfEmpty } from '../../src/demo/demo-shop';
import { Order } from '../../src/orders/order.entity';
import { ordersOfCustomers } from '../../src/orders/order.store';
import { TEST_DATABASES } from '../support/databases';

/**
 * The hot list paths read plain rows instead of TypeORM's entities (see plainColumns):
 * what they return must be what TypeORM would have made of the same rows, property by
 * property, policy facts included.
 */
describe.each(TEST_DATABASES)('plain rows [$name]', (testDatabase) => {
  let database: Database;
  beforeAll(async () => {
    database = await testDatabase.open();
    await seedDemoShopIfEmpty(database.dataSource, '2024-01');
    // Facts that differ between customers: one deregistered with an open order, one with an open request.
    await database.dataSource.query(
      `UPDATE customers SET deregistered_at = now() WHERE id = (SELECT customer_id FROM orders WHERE closed_at IS NULL LIMIT 1)`,
    );
    await database.dataSource.query(
      `INSERT INTO data_subject_requests (customer_id, kind, channel, received_at, acknowledge_by, due_by, opened_by)
       SELECT id, 'RESTRICTION', 'HOTLINE', now(), now() + interval '2 days', now() + interval '10 days', 'test'
         FROM customers ORDER BY id LIMIT 1`,
    );
  });
  afterAll(() => database?.close());

  test('a page of customers is what TypeORM makes of the same rows', async () => {
    const db = database.dataSource.manager;
    const plain = await customersPage(db, { limit: 100 });
    const hydrated = await db
      .createQueryBuilder(Customer, 'c')
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .getMany();
    expect(plain.length).toBeGreaterThan(3);
    expect(plain.every((customer) => customer instanceof Customer)).toBe(true);
    expect(plain.map((customer) => ({ ...customer }))).toEqual(hydrated.map((customer) => ({ ...customer })));
    expect(plain.some((customer) => customer.hasOpenOrders)).toBe(true);
    expect(plain.some((customer) => customer.openRequestList !== null)).toBe(true);
    expect(plain.some((customer) => customer.deregisteredAt instanceof Date)).toBe(true);
  });

  test("customers' orders are what TypeORM makes of the same rows", async () => {
    const db = database.dataSource.manager;
    const customerIds = ((await db.query('SELECT id FROM customers')) as { id: string }[]).map(({ id }) => id);
    const plain = [...(await ordersOfCustomers(db, {}, customerIds, { limit: 100 })).values()].flat();
    const hydrated = await db.find(Order);
    const byId = new Map(hydrated.map((order) => [order.id, { ...order }]));
    expect(plain).toHaveLength(hydrated.length);
    for (const order of plain) {
      expect(order).toBeInstanceOf(Order);
      expect({ ...order }).toEqual(byId.get(order.id));
    }
  });

  test('a search that no state of customer may match finds no one, rather than failing', async () => {
    // The policy never asks for this today (decideMatch refuses instead), but the
    // statement must still hold: a parameter it places must be one it uses.
    const db = database.dataSource.manager;
    const [{ email }] = (await db.query('SELECT email FROM customers WHERE email IS NOT NULL LIMIT 1')) as {
      email: string;
    }[];
    const term = { field: 'Customer.email', email } as const;
    expect(await customersPage(db, { limit: 10 }, { term, states: [] })).toEqual([]);
    const everyState = [false, true].flatMap((deregistered) =>
      [false, true].flatMap((hasOpenOrders) =>
        [false, true].map((restricted) => ({ deregistered, hasOpenOrders, restricted })),
      ),
    );
    expect((await customersPage(db, { limit: 10 }, { term, states: everyState })).map((c) => c.email)).toEqual([email]);
  });

  test('an entity with a column pg would not return as TypeORM does is refused, not read wrongly', () => {
    // Its id is a bigint, a type plainColumns does not vouch for.
    expect(() => plainColumns(database.dataSource.manager, ConsentRecord, 'r')).toThrow(
      'ConsentRecord.id cannot be read as a plain value (bigint)',
    );
  });
});
