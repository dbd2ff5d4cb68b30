import { describeOnEachDatabase, errorCodes } from '../support/gateway';
import { customerIdByEmail } from '../support/writes';

/**
 * What each role sees of the demo shop (src/demo/demo-shop.ts): Lan's order is with
 * ghn and under way, Minh's with viettel-post in transit, Hà's delivered by ghn, Bảo's
 * not yet handed to a carrier. Lan, Minh and Bảo have opted in to some topics.
 */
const DELIVERY_FIELDS = `
  code status
  customer { email }
  shipment { carrierId trackingNumber status codAmountVnd recipientName recipientPhone address { street district province } }
`;

describeOnEachDatabase('what each role sees', (gateway) => {
  async function orderIdByCode(code: string): Promise<string> {
    const [row] = await gateway().database.dataSource.query('SELECT id FROM orders WHERE code = $1', [code]);
    return row.id;
  }

  describe('CARRIER', () => {
    test('sees the recipient of its own active shipment, never the customer or their email', async () => {
      const response = await gateway().query(
        { role: 'CARRIER', carrierId: 'ghn' },
        `{ deliveries { edges { node { ${DELIVERY_FIELDS} } } } }`,
      );
      expect(response.status).toBe(200);
      const nodes = response.data.deliveries.edges.map((e: any) => e.node);
      // Hà's ghn order is delivered, so only Lan's remains.
      expect(nodes).toEqual([
        {
          code: 'PT000001',
          status: 'CONFIRMED',
          customer: null,
          shipment: {
            carrierId: 'ghn',
            trackingNumber: 'GHN-PT000001',
            status: 'ASSIGNED',
            codAmountVnd: 563_000,
            recipientName: 'Nguyễn Thị Lan',
            recipientPhone: '+84912345678',
            address: { street: '12 Lý Thường Kiệt', district: 'Quận Hoàn Kiếm', province: 'Hà Nội' },
          },
        },
      ]);
      expect(JSON.stringify(response)).not.toContain('@example.vn');
      expect(errorCodes(response)).toEqual(['OUT_OF_SCOPE Order.customer']);
    });

    test("does not see another carrier's order at all", async () => {
      const minhsOrder = await orderIdByCode('PT000002'); // viettel-post
      const response = await gateway().query(
        { role: 'CARRIER', carrierId: 'ghn' },
        `query($id: ID!) { order(id: $id) { ${DELIVERY_FIELDS} } }`,
        { id: minhsOrder },
      );
      expect(response.data).toEqual({ order: null });
      expect(response.errors).toBeUndefined();

      const listed = await gateway().query(
        { role: 'CARRIER', carrierId: 'ghn' },
        `{ orders { edges { node { code } } } }`,
      );
      expect(listed.data.orders.edges.map((e: any) => e.node.code)).toEqual(['PT000001']);
    });

    test('once an order is delivered it leaves the lists, and asked directly its recipient is RETENTION_EXPIRED', async () => {
      const hasDelivered = await orderIdByCode('PT000003');
      const listed = await gateway().query(
        { role: 'CARRIER', carrierId: 'ghn' },
        `{ deliveries { edges { node { id } } } }`,
      );
      expect(listed.data.deliveries.edges.map((e: any) => e.node.id)).not.toContain(hasDelivered);
      const response = await gateway().query(
        { role: 'CARRIER', carrierId: 'ghn' },
        `query($id: ID!) { order(id: $id) { code shipment { status recipientName recipientPhone address { street } } } }`,
        { id: hasDelivered },
      );
      expect(response.data.order).toEqual({
        code: 'PT000003',
        shipment: { status: 'DELIVERED', recipientName: null, recipientPhone: null, address: null },
      });
      expect(errorCodes(response)).toEqual([
        'RETENTION_EXPIRED Shipment.address',
        'RETENTION_EXPIRED Shipment.recipientName',
        'RETENTION_EXPIRED Shipment.recipientPhone',
      ]);
    });

    test('may not list customers', async () => {
      const response = await gateway().query(
        { role: 'CARRIER', carrierId: 'ghn' },
        `{ customers { edges { node { id } } } }`,
      );
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
      expect(response.data).toBeNull();
    });
  });

  describe('ANALYST', () => {
    test('sees customers and orders but no contact field, with one error per field', async () => {
      const response = await gateway().query(
        { role: 'ANALYST' },
        `{ customers { edges { node { id createdAt fullName email phone orders { edges { node { totalVnd shipment { recipientPhone } } } } } } } }`,
      );
      const nodes = response.data.customers.edges.map((e: any) => e.node);
      expect(nodes).toHaveLength(4);
      for (const node of nodes) {
        expect(node).toMatchObject({ fullName: null, email: null, phone: null });
        expect(node.orders.edges[0].node).toEqual({ totalVnd: 563_000, shipment: { recipientPhone: null } });
      }
      expect(errorCodes(response)).toEqual([
        'PURPOSE_NOT_ALLOWED Customer.email',
        'PURPOSE_NOT_ALLOWED Customer.fullName',
        'PURPOSE_NOT_ALLOWED Customer.phone',
        'PURPOSE_NOT_ALLOWED Shipment.recipientPhone',
      ]);
      expect(response.errors?.find((e) => e.extensions?.coordinate === 'Customer.email')?.extensions?.count).toBe(4);
      expect(JSON.stringify(response)).not.toMatch(/@example\.vn|\+84/);
    });

    test('cannot find out whether an email is a customer by searching for it', async () => {
      const response = await gateway().query(
        { role: 'ANALYST' },
        `{ customers(search: "lan.nguyen@example.vn") { edges { node { id } } } }`,
      );
      expect(errorCodes(response)).toEqual(['PURPOSE_NOT_ALLOWED Query.customers.search']);
      expect(response.data).toBeNull();
      expect(JSON.stringify(response.errors)).not.toContain('lan.nguyen');
    });
  });

  describe('SUPPORT_AGENT', () => {
    test('sees contact fields under X-Purpose: CUSTOMER_CARE', async () => {
      const response = await gateway().query(
        { role: 'SUPPORT_AGENT', purpose: 'CUSTOMER_CARE' },
        `{ customers(search: "LAN.Nguyen@example.vn") { edges { node { fullName email phone consents { topic status } } } } }`,
      );
      expect(response.errors).toBeUndefined();
      expect(response.data.customers.edges).toEqual([
        {
          node: {
            fullName: 'Nguyễn Thị Lan',
            email: 'lan.nguyen@example.vn',
            phone: '+84912345678',
            consents: expect.arrayContaining([
              { topic: 'PROMOTIONS', status: 'GRANTED' },
              { topic: 'NEWSLETTER', status: 'GRANTED' },
            ]),
          },
        },
      ]);
    });

    test('finds a customer by the phone number as people type it', async () => {
      const response = await gateway().query(
        { role: 'SUPPORT_AGENT' },
        `{ customers(search: "0987 654 321") { edges { node { fullName } } } }`,
      );
      expect(response.data.customers.edges).toEqual([{ node: { fullName: 'Trần Văn Minh' } }]);
    });

    test('declaring a purpose the role does not hold withholds every contact field', async () => {
      const response = await gateway().query(
        { role: 'SUPPORT_AGENT', purpose: 'MARKETING' },
        `{ customers(first: 1) { edges { node { id email } } } }`,
      );
      expect(response.data.customers.edges[0].node.email).toBeNull();
      expect(errorCodes(response)).toEqual(['PURPOSE_NOT_ALLOWED Customer.email']);
    });
  });

  describe('MARKETING', () => {
    test('sees the ids of opted-in customers only, and never a name, an email or a phone', async () => {
      const response = await gateway().query(
        { role: 'MARKETING' },
        `{ marketingAudience(topic: PROMOTIONS) { edges { node { id fullName email phone } } } }`,
      );
      const nodes = response.data.marketingAudience.edges.map((e: any) => e.node);
      const optedIn = [
        await customerIdByEmail(gateway(), 'bao.pham@example.vn'),
        await customerIdByEmail(gateway(), 'lan.nguyen@example.vn'),
      ];
      expect(nodes.map((n: any) => n.id).sort()).toEqual(optedIn.sort());
      for (const node of nodes) expect([node.fullName, node.email, node.phone]).toEqual([null, null, null]);
      expect(errorCodes(response)).toEqual([
        'PURPOSE_NOT_ALLOWED Customer.email',
        'PURPOSE_NOT_ALLOWED Customer.fullName',
        'PURPOSE_NOT_ALLOWED Customer.phone',
      ]);
    });

    test('an audience for a topic nobody opted in to is empty', async () => {
      // Only Bảo opted in to GREETINGS; PET_CARE_ADVICE only Minh.
      const response = await gateway().query(
        { role: 'MARKETING' },
        `{ marketingAudience(topic: PET_CARE_ADVICE) { edges { node { id } } } }`,
      );
      const minh = await customerIdByEmail(gateway(), 'minh.tran@example.vn');
      expect(response.data.marketingAudience.edges).toEqual([{ node: { id: minh } }]);
    });

    test('may not reach customers or orders any other way', async () => {
      for (const query of ['{ customers { edges { node { id } } } }', '{ orders { edges { node { id } } } }']) {
        expect(errorCodes(await gateway().query({ role: 'MARKETING' }, query))).toEqual(['FORBIDDEN']);
      }
    });

    test('other roles may not pull a marketing audience', async () => {
      const response = await gateway().query(
        { role: 'SUPPORT_AGENT' },
        `{ marketingAudience(topic: PROMOTIONS) { edges { node { id } } } }`,
      );
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    });
  });

  describe('ORDER_PROCESSOR', () => {
    test("sees an order's customer and recipient, for order processing, without declaring it", async () => {
      const response = await gateway().query(
        { role: 'ORDER_PROCESSOR' },
        `{ orders(status: PLACED) { edges { node { code items { sku quantity unitPriceVnd } customer { fullName email phone } shipment { recipientName codAmountVnd } } } } }`,
      );
      expect(response.errors).toBeUndefined();
      expect(response.data.orders.edges).toEqual([
        {
          node: {
            code: 'PT000004',
            items: [
              { sku: 'ROYAL-CANIN-MINI-2KG', quantity: 1, unitPriceVnd: 385_000 },
              { sku: 'CAT-LITTER-TOFU-6L', quantity: 2, unitPriceVnd: 89_000 },
            ],
            customer: { fullName: 'Phạm Quốc Bảo', email: 'bao.pham@example.vn', phone: '+84358246810' },
            // Prepaid: nothing to collect at the door.
            shipment: { recipientName: 'Phạm Quốc Bảo', codAmountVnd: null },
          },
        },
      ]);
    });

    test('may not look customers up directly', async () => {
      const response = await gateway().query({ role: 'ORDER_PROCESSOR' }, `{ customers { edges { node { id } } } }`);
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    });
  });

  describe('STOREFRONT', () => {
    test('reads nothing', async () => {
      for (const query of ['{ customers { edges { node { id } } } }', '{ orders { edges { node { id } } } }']) {
        expect(errorCodes(await gateway().query({ role: 'STOREFRONT' }, query))).toEqual(['FORBIDDEN']);
      }
    });
  });

  test('me tells each principal who it is and what it may declare', async () => {
    const response = await gateway().query(
      { role: 'CARRIER', carrierId: 'ghn' },
      `{ me { id role purposes carrierId } }`,
    );
    expect(response.data.me).toEqual({ id: 'test-ghn', role: 'CARRIER', purposes: ['SHIPPING'], carrierId: 'ghn' });
  });
});
