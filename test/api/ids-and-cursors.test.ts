import { randomUUID } from 'node:crypto';
import {
  STOREFRONT,
  ORDER_PROCESSOR,
  SUPPORT,
  GHN,
  PLACE_ORDER,
  UPDATE_ORDER_STATUS,
  ASSIGN_CARRIER,
  UPDATE_DELIVERY_STATUS,
  GRANT_CONSENT,
  WITHDRAW_CONSENT,
  newOrder,
  expectBadInput,
  writesThrough,
} from '../support/mutations';
import { refusedWithoutWriting } from '../support/writes';
import { describeOnEachDatabase, type GraphQLResponse } from '../support/gateway';

/**
 * An id that is not a UUID, or a cursor that is forged, is BAD_USER_INPUT at its
 * argument, never an internal error.
 * The shop is shared by the tests of this file (see test/support/mutations.ts), so each
 * test makes its own customers and orders, and counts rows as deltas.
 */

describeOnEachDatabase('mutations', (gateway) => {
  const { register, place, run } = writesThrough(gateway);

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
