import {
  STOREFRONT,
  ORDER_PROCESSOR,
  SUPPORT,
  MARKETING,
  GHN,
  VIETTEL_POST,
  UPDATE_ORDER_STATUS,
  ASSIGN_CARRIER,
  UPDATE_DELIVERY_STATUS,
  UNKNOWN_ID,
  expectBadInput,
  expectForbidden,
  writesThrough,
} from '../support/mutations';
import { refusedWithoutWriting } from '../support/writes';
import { describeOnEachDatabase, errorCodes, type Caller } from '../support/gateway';

/**
 * An order from placement to delivery: updateOrderStatus, assignCarrier and
 * updateDeliveryStatus follow the order and delivery lifecycles, each for its roles only.
 * The shop is shared by the tests of this file (see test/support/mutations.ts), so each
 * test makes its own customers and orders, and counts rows as deltas.
 */

describeOnEachDatabase('mutations', (gateway) => {
  const { register, place, run, orderWithCarrier, orderState, deliveryIds } = writesThrough(gateway);

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
});
