import { describeOnEachDatabase } from '../support/gateway';
import {
  GHN,
  ISO_DATE,
  newOrder as orderInput,
  ORDER_PROCESSOR,
  SUPPORT,
  UPDATE_DELIVERY_STATUS,
  writesThrough,
} from '../support/mutations';

/**
 * A mutation's reply shows what was committed: the closing time it wrote, the shipment
 * as it now is. Several mutations in one request run one after another, and each reply
 * shows the state after its own write, not what an earlier reply had read.
 */

describeOnEachDatabase('mutation replies', (gateway) => {
  const { run, register, place, orderWithCarrier } = writesThrough(gateway);

  async function newOrder(consents: string[] = []): Promise<{ orderId: string; customerId: string }> {
    const customer = await register({ consents });
    const order = await place(customer.id);
    return { orderId: order.id, customerId: customer.id };
  }

  async function confirmedWithCarrier(carrierId: string): Promise<string> {
    return (await orderWithCarrier(carrierId)).orderId;
  }

  async function storedTimes(orderId: string): Promise<{ closedAt: string | null; deliveredAt: string | null }> {
    const [row] = await gateway().database.dataSource.query(
      `SELECT o.closed_at, s.delivered_at FROM orders o JOIN shipments s ON s.order_id = o.id WHERE o.id = $1`,
      [orderId],
    );
    return { closedAt: row.closed_at?.toISOString() ?? null, deliveredAt: row.delivered_at?.toISOString() ?? null };
  }

  test('updateOrderStatus(CANCELLED) returns the closing time it wrote', async () => {
    const { orderId } = await newOrder();
    const data = await run(
      ORDER_PROCESSOR,
      `mutation($orderId: ID!) { updateOrderStatus(orderId: $orderId, status: CANCELLED) { status closedAt } }`,
      { orderId },
    );
    expect(data.updateOrderStatus.status).toBe('CANCELLED');
    expect(data.updateOrderStatus.closedAt).toMatch(ISO_DATE);
    expect(data.updateOrderStatus.closedAt).toBe((await storedTimes(orderId)).closedAt);
  });

  test('updateDeliveryStatus(DELIVERED) returns the delivery and closing times it wrote', async () => {
    const orderId = await confirmedWithCarrier('ghn');
    await run(GHN, UPDATE_DELIVERY_STATUS, { orderId, status: 'PICKED_UP' });
    const data = await run(
      GHN,
      `mutation($orderId: ID!) {
         updateDeliveryStatus(orderId: $orderId, status: DELIVERED) { status closedAt shipment { status deliveredAt } }
       }`,
      { orderId },
    );
    const stored = await storedTimes(orderId);
    expect(stored.closedAt).toMatch(ISO_DATE);
    expect(data.updateDeliveryStatus).toEqual({
      status: 'DELIVERED',
      closedAt: stored.closedAt,
      shipment: { status: 'DELIVERED', deliveredAt: stored.deliveredAt },
    });
  });

  test('a second reassignment in the same request shows the second carrier', async () => {
    const orderId = await confirmedWithCarrier('ghn');
    const data = await run(
      ORDER_PROCESSOR,
      `mutation($orderId: ID!) {
         first: assignCarrier(orderId: $orderId, carrierId: "ghn", trackingNumber: "GHN-1") { shipment { carrierId } }
         second: assignCarrier(orderId: $orderId, carrierId: "viettel-post", trackingNumber: "VTP-1") {
           shipment { carrierId trackingNumber }
         }
       }`,
      { orderId },
    );
    expect(data.first.shipment).toEqual({ carrierId: 'ghn' });
    expect(data.second.shipment).toEqual({ carrierId: 'viettel-post', trackingNumber: 'VTP-1' });
  });

  test('cancelling after an assignment in the same request shows the carrier gone', async () => {
    const orderId = await confirmedWithCarrier('ghn');
    const data = await run(
      ORDER_PROCESSOR,
      `mutation($orderId: ID!) {
         assigned: assignCarrier(orderId: $orderId, carrierId: "ghn", trackingNumber: "GHN-2") { shipment { carrierId } }
         cancelled: updateOrderStatus(orderId: $orderId, status: CANCELLED) { status shipment { carrierId status } }
       }`,
      { orderId },
    );
    expect(data.assigned.shipment).toEqual({ carrierId: 'ghn' });
    expect(data.cancelled).toEqual({ status: 'CANCELLED', shipment: { carrierId: null, status: null } });
  });

  test('deregistering after reading the consents in the same request shows them withdrawn', async () => {
    const { customerId } = await newOrder(['NEWSLETTER']);
    const data = await run(
      SUPPORT,
      `mutation($input: PlaceOrderInput!, $customerId: ID!) {
         placeOrder(input: $input) { customer { consents { topic status } } }
         deregisterCustomer(customerId: $customerId, channel: HOTLINE) { deregisteredAt consents { topic status } }
       }`,
      { input: orderInput(customerId), customerId },
    );
    expect(data.placeOrder.customer.consents).toEqual([{ topic: 'NEWSLETTER', status: 'GRANTED' }]);
    expect(data.deregisterCustomer.deregisteredAt).toMatch(ISO_DATE);
    expect(data.deregisterCustomer.consents).toEqual([{ topic: 'NEWSLETTER', status: 'WITHDRAWN' }]);
  });
});
