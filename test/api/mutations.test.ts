import { randomUUID } from 'node:crypto';
import { item, newCustomer, shipping } from '../support/fixtures';
import { refusedWithoutWriting, rowCounts } from '../support/writes';
import { describeOnEachDatabase, errorCodes, type Caller, type GraphQLResponse } from '../support/gateway';

/**
 * The writes (DESIGN §3-§4): every input is validated before anything is written, and a
 * refusal is BAD_USER_INPUT naming the offending argument (`extensions.argumentPath`),
 * never a 500 and never a partial write. Orders and shipments follow their lifecycles;
 * consent is an append-only history whose latest record rules from the next request.
 *
 * The demo shop is shared by all tests of this file, so each test makes its own
 * customers and orders, and counts rows as deltas.
 */

const STOREFRONT: Caller = { role: 'STOREFRONT' };
const ORDER_PROCESSOR: Caller = { role: 'ORDER_PROCESSOR' };
const SUPPORT: Caller = { role: 'SUPPORT_AGENT', purpose: 'CUSTOMER_CARE' };
const MARKETING: Caller = { role: 'MARKETING' };
const GHN: Caller = { role: 'CARRIER', carrierId: 'ghn' };
const VIETTEL_POST: Caller = { role: 'CARRIER', carrierId: 'viettel-post' };

const REGISTER = `
  mutation($input: RegisterCustomerInput!) {
    registerCustomer(input: $input) { id createdAt consents { topic status channel policyVersion grantedAt withdrawnAt } }
  }`;
const PLACE_ORDER = `
  mutation($input: PlaceOrderInput!) {
    placeOrder(input: $input) { id code status totalVnd placedAt items { sku name quantity unitPriceVnd } }
  }`;
const UPDATE_ORDER_STATUS = `
  mutation($orderId: ID!, $status: OrderStatus!) { updateOrderStatus(orderId: $orderId, status: $status) { id status } }`;
const ASSIGN_CARRIER = `
  mutation($orderId: ID!, $carrierId: String!, $trackingNumber: String!) {
    assignCarrier(orderId: $orderId, carrierId: $carrierId, trackingNumber: $trackingNumber) {
      id status shipment { carrierId trackingNumber status }
    }
  }`;
const UPDATE_DELIVERY_STATUS = `
  mutation($orderId: ID!, $status: DeliveryStatus!) { updateDeliveryStatus(orderId: $orderId, status: $status) { id status } }`;
const CONSENT_FIELDS = 'topic status channel policyVersion grantedAt withdrawnAt';
const GRANT_CONSENT = `
  mutation($customerId: ID!, $topic: ConsentTopic!, $channel: ConsentChannel!) {
    grantConsent(customerId: $customerId, topic: $topic, channel: $channel) { ${CONSENT_FIELDS} }
  }`;
const WITHDRAW_CONSENT = `
  mutation($customerId: ID!, $topic: ConsentTopic!, $channel: ConsentChannel!) {
    withdrawConsent(customerId: $customerId, topic: $topic, channel: $channel) { ${CONSENT_FIELDS} }
  }`;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UNKNOWN_ID = '6f1c2a7e-0b8d-4c3e-9a51-2d7f0e4b8c19';

/** An order that passes every check, for the customer given. */
function newOrder(customerId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { customerId, items: [item()], shipping: shipping(), ...overrides };
}

