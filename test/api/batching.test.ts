import { describeOnEachDatabase } from '../support/gateway';

const PAGE_WITH_RELATIONS = `
  query($first: Int!) {
    customers(first: $first) {
      edges { node { id email consents { topic status } orders { edges { node { code items { sku } shipment { status recipientName } } } } } }
    }
  }`;

describeOnEachDatabase('no N+1: statements per list query', (gateway) => {
  beforeAll(async () => {
    // 60 more customers, each with an order, a shipment, an item and a consent.
    await gateway().database.dataSource.query(`
      WITH c AS (
        INSERT INTO customers (full_name, email, phone)
        SELECT 'Khách ' || n, 'khach' || n || '@example.vn', '+8491' || lpad(n::text, 7, '0')
        FROM generate_series(1, 60) AS n
        RETURNING id
      ), consents AS (
        INSERT INTO consent_records (customer_id, topic, status, channel, policy_version, actor_id)
        SELECT id, 'NEWSLETTER', 'GRANTED', 'ACCOUNT', '2024-01', 'test' FROM c
      ), o AS (
        INSERT INTO orders (customer_id, status, total_vnd)
        SELECT id, 'PLACED', 100000 FROM c
        RETURNING id
      ), items AS (
        INSERT INTO order_items (order_id, position, sku, name, quantity, unit_price_vnd)
        SELECT id, 0, 'SKU', 'Hạt cho mèo', 1, 100000 FROM o
      )
      INSERT INTO shipments (order_id, recipient_name, recipient_phone, street, ward, district, province)
      SELECT id, 'Người nhận', '+84912345678', '1 Phố Huế', 'Phường 1', 'Quận 1', 'Hà Nội' FROM o`);
  });

  async function statementsFor(first: number): Promise<number> {
    const counter = gateway().database.statements;
    const before = counter.statements;
    const response = await gateway().query({ role: 'SUPPORT_AGENT' }, PAGE_WITH_RELATIONS, { first });
    expect(response.errors).toBeUndefined();
    expect(response.data.customers.edges).toHaveLength(first);
    return counter.statements - before;
  }

  test('a page of 10 and a page of 50 customers with orders, items, shipments and consents cost the same', async () => {
    const small = await statementsFor(10);
    const large = await statementsFor(50);
    // Customers, their orders, the orders' items and shipments, and consents; then the
    // audit write, which spends the disclosure budget in the same statement: 6 statements.
    expect(small).toBe(6);
    expect(large).toBe(small);
  });

  test('an operation that selects no personal field does not read the disclosure budget', async () => {
    const counter = gateway().database.statements;
    const before = counter.statements;
    const response = await gateway().query(
      { role: 'SUPPORT_AGENT' },
      '{ me { id } customers(first: 5) { edges { node { id } } } }',
    );
    expect(response.errors).toBeUndefined();
    // Only the list itself: no budget read, no audit write.
    expect(counter.statements - before).toBe(1);
  });
});
