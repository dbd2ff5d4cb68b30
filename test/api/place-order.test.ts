import {
  STOREFRONT,
  ORDER_PROCESSOR,
  MARKETING,
  GHN,
  PLACE_ORDER,
  ISO_DATE,
  UNKNOWN_ID,
  newOrder,
  expectBadInput,
  expectForbidden,
  writesThrough,
} from '../support/mutations';
import { item, shipping } from '../support/fixtures';
import { refusedWithoutWriting, rowCounts } from '../support/writes';
import { describeOnEachDatabase, type Caller } from '../support/gateway';

/**
 * placeOrder: the storefront places an order for a customer; the total, the items and
 * the shipment are written in one transaction or not at all.
 * The shop is shared by the tests of this file (see test/support/mutations.ts), so each
 * test makes its own customers and orders, and counts rows as deltas.
 */

describeOnEachDatabase('mutations', (gateway) => {
  const { register, run } = writesThrough(gateway);

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
});