describeOnEachDatabase('mutations', (gateway) => {
  /** BAD_USER_INPUT (at the path, when given), no data, nothing masked or leaked from SQL. */
  function expectBadInput(response: GraphQLResponse, argumentPath?: (string | number)[]): void {
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect([200, 400]).toContain(response.status);
    if (argumentPath) expect(response.errors?.[0].extensions?.argumentPath).toEqual(argumentPath);
    for (const value of Object.values(response.data ?? {})) expect(value).toBeNull();
    expect(JSON.stringify(response.errors)).not.toMatch(
      /QueryFailedError|invalid input syntax|INSERT INTO|SELECT |stacktrace/i,
    );
  }

  function expectForbidden(response: GraphQLResponse): void {
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(response.data ?? null).toBeNull();
  }

  async function register(overrides: Record<string, unknown> = {}, caller: Caller = STOREFRONT): Promise<any> {
    const response = await gateway().query(caller, REGISTER, { input: newCustomer(overrides) });
    expect(response.errors).toBeUndefined();
    return response.data.registerCustomer;
  }

  async function place(customerId: string, overrides: Record<string, unknown> = {}): Promise<any> {
    const response = await gateway().query(STOREFRONT, PLACE_ORDER, { input: newOrder(customerId, overrides) });
    expect(response.errors).toBeUndefined();
    return response.data.placeOrder;
  }

  async function run(caller: Caller, query: string, variables: Record<string, unknown>): Promise<any> {
    const response = await gateway().query(caller, query, variables);
    expect(response.errors).toBeUndefined();
    return response.data;
  }

  /** An order of a new customer, confirmed and handed to the carrier given. */
  async function orderWithCarrier(carrierId: string): Promise<{ orderId: string; customerId: string }> {
    const customer = await register();
    const order = await place(customer.id);
    await run(ORDER_PROCESSOR, UPDATE_ORDER_STATUS, { orderId: order.id, status: 'CONFIRMED' });
    await run(ORDER_PROCESSOR, ASSIGN_CARRIER, { orderId: order.id, carrierId, trackingNumber: `T-${order.code}` });
    return { orderId: order.id, customerId: customer.id };
  }

  async function orderState(
    orderId: string,
  ): Promise<{ status: string; shipment: { status: string | null; carrierId: string | null } }> {
    const data = await run(
      ORDER_PROCESSOR,
      `query($id: ID!) { order(id: $id) { status shipment { status carrierId } } }`,
      {
        id: orderId,
      },
    );
    return data.order;
  }

  async function deliveryIds(carrier: Caller): Promise<string[]> {
    const data = await run(carrier, `{ deliveries(first: 100) { edges { node { id } } } }`, {});
    return data.deliveries.edges.map((e: any) => e.node.id);
  }

  async function audience(topic: string): Promise<string[]> {
    const data = await run(
      MARKETING,
      `query($topic: ConsentTopic!) { marketingAudience(topic: $topic, first: 100) { edges { node { id } } } }`,
      {
        topic,
      },
    );
    return data.marketingAudience.edges.map((e: any) => e.node.id);
  }

  async function consentRows(
    customerId: string,
  ): Promise<{ topic: string; status: string; channel: string; actor_id: string }[]> {
    return gateway().database.dataSource.query(
      'SELECT topic, status, channel, actor_id FROM consent_records WHERE customer_id = $1 ORDER BY id',
      [customerId],
    );
  }

  describe('registerCustomer', () => {
    test('the storefront registers a customer with the consents given at sign-up', async () => {
      const before = await rowCounts(gateway());
      const email = `Mai.Vo.${randomUUID().slice(0, 8)}@Example.VN`;
      const response = await gateway().query(STOREFRONT, REGISTER, {
        input: {
          fullName: '  Võ Thị Mai ',
          email,
          phone: '0912 345 678',
          consents: ['PROMOTIONS', 'NEWSLETTER'],
          consentChannel: 'CHECKOUT',
        },
      });
      expect(response.errors).toBeUndefined();
      const customer = response.data.registerCustomer;
      expect(customer.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(customer.createdAt).toMatch(ISO_DATE);
      expect(customer.consents).toHaveLength(2);
      expect(customer.consents).toEqual(
        expect.arrayContaining(
          ['PROMOTIONS', 'NEWSLETTER'].map((topic) => ({
            topic,
            status: 'GRANTED',
            channel: 'CHECKOUT',
            policyVersion: '2024-01',
            grantedAt: expect.stringMatching(ISO_DATE),
            withdrawnAt: null,
          })),
        ),
      );
      expect(await rowCounts(gateway())).toEqual({
        ...before,
        customers: before.customers + 1,
        consent_records: before.consent_records + 2,
      });

      // Stored normalised: the email lower-cased, the phone in E.164, the name trimmed.
      const stored = await run(SUPPORT, `query($id: ID!) { customer(id: $id) { fullName email phone } }`, {
        id: customer.id,
      });
      expect(stored.customer).toEqual({ fullName: 'Võ Thị Mai', email: email.toLowerCase(), phone: '+84912345678' });
      const [row] = await gateway().database.dataSource.query('SELECT email, phone FROM customers WHERE id = $1', [
        customer.id,
      ]);
      expect(row).toEqual({ email: email.toLowerCase(), phone: '+84912345678' });
      expect((await consentRows(customer.id)).map((r) => r.actor_id)).toEqual(['test-storefront', 'test-storefront']);
    });

    test('consents default to channel ACCOUNT, and none may be given', async () => {
      const withOne = await register({ consents: ['GREETINGS'] });
      expect(withOne.consents).toEqual([
        expect.objectContaining({ topic: 'GREETINGS', status: 'GRANTED', channel: 'ACCOUNT' }),
      ]);
      const withNone = await register({ consents: [] });
      expect(withNone.consents).toEqual([]);
      expect(await consentRows(withNone.id)).toEqual([]);
    });

    test('a support agent may register a customer too', async () => {
      const customer = await register({}, SUPPORT);
      expect(customer.id).toMatch(/^[0-9a-f-]{36}$/);
    });

    test.each([
      ['0912 345 678', '+84912345678'],
      ['0912.345.678', '+84912345678'],
      ['+84 912-345-678', '+84912345678'],
      ['84912345678', '+84912345678'],
      ['(+84) 358 246 810', '+84358246810'],
      ['024 3826 4321', '+842438264321'],
    ])('the phone %p is stored as %p', async (typed, e164) => {
      const customer = await register({ phone: typed });
      const [row] = await gateway().database.dataSource.query('SELECT phone FROM customers WHERE id = $1', [
        customer.id,
      ]);
      expect(row.phone).toBe(e164);
    });

    test.each<[string, Record<string, unknown>, (string | number)[]]>([
      ['an email that is not one', { email: 'not-an-email' }, ['input', 'email']],
      ['an email without a domain', { email: 'mai@' }, ['input', 'email']],
      ['an empty email', { email: '' }, ['input', 'email']],
      ['an email too long to be one', { email: `${'a'.repeat(250)}@example.vn` }, ['input', 'email']],
      ['a phone that is too short', { phone: '12345' }, ['input', 'phone']],
      ['a phone of another country', { phone: '+1 202 555 0100' }, ['input', 'phone']],
      ['a Vietnamese mobile one digit short', { phone: '0912 345 67' }, ['input', 'phone']],
      ['a phone with letters', { phone: '0912 ABC 678' }, ['input', 'phone']],
      ['an empty phone', { phone: '' }, ['input', 'phone']],
      ['an empty name', { fullName: '' }, ['input', 'fullName']],
      ['a blank name', { fullName: '   ' }, ['input', 'fullName']],
      ['a name over 200 characters', { fullName: 'M'.repeat(201) }, ['input', 'fullName']],
      ['a topic listed twice', { consents: ['PROMOTIONS', 'PROMOTIONS'] }, ['input', 'consents']],
    ])('%s is BAD_USER_INPUT at that field, and nothing is written', async (_title, overrides, argumentPath) => {
      const response = await refusedWithoutWriting(gateway(), STOREFRONT, REGISTER, { input: newCustomer(overrides) });
      expectBadInput(response, argumentPath);
    });

    test.each<[string, Record<string, unknown>]>([
      ['an unknown consent topic', { consents: ['SPAM'] }],
      ['an unknown consent channel', { consentChannel: 'CARRIER_PIGEON' }],
      ['a missing field', { phone: undefined }],
      ['a name that is not a string', { fullName: 42 }],
    ])('%s in the variables is BAD_USER_INPUT, and nothing is written', async (_title, overrides) => {
      const response = await refusedWithoutWriting(gateway(), STOREFRONT, REGISTER, { input: newCustomer(overrides) });
      expectBadInput(response);
      expect(response.data ?? null).toBeNull();
    });

    test('every offending field is named, the first as argumentPath', async () => {
      const response = await refusedWithoutWriting(gateway(), STOREFRONT, REGISTER, {
        input: newCustomer({ fullName: ' ', email: 'nope', phone: '123' }),
      });
      expectBadInput(response);
      const named = (response.errors?.[0].extensions?.invalidArguments as { argumentPath: string[] }[]).map((p) =>
        p.argumentPath.join('.'),
      );
      expect(new Set(named)).toEqual(new Set(['input.fullName', 'input.email', 'input.phone']));
      expect(['input.fullName', 'input.email', 'input.phone']).toContain(
        response.errors?.[0].extensions?.argumentPath.join('.'),
      );
    });

    test('an email already registered is BAD_USER_INPUT at input.email, whatever its case', async () => {
      const first = newCustomer({ consents: ['NEWSLETTER'] });
      await run(STOREFRONT, REGISTER, { input: first });
      for (const email of [first.email as string, (first.email as string).toUpperCase()]) {
        const response = await refusedWithoutWriting(gateway(), STOREFRONT, REGISTER, {
          input: newCustomer({ email, consents: ['PROMOTIONS'] }),
        });
        expectBadInput(response, ['input', 'email']);
      }
    });

    test('an email of the demo shop is taken, and the error does not say whose it is', async () => {
      const response = await refusedWithoutWriting(gateway(), STOREFRONT, REGISTER, {
        input: newCustomer({ email: 'lan.nguyen@example.vn' }),
      });
      expectBadInput(response, ['input', 'email']);
      expect(JSON.stringify(response)).not.toMatch(/Lan|Nguyễn|\+84/);
    });

    test.each<[string, Caller]>([
      ['ANALYST', { role: 'ANALYST' }],
      ['MARKETING', MARKETING],
      ['ORDER_PROCESSOR', ORDER_PROCESSOR],
      ['CARRIER', GHN],
    ])('%s may not register a customer', async (_role, caller) => {
      expectForbidden(
        await refusedWithoutWriting(gateway(), caller, REGISTER, { input: newCustomer({ consents: ['PROMOTIONS'] }) }),
      );
    });
  });

  describe('placeOrder', () => {
    test('the storefront places an order; the total is the sum of quantity × unit price', async () => {
      const customer = await register();
      const before = await rowCounts(gateway());
      const response = await gateway().query(STOREFRONT, PLACE_ORDER, {
        input: newOrder(customer.id, {
          items: [
            item({
              sku: ' ROYAL-CANIN-MINI-2KG ',
              name: 'Royal Canin Mini Adult 2kg',
              quantity: 3,
              unitPriceVnd: 385_000,
            }),
            item({ sku: 'CAT-LITTER-TOFU-6L', name: 'Cát đậu nành 6L', quantity: 2, unitPriceVnd: 89_000 }),
            item({ sku: 'FREE-SAMPLE', name: 'Quà tặng', quantity: 1, unitPriceVnd: 0 }),
          ],
          shipping: shipping({ recipientPhone: '0912.345.678' }),
        }),
      });
      expect(response.errors).toBeUndefined();
      const order = response.data.placeOrder;
      expect(order).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        code: expect.stringMatching(/^PT\d{6}$/),
        status: 'PLACED',
        totalVnd: 3 * 385_000 + 2 * 89_000,
        placedAt: expect.stringMatching(ISO_DATE),
        items: [
          { sku: 'ROYAL-CANIN-MINI-2KG', name: 'Royal Canin Mini Adult 2kg', quantity: 3, unitPriceVnd: 385_000 },
          { sku: 'CAT-LITTER-TOFU-6L', name: 'Cát đậu nành 6L', quantity: 2, unitPriceVnd: 89_000 },
          { sku: 'FREE-SAMPLE', name: 'Quà tặng', quantity: 1, unitPriceVnd: 0 },
        ],
      });
      expect(await rowCounts(gateway())).toEqual({
        ...before,
        orders: before.orders + 1,
        order_items: before.order_items + 3,
        shipments: before.shipments + 1,
      });

      const [shipment] = await gateway().database.dataSource.query(
        'SELECT recipient_phone, carrier_id, status FROM shipments WHERE order_id = $1',
        [order.id],
      );
      expect(shipment).toEqual({ recipient_phone: '+84912345678', carrier_id: null, status: null });
      const seen = await run(
        ORDER_PROCESSOR,
        `query($id: ID!) { order(id: $id) { code totalVnd customer { id } shipment { recipientPhone } } }`,
        {
          id: order.id,
        },
      );
      expect(seen.order).toEqual({
        code: order.code,
        totalVnd: 1_333_000,
        customer: { id: customer.id },
        shipment: { recipientPhone: '+84912345678' },
      });
    });

    describe('bad input is BAD_USER_INPUT naming the field, and nothing is written', () => {
      let customerId: string;
      beforeAll(async () => {
        customerId = (await register()).id;
      });

      test.each<[string, Record<string, unknown>, (string | number)[]]>([
        ['no items', { items: [] }, ['input', 'items']],
        ['a quantity of zero', { items: [item({ quantity: 0 })] }, ['input', 'items', 0, 'quantity']],
        ['a negative quantity', { items: [item({ quantity: -2 })] }, ['input', 'items', 0, 'quantity']],
        [
          'a bad quantity on the second item',
          { items: [item(), item({ quantity: 0 })] },
          ['input', 'items', 1, 'quantity'],
        ],
        ['a quantity over 1000', { items: [item({ quantity: 1001 })] }, ['input', 'items', 0, 'quantity']],
        ['a negative price', { items: [item({ unitPriceVnd: -1 })] }, ['input', 'items', 0, 'unitPriceVnd']],
        [
          'a price over 100 million đồng',
          { items: [item({ unitPriceVnd: 100_000_001 })] },
          ['input', 'items', 0, 'unitPriceVnd'],
        ],
        [
          'more than 100 items',
          { items: Array.from({ length: 101 }, (_, n) => item({ sku: `SKU-${n}` })) },
          ['input', 'items'],
        ],
        ['an sku over 64 characters', { items: [item({ sku: 'S'.repeat(65) })] }, ['input', 'items', 0, 'sku']],
        ['an empty sku', { items: [item({ sku: '' })] }, ['input', 'items', 0, 'sku']],
        ['a blank item name', { items: [item({ name: '  ' })] }, ['input', 'items', 0, 'name']],
        [
          'a total beyond what one order may hold',
          { items: [item({ quantity: 1000, unitPriceVnd: 100_000_000 })] },
          ['input', 'items'],
        ],
        [
          'a bad recipient phone',
          { shipping: shipping({ recipientPhone: '555-0100' }) },
          ['input', 'shipping', 'recipientPhone'],
        ],
        [
          'an empty recipient name',
          { shipping: shipping({ recipientName: '' }) },
          ['input', 'shipping', 'recipientName'],
        ],
        ['a blank province', { shipping: shipping({ province: '   ' }) }, ['input', 'shipping', 'province']],
        ['an empty street', { shipping: shipping({ street: '' }) }, ['input', 'shipping', 'street']],
        [
          'a ward over 100 characters',
          { shipping: shipping({ ward: 'P'.repeat(101) }) },
          ['input', 'shipping', 'ward'],
        ],
        ['a customer id that is not an id', { customerId: 'customer-1' }, ['input', 'customerId']],
      ])('%s', async (_title, overrides, argumentPath) => {
        const response = await refusedWithoutWriting(gateway(), STOREFRONT, PLACE_ORDER, {
          input: newOrder(customerId, overrides),
        });
        expectBadInput(response, argumentPath);
      });

      test.each<[string, Record<string, unknown>]>([
        ['a fractional quantity', { items: [item({ quantity: 1.5 })] }],
        ['a quantity beyond Int', { items: [item({ quantity: 2 ** 31 })] }],
        ['a price as a string', { items: [item({ unitPriceVnd: '145000' })] }],
        ['a missing shipping block', { shipping: undefined }],
        ['a shipping block missing a field', { shipping: shipping({ ward: undefined }) }],
      ])('%s (refused by GraphQL itself)', async (_title, overrides) => {
        const response = await refusedWithoutWriting(gateway(), STOREFRONT, PLACE_ORDER, {
          input: newOrder(customerId, overrides),
        });
        expectBadInput(response);
      });

      test('a customer that does not exist is BAD_USER_INPUT at input.customerId', async () => {
        const response = await refusedWithoutWriting(gateway(), STOREFRONT, PLACE_ORDER, {
          input: newOrder(UNKNOWN_ID),
        });
        expectBadInput(response, ['input', 'customerId']);
      });
    });

    // PostgreSQL text cannot hold U+0000, and nothing before the database refuses it.
    test('a text PostgreSQL cannot store (a NUL character) is BAD_USER_INPUT, not a 500', async () => {
      const customer = await register();
      const response = await refusedWithoutWriting(gateway(), STOREFRONT, PLACE_ORDER, {
        input: newOrder(customer.id, { items: [item({ name: 'Whiskas\u0000' })] }),
      });
      expectBadInput(response, ['input', 'items', 0, 'name']);
    });

    // The NUL in the province reaches PostgreSQL at the shipments insert, after the order
    // and its items were inserted (order_code_seq moves on), so the whole transaction
    // must roll back. Once validation refuses NUL up front, this is a plain refusal, and
    // must still write nothing.
    test('a write that fails half-way (the shipment, after the order and its items) leaves nothing behind', async () => {
      const customer = await register();
      const before = await rowCounts(gateway());
      const response = await gateway().query(STOREFRONT, PLACE_ORDER, {
        input: newOrder(customer.id, {
          items: [item(), item({ sku: 'SECOND' })],
          shipping: shipping({ province: 'Hà Nội\u0000' }),
        }),
      });
      expect(response.errors).toHaveLength(1);
      expect(response.data ?? null).toBeNull();
      expect(await rowCounts(gateway())).toEqual(before);
      const [{ count }] = await gateway().database.dataSource.query(
        'SELECT count(*)::int AS count FROM orders WHERE customer_id = $1',
        [customer.id],
      );
      expect(count).toBe(0);
    });

    test.each<[string, Caller]>([
      ['ANALYST', { role: 'ANALYST' }],
      ['MARKETING', MARKETING],
      ['ORDER_PROCESSOR', ORDER_PROCESSOR],
      ['CARRIER', GHN],
    ])('%s may not place an order', async (_role, caller) => {
      const customer = await register();
      expectForbidden(await refusedWithoutWriting(gateway(), caller, PLACE_ORDER, { input: newOrder(customer.id) }));
    });
  });

  describe('an order from placement to delivery', () => {
    test('confirmed and assigned by order processing, delivered by its carrier, then out of the carrier’s sight', async () => {
      const customer = await register();
      const order = await place(customer.id);

      const confirmed = await run(ORDER_PROCESSOR, UPDATE_ORDER_STATUS, { orderId: order.id, status: 'CONFIRMED' });
      expect(confirmed.updateOrderStatus).toEqual({ id: order.id, status: 'CONFIRMED' });

      const assigned = await run(ORDER_PROCESSOR, ASSIGN_CARRIER, {
        orderId: order.id,
        carrierId: 'ghn',
        trackingNumber: ' GHN-777 ',
      });
      expect(assigned.assignCarrier).toEqual({
        id: order.id,
        status: 'CONFIRMED',
        shipment: { carrierId: 'ghn', trackingNumber: 'GHN-777', status: 'ASSIGNED' },
      });
      expect(await deliveryIds(GHN)).toContain(order.id);
      expect(await deliveryIds(VIETTEL_POST)).not.toContain(order.id);

      const pickedUp = await run(GHN, UPDATE_DELIVERY_STATUS, { orderId: order.id, status: 'PICKED_UP' });
      expect(pickedUp.updateDeliveryStatus).toEqual({ id: order.id, status: 'SHIPPED' });
      expect(await orderState(order.id)).toEqual({
        status: 'SHIPPED',
        shipment: { status: 'PICKED_UP', carrierId: 'ghn' },
      });
      expect(await deliveryIds(GHN)).toContain(order.id);

      const delivered = await run(GHN, UPDATE_DELIVERY_STATUS, { orderId: order.id, status: 'DELIVERED' });
      expect(delivered.updateDeliveryStatus).toEqual({ id: order.id, status: 'DELIVERED' });
      expect(await orderState(order.id)).toEqual({
        status: 'DELIVERED',
        shipment: { status: 'DELIVERED', carrierId: 'ghn' },
      });
      const [row] = await gateway().database.dataSource.query(
        'SELECT delivered_at FROM shipments WHERE order_id = $1',
        [order.id],
      );
      expect(row.delivered_at).not.toBeNull();

      expect(await deliveryIds(GHN)).not.toContain(order.id);
      // Asked directly, the carrier finds its finished shipment but no longer its recipient.
      const direct = await gateway().query(
        GHN,
        `query($id: ID!) { order(id: $id) { id shipment { recipientPhone } } }`,
        {
          id: order.id,
        },
      );
      expect(direct.data.order).toEqual({ id: order.id, shipment: { recipientPhone: null } });
      expect(errorCodes(direct)).toEqual(['RETENTION_EXPIRED Shipment.recipientPhone']);
      const again = await gateway().query(GHN, UPDATE_DELIVERY_STATUS, { orderId: order.id, status: 'RETURNED' });
      expectBadInput(again, ['orderId']);
    });

    test('a move the order lifecycle does not allow is BAD_USER_INPUT at status, and changes nothing', async () => {
      const order = await place((await register()).id);
      for (const status of ['DELIVERED', 'SHIPPED', 'PLACED']) {
        const response = await refusedWithoutWriting(gateway(), ORDER_PROCESSOR, UPDATE_ORDER_STATUS, {
          orderId: order.id,
          status,
        });
        expectBadInput(response, ['status']);
        expect((await orderState(order.id)).status).toBe('PLACED');
      }
      await run(ORDER_PROCESSOR, UPDATE_ORDER_STATUS, { orderId: order.id, status: 'CANCELLED' });
      const response = await gateway().query(ORDER_PROCESSOR, UPDATE_ORDER_STATUS, {
        orderId: order.id,
        status: 'CONFIRMED',
      });
      expectBadInput(response, ['status']);
      expect((await orderState(order.id)).status).toBe('CANCELLED');
    });

    test('a support agent may change an order status', async () => {
      const order = await place((await register()).id);
      const data = await run(SUPPORT, UPDATE_ORDER_STATUS, { orderId: order.id, status: 'CANCELLED' });
      expect(data.updateOrderStatus.status).toBe('CANCELLED');
    });

    test('a move the delivery lifecycle does not allow is BAD_USER_INPUT at status, and changes nothing', async () => {
      const { orderId } = await orderWithCarrier('ghn');
      for (const status of ['DELIVERED', 'RETURNED', 'ASSIGNED']) {
        const response = await refusedWithoutWriting(gateway(), GHN, UPDATE_DELIVERY_STATUS, { orderId, status });
        expectBadInput(response, ['status']);
      }
      expect(await orderState(orderId)).toEqual({
        status: 'CONFIRMED',
        shipment: { status: 'ASSIGNED', carrierId: 'ghn' },
      });
    });

    test('another carrier cannot move a shipment that is not its own', async () => {
      const { orderId } = await orderWithCarrier('ghn');
      const response = await refusedWithoutWriting(gateway(), VIETTEL_POST, UPDATE_DELIVERY_STATUS, {
        orderId,
        status: 'PICKED_UP',
      });
      expectBadInput(response, ['orderId']);
      expect(JSON.stringify(response)).not.toMatch(/ghn|CONFIRMED|ASSIGNED/i);
      expect(await orderState(orderId)).toEqual({
        status: 'CONFIRMED',
        shipment: { status: 'ASSIGNED', carrierId: 'ghn' },
      });
    });

    test('an order can be reassigned until the parcel is picked up, and not after', async () => {
      const { orderId } = await orderWithCarrier('ghn');
      const reassigned = await run(ORDER_PROCESSOR, ASSIGN_CARRIER, {
        orderId,
        carrierId: 'viettel-post',
        trackingNumber: 'VTP-1',
      });
      expect(reassigned.assignCarrier.shipment).toEqual({
        carrierId: 'viettel-post',
        trackingNumber: 'VTP-1',
        status: 'ASSIGNED',
      });
      expect(await deliveryIds(GHN)).not.toContain(orderId);
      await run(VIETTEL_POST, UPDATE_DELIVERY_STATUS, { orderId, status: 'PICKED_UP' });
      const response = await refusedWithoutWriting(gateway(), ORDER_PROCESSOR, ASSIGN_CARRIER, {
        orderId,
        carrierId: 'ghn',
        trackingNumber: 'GHN-2',
      });
      expectBadInput(response, ['orderId']);
      expect(await orderState(orderId)).toEqual({
        status: 'SHIPPED',
        shipment: { status: 'PICKED_UP', carrierId: 'viettel-post' },
      });
    });

    test('cancelling an order its carrier holds ends the carrier’s part: out of sight, and it cannot revive the order', async () => {
      const { orderId } = await orderWithCarrier('ghn');
      const cancelled = await run(ORDER_PROCESSOR, UPDATE_ORDER_STATUS, { orderId, status: 'CANCELLED' });
      expect(cancelled.updateOrderStatus.status).toBe('CANCELLED');

      // A cancelled order has no delivery under way: the carrier may no longer see its recipient…
      expect(await deliveryIds(GHN)).not.toContain(orderId);
      const direct = await gateway().query(
        GHN,
        `query($id: ID!) { order(id: $id) { shipment { recipientName recipientPhone } } }`,
        { id: orderId },
      );
      expect(direct.data).toEqual({ order: null });
      // …nor move it: CANCELLED is final (ORDER_TRANSITIONS.CANCELLED is empty).
      for (const status of ['PICKED_UP', 'DELIVERED']) {
        const response = await refusedWithoutWriting(gateway(), GHN, UPDATE_DELIVERY_STATUS, { orderId, status });
        expectBadInput(response);
        expect((await orderState(orderId)).status).toBe('CANCELLED');
      }
    });

    test('a cancelled order cannot be given to a carrier', async () => {
      const order = await place((await register()).id);
      await run(ORDER_PROCESSOR, UPDATE_ORDER_STATUS, { orderId: order.id, status: 'CANCELLED' });
      const response = await refusedWithoutWriting(gateway(), ORDER_PROCESSOR, ASSIGN_CARRIER, {
        orderId: order.id,
        carrierId: 'ghn',
        trackingNumber: 'GHN-3',
      });
      expectBadInput(response, ['orderId']);
    });

    test.each<[string, Record<string, unknown>, string[]]>([
      ['a carrier id that is no slug', { carrierId: 'GHN Express' }, ['carrierId']],
      ['an empty carrier id', { carrierId: '' }, ['carrierId']],
      ['a blank tracking number', { trackingNumber: '  ' }, ['trackingNumber']],
    ])('assignCarrier with %s is BAD_USER_INPUT', async (_title, overrides, argumentPath) => {
      const order = await place((await register()).id);
      const response = await refusedWithoutWriting(gateway(), ORDER_PROCESSOR, ASSIGN_CARRIER, {
        orderId: order.id,
        carrierId: 'ghn',
        trackingNumber: 'GHN-4',
        ...overrides,
      });
      expectBadInput(response, argumentPath);
      expect((await orderState(order.id)).shipment).toEqual({ status: null, carrierId: null });
    });

    test.each<[string, string, Record<string, unknown>]>([
      ['updateOrderStatus', UPDATE_ORDER_STATUS, { status: 'TELEPORTED' }],
      ['updateDeliveryStatus', UPDATE_DELIVERY_STATUS, { status: 'LOST_AT_SEA' }],
    ])('%s with an unknown status value is BAD_USER_INPUT', async (_name, mutation, variables) => {
      const order = await place((await register()).id);
      const caller = mutation === UPDATE_DELIVERY_STATUS ? GHN : ORDER_PROCESSOR;
      expectBadInput(await refusedWithoutWriting(gateway(), caller, mutation, { orderId: order.id, ...variables }));
    });

    test('changing an order that does not exist is BAD_USER_INPUT at orderId', async () => {
      expectBadInput(
        await refusedWithoutWriting(gateway(), ORDER_PROCESSOR, UPDATE_ORDER_STATUS, {
          orderId: UNKNOWN_ID,
          status: 'CONFIRMED',
        }),
        ['orderId'],
      );
      expectBadInput(
        await refusedWithoutWriting(gateway(), ORDER_PROCESSOR, ASSIGN_CARRIER, {
          orderId: UNKNOWN_ID,
          carrierId: 'ghn',
          trackingNumber: 'X',
        }),
        ['orderId'],
      );
      expectBadInput(
        await refusedWithoutWriting(gateway(), GHN, UPDATE_DELIVERY_STATUS, {
          orderId: UNKNOWN_ID,
          status: 'PICKED_UP',
        }),
        ['orderId'],
      );
    });

    test.each<[string, string, Caller, (orderId: string) => Record<string, unknown>]>([
      ['CARRIER', 'assignCarrier', GHN, (orderId) => ({ orderId, carrierId: 'ghn', trackingNumber: 'GHN-5' })],
      [
        'ANALYST',
        'assignCarrier',
        { role: 'ANALYST' },
        (orderId) => ({ orderId, carrierId: 'ghn', trackingNumber: 'GHN-5' }),
      ],
      [
        'SUPPORT_AGENT',
        'assignCarrier',
        SUPPORT,
        (orderId) => ({ orderId, carrierId: 'ghn', trackingNumber: 'GHN-5' }),
      ],
      ['STOREFRONT', 'updateOrderStatus', STOREFRONT, (orderId) => ({ orderId, status: 'CANCELLED' })],
      ['CARRIER', 'updateOrderStatus', GHN, (orderId) => ({ orderId, status: 'CANCELLED' })],
      ['MARKETING', 'updateOrderStatus', MARKETING, (orderId) => ({ orderId, status: 'CANCELLED' })],
      ['ORDER_PROCESSOR', 'updateDeliveryStatus', ORDER_PROCESSOR, (orderId) => ({ orderId, status: 'PICKED_UP' })],
      ['SUPPORT_AGENT', 'updateDeliveryStatus', SUPPORT, (orderId) => ({ orderId, status: 'PICKED_UP' })],
    ])('%s may not %s', async (_role, mutation, caller, variablesFor) => {
      const { orderId } = await orderWithCarrier('ghn');
      const query = {
        assignCarrier: ASSIGN_CARRIER,
        updateOrderStatus: UPDATE_ORDER_STATUS,
        updateDeliveryStatus: UPDATE_DELIVERY_STATUS,
      }[mutation] as string;
      expectForbidden(await refusedWithoutWriting(gateway(), caller, query, variablesFor(orderId)));
      expect(await orderState(orderId)).toEqual({
        status: 'CONFIRMED',
        shipment: { status: 'ASSIGNED', carrierId: 'ghn' },
      });
    });
  });

  describe('consents', () => {
    test('granted then withdrawn by a support agent; MARKETING loses the customer on the very next request', async () => {
      const customer = await register({ consents: [] });
      expect(await audience('PET_CARE_ADVICE')).not.toContain(customer.id);

      const variables = { customerId: customer.id, topic: 'PET_CARE_ADVICE', channel: 'HOTLINE' };
      const granted = await run(SUPPORT, GRANT_CONSENT, variables);
      expect(granted.grantConsent).toEqual({
        topic: 'PET_CARE_ADVICE',
        status: 'GRANTED',
        channel: 'HOTLINE',
        policyVersion: '2024-01',
        grantedAt: expect.stringMatching(ISO_DATE),
        withdrawnAt: null,
      });
      expect(await audience('PET_CARE_ADVICE')).toContain(customer.id);
      expect(await audience('PROMOTIONS')).not.toContain(customer.id);

      const withdrawn = await run(SUPPORT, WITHDRAW_CONSENT, { ...variables, channel: 'SUPPORT' });
      expect(withdrawn.withdrawConsent).toEqual({
        topic: 'PET_CARE_ADVICE',
        status: 'WITHDRAWN',
        channel: 'SUPPORT',
        policyVersion: '2024-01',
        grantedAt: granted.grantConsent.grantedAt,
        withdrawnAt: expect.stringMatching(ISO_DATE),
      });
      expect(await audience('PET_CARE_ADVICE')).not.toContain(customer.id);

      const current = await run(SUPPORT, `query($id: ID!) { customer(id: $id) { consents { topic status } } }`, {
        id: customer.id,
      });
      expect(current.customer.consents).toEqual([{ topic: 'PET_CARE_ADVICE', status: 'WITHDRAWN' }]);
      expect(await consentRows(customer.id)).toEqual([
        { topic: 'PET_CARE_ADVICE', status: 'GRANTED', channel: 'HOTLINE', actor_id: 'test-support_agent' },
        { topic: 'PET_CARE_ADVICE', status: 'WITHDRAWN', channel: 'SUPPORT', actor_id: 'test-support_agent' },
      ]);
    });

    test('a withdrawal of a consent given at sign-up takes effect on the next request', async () => {
      const customer = await register({ consents: ['PROMOTIONS', 'NEWSLETTER'] });
      expect(await audience('PROMOTIONS')).toContain(customer.id);
      await run(SUPPORT, WITHDRAW_CONSENT, { customerId: customer.id, topic: 'PROMOTIONS', channel: 'HOTLINE' });
      expect(await audience('PROMOTIONS')).not.toContain(customer.id);
      expect(await audience('NEWSLETTER')).toContain(customer.id);
    });

    test('granting twice writes one record; withdrawing twice writes one more', async () => {
      const customer = await register({ consents: [] });
      const variables = { customerId: customer.id, topic: 'NEWSLETTER', channel: 'ACCOUNT' };
      const before = await rowCounts(gateway());
      const first = await run(SUPPORT, GRANT_CONSENT, variables);
      const second = await run(SUPPORT, GRANT_CONSENT, variables);
      expect(second).toEqual(first);
      expect((await rowCounts(gateway())).consent_records).toBe(before.consent_records + 1);
      expect(await consentRows(customer.id)).toHaveLength(1);

      await run(SUPPORT, WITHDRAW_CONSENT, variables);
      await run(SUPPORT, WITHDRAW_CONSENT, variables);
      expect((await consentRows(customer.id)).map((r) => r.status)).toEqual(['GRANTED', 'WITHDRAWN']);
      expect(await audience('NEWSLETTER')).not.toContain(customer.id);
    });

    test('the storefront may record a consent too', async () => {
      const customer = await register({ consents: [] });
      const data = await run(STOREFRONT, GRANT_CONSENT, {
        customerId: customer.id,
        topic: 'GREETINGS',
        channel: 'CHECKOUT',
      });
      expect(data.grantConsent.status).toBe('GRANTED');
    });

    test('a customer that does not exist is BAD_USER_INPUT at customerId, and nothing is recorded', async () => {
      for (const mutation of [GRANT_CONSENT, WITHDRAW_CONSENT]) {
        const response = await refusedWithoutWriting(gateway(), SUPPORT, mutation, {
          customerId: UNKNOWN_ID,
          topic: 'PROMOTIONS',
          channel: 'HOTLINE',
        });
        expectBadInput(response, ['customerId']);
      }
    });

    test.each<[string, Record<string, unknown>]>([
      ['an unknown topic', { topic: 'SPAM' }],
      ['an unknown channel', { channel: 'TELEPATHY' }],
    ])('%s is BAD_USER_INPUT, and nothing is recorded', async (_title, overrides) => {
      const customer = await register({ consents: [] });
      const response = await refusedWithoutWriting(gateway(), SUPPORT, GRANT_CONSENT, {
        customerId: customer.id,
        topic: 'PROMOTIONS',
        channel: 'HOTLINE',
        ...overrides,
      });
      expectBadInput(response);
    });

    test.each<[string, Caller]>([
      ['MARKETING', MARKETING],
      ['ANALYST', { role: 'ANALYST' }],
      ['ORDER_PROCESSOR', ORDER_PROCESSOR],
      ['CARRIER', GHN],
    ])('%s may not record a consent', async (_role, caller) => {
      const customer = await register({ consents: [] });
      for (const mutation of [GRANT_CONSENT, WITHDRAW_CONSENT]) {
        const response = await refusedWithoutWriting(gateway(), caller, mutation, {
          customerId: customer.id,
          topic: 'PROMOTIONS',
          channel: 'HOTLINE',
        });
        expectForbidden(response);
      }
      expect(await audience('PROMOTIONS')).not.toContain(customer.id);
    });
  });

  describe('an id that is not a UUID is BAD_USER_INPUT at its argument, never an internal error', () => {
    let customerId: string;
    beforeAll(async () => {
      customerId = (await register()).id;
    });

    const NOT_IDS = [
      '42',
      'not-a-uuid',
      "' OR '1'='1",
      '6f1c2a7e-0b8d-4c3e-9a51-2d7f0e4b8c1',
      '6f1c2a7e-0b8d-4c3e-9a51-2d7f0e4b8c1g',
      '',
    ];

    test.each(NOT_IDS)('placeOrder(customerId: %p)', async (notId) => {
      expectBadInput(await refusedWithoutWriting(gateway(), STOREFRONT, PLACE_ORDER, { input: newOrder(notId) }), [
        'input',
        'customerId',
      ]);
    });

    test.each(NOT_IDS)('updateOrderStatus, assignCarrier, updateDeliveryStatus(orderId: %p)', async (notId) => {
      expectBadInput(
        await refusedWithoutWriting(gateway(), ORDER_PROCESSOR, UPDATE_ORDER_STATUS, {
          orderId: notId,
          status: 'CONFIRMED',
        }),
        ['orderId'],
      );
      expectBadInput(
        await refusedWithoutWriting(gateway(), ORDER_PROCESSOR, ASSIGN_CARRIER, {
          orderId: notId,
          carrierId: 'ghn',
          trackingNumber: 'X',
        }),
        ['orderId'],
      );
      expectBadInput(
        await refusedWithoutWriting(gateway(), GHN, UPDATE_DELIVERY_STATUS, { orderId: notId, status: 'PICKED_UP' }),
        ['orderId'],
      );
    });

    test.each(NOT_IDS)('grantConsent, withdrawConsent(customerId: %p)', async (notId) => {
      for (const mutation of [GRANT_CONSENT, WITHDRAW_CONSENT]) {
        const response = await refusedWithoutWriting(gateway(), SUPPORT, mutation, {
          customerId: notId,
          topic: 'PROMOTIONS',
          channel: 'HOTLINE',
        });
        expectBadInput(response, ['customerId']);
      }
    });

    test.each(NOT_IDS)('customer(id:) and order(id:) given %p', async (notId) => {
      expectBadInput(await gateway().query(SUPPORT, `query($id: ID!) { customer(id: $id) { id } }`, { id: notId }), [
        'id',
      ]);
      expectBadInput(
        await gateway().query(ORDER_PROCESSOR, `query($id: ID!) { order(id: $id) { id } }`, { id: notId }),
        ['id'],
      );
    });

    test('an id given as a number is refused the same way', async () => {
      expectBadInput(
        await refusedWithoutWriting(gateway(), STOREFRONT, PLACE_ORDER, { input: newOrder(42 as unknown as string) }),
        ['input', 'customerId'],
      );
    });

    /** A cursor is [ISO time, id] in base64url; a forged one must be refused like any bad id. */
    async function customersAfter(at: string, id: string): Promise<GraphQLResponse> {
      const after = Buffer.from(JSON.stringify([at, id])).toString('base64url');
      return gateway().query(
        SUPPORT,
        `query($after: String) { customers(first: 5, after: $after) { edges { node { id } } } }`,
        { after },
      );
    }

    test.each([
      'a'.repeat(36),
      '-'.repeat(36),
      '0'.repeat(36),
      'abcdef01-2345-6789-abcd-ef0123456789'.replace(/-/g, 'a'),
    ])('a cursor whose id %p is not a UUID is BAD_USER_INPUT at after', async (id) => {
      expectBadInput(await customersAfter(new Date().toISOString(), id), ['after']);
    });

    test('a cursor whose time is before anything PostgreSQL can hold (4713 BC) is BAD_USER_INPUT at after', async () => {
      expectBadInput(await customersAfter('-271821-04-20T00:00:00.000Z', randomUUID()), ['after']);
    });

    test('a genuine cursor still pages', async () => {
      const first = await run(
        SUPPORT,
        `{ customers(first: 1) { edges { node { id } } pageInfo { endCursor hasNextPage } } }`,
        {},
      );
      const next = await run(
        SUPPORT,
        `query($after: String) { customers(first: 1, after: $after) { edges { node { id } } } }`,
        {
          after: first.customers.pageInfo.endCursor,
        },
      );
      expect(next.customers.edges).toHaveLength(1);
      expect(next.customers.edges[0].node.id).not.toBe(first.customers.edges[0].node.id);
    });

    test('an upper-case UUID is still the same id', async () => {
      const order = await place(customerId);
      const data = await run(ORDER_PROCESSOR, `query($id: ID!) { order(id: $id) { id } }`, {
        id: order.id.toUpperCase(),
      });
      expect(data.order).toEqual({ id: order.id });
    });
  });
});
