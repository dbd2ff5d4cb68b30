import { randomUUID } from 'node:crypto';
import { describeOnEachDatabase, type Caller } from '../support/gateway';

/**
 * A mutation's reply shows what was committed: the closing time it wrote, the shipment
 * as it now is. Several mutations in one request run one after another, and each reply
 * shows the state after its own write, not what an earlier reply had read.
 */

const STOREFRONT: Caller = { role: 'STOREFRONT' };
const ORDER_PROCESSOR: Caller = { role: 'ORDER_PROCESSOR' };
const SUPPORT: Caller = { role: 'SUPPORT_AGENT', purpose: 'CUSTOMER_CARE' };
const GHN: Caller = { role: 'CARRIER', carrierId: 'ghn' };

const PLACE_ORDER = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`;
const UPDATE_ORDER_STATUS = `
  mutation($orderId: ID!, $status: OrderStatus!) { updateOrderStatus(orderId: $orderId, status: $status) { id } }`;
const ASSIGN_CARRIER = `
  mutation($orderId: ID!, $carrierId: String!, $trackingNumber: String!) {
    assignCarrier(orderId: $orderId, carrierId: $carrierId, trackingNumber: $trackingNumber) { id }
  }`;
const UPDATE_DELIVERY_STATUS = `
  mutation($orderId: ID!, $status: DeliveryStatus!) { updateDeliveryStatus(orderId: $orderId, status: $status) { id } }`;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describeOnEachDatabase('mutation replies', (gateway) => {
  async function run(caller: Caller, query: string, variables: Record<string, unknown> = {}): Promise<any> {
    const response = await gateway().query(caller, query, variables);
    expect(response.errors).toBeUndefined();
    return response.data;
  }

  async function newOrder(consents: string[] = []): Promise<{ orderId: string; customerId: string }> {
    const { registerCustomer } = await run(
      STOREFRONT,
      `mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { id } }`,
      {
        input: {
          fullName: 'Phạm Minh Tuấn',
          email: `tuan.${randomUUID().slice(0, 8)}@example.vn`,
          phone: '0912 345 678',
          consents,
        },
      },
    );
    const { placeOrder } = await run(STOREFRONT, PLACE_ORDER, { input: orderInput(registerCustomer.id) });
    return { orderId: placeOrder.id, customerId: registerCustomer.id };
  }

  async function confirmedWithCarrier(carrierId: string): Promise<string> {
    const { orderId } = await newOrder();
    await run(ORDER_PROCESSOR, UPDATE_ORDER_STATUS, { orderId, status: 'CONFIRMED' });
    await run(ORDER_PROCESSOR, ASSIGN_CARRIER, { orderId, carrierId, trackingNumber: `T-${orderId.slice(0, 8)}` });
    return orderId;
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

function orderInput(customerId: string): Record<string, unknown> {
  return {
    customerId,
    items: [{ sku: 'ROYAL-CANIN-2KG', name: 'Royal Canin 2kg', quantity: 1, unitPriceVnd: 420_000 }],
    shipping: {
      recipientName: 'Phạm Minh Tuấn',
      recipientPhone: '0987 654 321',
      street: '5 Lý Thường Kiệt',
      ward: 'Phường Phan Chu Trinh',
      district: 'Quận Hoàn Kiếm',
      province: 'Hà Nội',
    },
  };
}
