import { personalColumns, SUBJECT_TABLES, type SubjectType } from '../../src/policy';
import { describeOnEachDatabase, errorCodes, type TestGateway } from '../support/gateway';
import { openCase } from '../support/cases';

const REGISTER = `mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { id } }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id code } }`;
const DEREGISTER = `mutation($customerId: ID!) { deregisterCustomer(customerId: $customerId) { id deregisteredAt consents { topic status } } }`;
const ERASE = `mutation($customerId: ID!) { eraseCustomer(customerId: $customerId) {
  customerId erasedAt erasedBy fields shipmentsErased ordersKept } }`;
const EXPORT = `query($customerId: ID!) { exportCustomerData(customerId: $customerId) { customerId exportedAt document } }`;

let sequence = 0;

/** A fresh customer with one order, both through the storefront. */
async function customerWithOrder(gateway: TestGateway) {
  sequence += 1;
  const email = `dsr${sequence}.${Date.now()}@example.vn`;
  const phone = `0912 ${String(100 + sequence).padStart(3, '0')} ${String(Date.now() % 1000).padStart(3, '0')}`;
  const registered = await gateway.query({ role: 'STOREFRONT' }, REGISTER, {
    input: { fullName: `Khách DSR ${sequence}`, email, phone, consents: ['PROMOTIONS', 'NEWSLETTER'] },
  });
  const customerId = registered.data.registerCustomer.id;
  const placed = await gateway.query({ role: 'STOREFRONT' }, PLACE, {
    input: {
      customerId,
      items: [{ sku: 'PATE-MEO-85G', name: 'Pate mèo 85g', quantity: 3, unitPriceVnd: 15_000 }],
      shipping: {
        recipientName: `Người nhận ${sequence}`,
        recipientPhone: '0987 000 111',
        street: `${sequence} Lê Lợi`,
        ward: 'Phường Bến Thành',
        district: 'Quận 1',
        province: 'TP. Hồ Chí Minh',
      },
    },
  });
  const [stored] = await gateway.database.dataSource.query('SELECT email, phone FROM customers WHERE id = $1', [
    customerId,
  ]);
  return {
    customerId,
    orderId: placed.data.placeOrder.id as string,
    email: stored.email as string,
    phone: stored.phone as string,
  };
}

async function cancel(gateway: TestGateway, orderId: string) {
  const response = await gateway.query(
    { role: 'ORDER_PROCESSOR' },
    `mutation($id: ID!) { updateOrderStatus(orderId: $id, status: CANCELLED) { status } }`,
    { id: orderId },
  );
  expect(response.data.updateOrderStatus.status).toBe('CANCELLED');
}

