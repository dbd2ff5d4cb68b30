import { sweepRetention } from '../../src/retention/sweep';
import { DEFAULT_RETENTION, personalColumns } from '../../src/policy';
import { describeOnEachDatabase, errorCodes, type TestGateway } from '../support/gateway';

const DAY = 24 * 60 * 60 * 1000;

/** The sweep as the server runs it, at a moment the test chooses: the clock moves, nobody sleeps. */
function sweepAt(gateway: TestGateway, daysFromNow: number) {
  return sweepRetention(gateway.database.dataSource, {
    clock: { now: new Date(Date.now() + daysFromNow * DAY), retention: DEFAULT_RETENTION },
    policyVersion: '2024-01',
  });
}

async function newOrder(gateway: TestGateway, email: string) {
  const registered = await gateway.query(
    { role: 'STOREFRONT' },
    `mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { id } }`,
    { input: { fullName: 'Khách lưu trữ', email, phone: '0911 222 333', consents: ['NEWSLETTER'] } },
  );
  const customerId = registered.data.registerCustomer.id as string;
  const placed = await gateway.query(
    { role: 'STOREFRONT' },
    `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`,
    {
      input: {
        customerId,
        items: [{ sku: 'CAT-TREE', name: 'Nhà cây cho mèo', quantity: 1, unitPriceVnd: 990_000 }],
        shipping: {
          recipientName: 'Người nhận lưu trữ',
          recipientPhone: '0977 888 999',
          street: '7 Hai Bà Trưng',
          ward: 'Phường Tràng Tiền',
          district: 'Quận Hoàn Kiếm',
          province: 'Hà Nội',
        },
      },
    },
  );
  return { customerId, orderId: placed.data.placeOrder.id as string };
}

async function setOrderStatus(gateway: TestGateway, orderId: string, status: string) {
  const response = await gateway.query(
    { role: 'ORDER_PROCESSOR' },
    `mutation($id: ID!, $s: OrderStatus!) { updateOrderStatus(orderId: $id, status: $s) { status } }`,
    { id: orderId, s: status },
  );
  expect(response.errors).toBeUndefined();
}

async function shipmentRow(gateway: TestGateway, orderId: string) {
  const [row] = await gateway.database.dataSource.query(
    'SELECT recipient_name, recipient_phone, street, erased_at FROM shipments WHERE order_id = $1',
    [orderId],
  );
  return row;
}

describeOnEachDatabase('retention', (gateway) => {
  test('shipping contact data of an order closed past the window is withheld, then erased; the sale stays', async () => {
    const { orderId } = await newOrder(gateway(), `ret1.${Date.now()}@example.vn`);
    await setOrderStatus(gateway(), orderId, 'CANCELLED');

    // Within the window customer care still reads it; nothing is erased yet.
    expect((await sweepAt(gateway(), 29)).ran).toBe(true);
    expect((await shipmentRow(gateway(), orderId)).recipient_phone).toBe('+84977888999');

    // Past it, the policy withholds it before any sweep...
    await gateway().database.dataSource.query(
      `UPDATE orders SET closed_at = now() - interval '31 days' WHERE id = $1`,
      [orderId],
    );
    const read = await gateway().query(
      { role: 'SUPPORT_AGENT' },
      `query($id: ID!) { order(id: $id) { totalVnd shipment { recipientPhone } } }`,
      { id: orderId },
    );
    expect(read.data.order).toEqual({ totalVnd: 990_000, shipment: { recipientPhone: null } });
    expect(errorCodes(read)).toEqual(['RETENTION_EXPIRED Shipment.recipientPhone']);

    // ...and the sweep erases it, once.
    const first = await sweepAt(gateway(), 0);
    expect(first.shipmentsErased).toBeGreaterThanOrEqual(1);
    expect(await shipmentRow(gateway(), orderId)).toEqual({
      recipient_name: null,
      recipient_phone: null,
      street: null,
      erased_at: expect.any(Date),
    });
    const [erased] = await gateway().database.dataSource.query('SELECT * FROM shipments WHERE order_id = $1', [
      orderId,
    ]);
    for (const column of personalColumns('Shipment')) {
      expect({ column, value: erased[column] }).toEqual({ column, value: null });
    }
    expect((await sweepAt(gateway(), 0)).shipmentsErased).toBe(0);
    const [order] = await gateway().database.dataSource.query('SELECT code, total_vnd FROM orders WHERE id = $1', [
      orderId,
    ]);
    expect(order.total_vnd).toBe(990_000);
  });

  test('order processing no longer lists orders past retention', async () => {
    const { orderId } = await newOrder(gateway(), `ret2.${Date.now()}@example.vn`);
    await setOrderStatus(gateway(), orderId, 'CANCELLED');
    await gateway().database.dataSource.query(
      `UPDATE orders SET closed_at = now() - interval '31 days' WHERE id = $1`,
      [orderId],
    );
    const response = await gateway().query({ role: 'ORDER_PROCESSOR' }, `query($id: ID!) { order(id: $id) { id } }`, {
      id: orderId,
    });
    expect(response.data.order).toBeNull();
  });

  test('a deregistered customer is anonymised once every order is closed and the window has passed', async () => {
    const email = `ret3.${Date.now()}@example.vn`;
    const { customerId, orderId } = await newOrder(gateway(), email);
    await gateway().query(
      { role: 'SUPPORT_AGENT' },
      `mutation($id: ID!) { deregisterCustomer(customerId: $id, channel: HOTLINE) { id } }`,
      { id: customerId },
    );
    // An order still open keeps them, however late it is.
    await sweepAt(gateway(), 365);
    const [open] = await gateway().database.dataSource.query('SELECT email FROM customers WHERE id = $1', [customerId]);
    expect(open.email).toBe(email);

    await setOrderStatus(gateway(), orderId, 'CANCELLED');
    expect((await sweepAt(gateway(), 29)).customersAnonymised).toBe(0);
    const report = await sweepAt(gateway(), 31);
    expect(report.customersAnonymised).toBeGreaterThanOrEqual(1);
    const [gone] = await gateway().database.dataSource.query(
      'SELECT full_name, email, phone, erased_at FROM customers WHERE id = $1',
      [customerId],
    );
    expect(gone).toEqual({ full_name: null, email: null, phone: null, erased_at: expect.any(Date) });
    expect((await sweepAt(gateway(), 31)).customersAnonymised).toBe(0);
  });

  test('two sweeps at once do the work once', async () => {
    const { orderId } = await newOrder(gateway(), `ret4.${Date.now()}@example.vn`);
    await setOrderStatus(gateway(), orderId, 'CANCELLED');
    const [a, b] = await Promise.all([sweepAt(gateway(), 31), sweepAt(gateway(), 31)]);
    expect(a.shipmentsErased + b.shipmentsErased).toBe(1);
    expect((await shipmentRow(gateway(), orderId)).erased_at).toEqual(expect.any(Date));
  });
});