describeOnEachDatabase('data-subject rights', (gateway) => {
  describe('deregistration (P6)', () => {
    test('withdraws every consent, keeps open orders going, refuses new ones', async () => {
      const { customerId, orderId } = await customerWithOrder(gateway());
      const response = await gateway().query({ role: 'SUPPORT_AGENT' }, DEREGISTER, { customerId });
      expect(response.errors).toBeUndefined();
      expect(response.data.deregisterCustomer.deregisteredAt).toEqual(expect.any(String));
      expect(response.data.deregisterCustomer.consents).toEqual(
        expect.arrayContaining([
          { topic: 'PROMOTIONS', status: 'WITHDRAWN' },
          { topic: 'NEWSLETTER', status: 'WITHDRAWN' },
        ]),
      );

      // The order that was already open is still processed and delivered...
      const processing = await gateway().query(
        { role: 'ORDER_PROCESSOR' },
        `query($id: ID!) { order(id: $id) { customer { email } shipment { recipientPhone } } }`,
        { id: orderId },
      );
      expect(processing.errors).toBeUndefined();
      expect(processing.data.order.customer.email).toContain('@example.vn');
      // ...but customer care no longer reads the person.
      const care = await gateway().query(
        { role: 'SUPPORT_AGENT' },
        `query($id: ID!) { customer(id: $id) { email phone } }`,
        { id: customerId },
      );
      expect(care.data.customer).toEqual({ email: null, phone: null });
      expect(errorCodes(care)).toEqual(['RETENTION_EXPIRED Customer.email', 'RETENTION_EXPIRED Customer.phone']);

      const refused = await gateway().query({ role: 'STOREFRONT' }, PLACE, {
        input: {
          customerId,
          items: [{ sku: 'X', name: 'X', quantity: 1, unitPriceVnd: 1 }],
          shipping: {
            recipientName: 'A',
            recipientPhone: '0912345678',
            street: 'S',
            ward: 'W',
            district: 'D',
            province: 'P',
          },
        },
      });
      expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors?.[0].extensions?.argumentPath).toEqual(['input', 'customerId']);

      // Once the last order closes, order processing loses it too.
      await cancel(gateway(), orderId);
      const after = await gateway().query(
        { role: 'ORDER_PROCESSOR' },
        `query($id: ID!) { order(id: $id) { customer { email } } }`,
        { id: orderId },
      );
      expect(errorCodes(after)).toEqual(['RETENTION_EXPIRED Customer.email']);
    });

    test('is idempotent and open to the storefront and the privacy officer, not to others', async () => {
      const { customerId } = await customerWithOrder(gateway());
      for (const role of ['STOREFRONT', 'PRIVACY_OFFICER'] as const) {
        expect((await gateway().query({ role }, DEREGISTER, { customerId })).errors).toBeUndefined();
      }
      const [{ n }] = await gateway().database.dataSource.query(
        `SELECT count(*)::int AS n FROM consent_records WHERE customer_id = $1 AND status = 'WITHDRAWN'`,
        [customerId],
      );
      expect(n).toBe(2);
      for (const role of ['ANALYST', 'MARKETING', 'CARRIER', 'ORDER_PROCESSOR'] as const) {
        const response = await gateway().query({ role, carrierId: 'ghn' }, DEREGISTER, { customerId });
        expect(errorCodes(response)).toEqual(['FORBIDDEN']);
      }
    });
  });

  describe('erasure', () => {
    test('leaves no trace of the email or phone in any table, keeps the money records, returns a receipt', async () => {
      const { customerId, orderId, email, phone } = await customerWithOrder(gateway());
      await cancel(gateway(), orderId);
      await openCase(gateway(), customerId, 'ERASURE');
      const response = await gateway().query({ role: 'PRIVACY_OFFICER' }, ERASE, { customerId });
      expect(response.errors).toBeUndefined();
      expect(response.data.eraseCustomer).toEqual({
        customerId,
        erasedAt: expect.any(String),
        erasedBy: 'test-privacy_officer',
        fields: [
          'Customer.fullName',
          'Customer.email',
          'Customer.phone',
          'Shipment.recipientName',
          'Shipment.recipientPhone',
          'Shipment.address',
        ],
        shipmentsErased: 1,
        ordersKept: 1,
      });

      const db = gateway().database.dataSource;
      const tables: { table_name: string }[] = await db.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      );
      for (const { table_name } of tables) {
        const rows = await db.query(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
        const text = rows.map((r: { row: string }) => r.row).join('\n');
        expect({ table_name, hasEmail: text.includes(email) }).toEqual({ table_name, hasEmail: false });
        expect({ table_name, hasPhone: text.includes(phone.slice(3)) }).toEqual({ table_name, hasPhone: false });
      }
      const erasedRows: [SubjectType, string, string][] = [
        ['Customer', 'id', customerId],
        ['Shipment', 'order_id', orderId],
      ];
      for (const [subjectType, key, id] of erasedRows) {
        const [row] = await db.query(`SELECT * FROM ${SUBJECT_TABLES[subjectType]} WHERE ${key} = $1`, [id]);
        for (const column of personalColumns(subjectType)) {
          expect({ column, value: row[column] }).toEqual({ column, value: null });
        }
        expect(row.erased_at).toEqual(expect.any(Date));
      }
      const [order] = await db.query('SELECT code, total_vnd, placed_at FROM orders WHERE id = $1', [orderId]);
      expect(order.total_vnd).toBe(45_000);
      const [items] = await db.query('SELECT count(*)::int AS n FROM order_items WHERE order_id = $1', [orderId]);
      expect(items.n).toBe(1);
      const history = await db.query('SELECT topic, status FROM consent_records WHERE customer_id = $1', [customerId]);
      expect(history.length).toBeGreaterThanOrEqual(2);
    });

    test('is refused while an order is open, a second time, and to anyone but the privacy officer', async () => {
      const { customerId, orderId } = await customerWithOrder(gateway());
      await openCase(gateway(), customerId, 'ERASURE');
      const open = await gateway().query({ role: 'PRIVACY_OFFICER' }, ERASE, { customerId });
      expect(errorCodes(open)).toEqual(['BAD_USER_INPUT']);
      expect(open.errors?.[0].message).toContain('open orders');
      await cancel(gateway(), orderId);
      expect(errorCodes(await gateway().query({ role: 'SUPPORT_AGENT' }, ERASE, { customerId }))).toEqual([
        'FORBIDDEN',
      ]);
      expect((await gateway().query({ role: 'PRIVACY_OFFICER' }, ERASE, { customerId })).errors).toBeUndefined();
      const again = await gateway().query({ role: 'PRIVACY_OFFICER' }, ERASE, { customerId });
      expect(again.errors?.[0].message).toContain('already erased');
    });
  });

  describe('data-subject access (exportCustomerData)', () => {
    test('returns profile, orders with shipping, consent history and disclosures as one document', async () => {
      const { customerId, email } = await customerWithOrder(gateway());
      await openCase(gateway(), customerId, 'ACCESS');
      const response = await gateway().query({ role: 'PRIVACY_OFFICER', purpose: 'DATA_SUBJECT_REQUEST' }, EXPORT, {
        customerId,
      });
      expect(response.errors).toBeUndefined();
      const { document } = response.data.exportCustomerData;
      expect(document.customer).toMatchObject({ id: customerId, email });
      expect(document.orders).toHaveLength(1);
      expect(document.orders[0]).toMatchObject({
        totalVnd: 45_000,
        items: [{ sku: 'PATE-MEO-85G', quantity: 3 }],
        shipment: { recipientPhone: '+84987000111', address: { district: 'Quận 1' } },
      });
      expect(document.consentHistory.map((c: any) => `${c.topic} ${c.status}`).sort()).toEqual([
        'NEWSLETTER GRANTED',
        'PROMOTIONS GRANTED',
      ]);
      // The export is itself a disclosure, audited like any other.
      const [event] = await gateway().database.dataSource.query(
        `SELECT purpose, fields FROM audit_events WHERE request_id = $1`,
        [response.requestId],
      );
      expect(event).toEqual({
        purpose: 'DATA_SUBJECT_REQUEST',
        fields: expect.arrayContaining(['Customer.email', 'Shipment.address']),
      });
    });

    test('only under X-Purpose: DATA_SUBJECT_REQUEST, by the privacy officer', async () => {
      const { customerId } = await customerWithOrder(gateway());
      for (const role of ['SUPPORT_AGENT', 'ANALYST'] as const) {
        const response = await gateway().query({ role, purpose: 'DATA_SUBJECT_REQUEST' }, EXPORT, { customerId });
        expect(errorCodes(response)).toEqual(['FORBIDDEN']);
      }
    });
  });

  test('Customer.consentHistory is the whole trail, newest first', async () => {
    const { customerId } = await customerWithOrder(gateway());
    await gateway().query(
      { role: 'SUPPORT_AGENT' },
      `mutation($id: ID!) { withdrawConsent(customerId: $id, topic: PROMOTIONS, channel: HOTLINE) { status } }`,
      { id: customerId },
    );
    const response = await gateway().query(
      { role: 'SUPPORT_AGENT' },
      `query($id: ID!) { customer(id: $id) { consentHistory { topic status channel policyVersion actorId recordedAt } } }`,
      { id: customerId },
    );
    const history = response.data.customer.consentHistory;
    expect(history[0]).toMatchObject({
      topic: 'PROMOTIONS',
      status: 'WITHDRAWN',
      channel: 'HOTLINE',
      actorId: 'test-support_agent',
    });
    expect(history.map((r: any) => `${r.topic} ${r.status}`)).toEqual(
      expect.arrayContaining(['PROMOTIONS GRANTED', 'NEWSLETTER GRANTED', 'PROMOTIONS WITHDRAWN']),
    );
    expect(history).toHaveLength(3);
  });
});
