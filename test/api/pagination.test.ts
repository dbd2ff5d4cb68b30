import { describeOnEachDatabase, errorCodes } from '../support/gateway';

const PAGE = `query($first: Int, $after: String) {
  customers(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
}`;

describeOnEachDatabase('keyset pagination', (gateway) => {
  test('walks every customer exactly once, newest first', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const response = await gateway().query({ role: 'ANALYST' }, PAGE, { first: 3, after });
      const { edges, pageInfo } = response.data.customers;
      seen.push(...edges.map((e: any) => e.node.id));
      if (!pageInfo.hasNextPage) break;
      expect(pageInfo.endCursor).toBe(edges.at(-1).cursor);
      after = pageInfo.endCursor;
    }
    const [{ count }] = await gateway().database.dataSource.query('SELECT count(*)::int AS count FROM customers');
    expect(seen).toHaveLength(count);
    expect(new Set(seen).size).toBe(count);
    const ordered = await gateway().database.dataSource.query(
      'SELECT id FROM customers ORDER BY created_at DESC, id DESC',
    );
    expect(seen).toEqual(ordered.map((row: { id: string }) => row.id));
  });

  test('nested connections page per parent', async () => {
    const db = gateway().database.dataSource;
    // Give every customer two more orders, so each has three.
    await db.query(
      `INSERT INTO orders (customer_id, status, total_vnd) SELECT id, 'PLACED', n * 1000 FROM customers, generate_series(1, 2) AS n`,
    );
    const NESTED = `query($after: String) { customers { edges { node { id orders(first: 2, after: $after) {
      edges { node { id } } pageInfo { hasNextPage endCursor } } } } } }`;
    const first = await gateway().query({ role: 'SUPPORT_AGENT' }, NESTED);
    for (const { node } of first.data.customers.edges) {
      expect(node.orders.edges).toHaveLength(2);
      expect(node.orders.pageInfo.hasNextPage).toBe(true);
    }
    // Each customer's own cursor leads to its third, last order.
    const [{ node: customer }] = first.data.customers.edges;
    const second = await gateway().query({ role: 'SUPPORT_AGENT' }, NESTED, {
      after: customer.orders.pageInfo.endCursor,
    });
    const again = second.data.customers.edges.find((e: any) => e.node.id === customer.id).node.orders;
    expect(again.pageInfo.hasNextPage).toBe(false);
    expect(again.edges).toHaveLength(1);
    const expected = await db.query('SELECT id FROM orders WHERE customer_id = $1 ORDER BY placed_at DESC, id DESC', [
      customer.id,
    ]);
    expect([...customer.orders.edges, ...again.edges].map((e: any) => e.node.id)).toEqual(
      expected.map((r: any) => r.id),
    );
  });

  test('a carrier walks its own deliveries under way exactly once, newest first', async () => {
    const db = gateway().database.dataSource;
    // Twelve more orders of one customer: each carrier gets six, in turn under way and delivered.
    await db.query(`
      WITH o AS (
        INSERT INTO orders (customer_id, status, total_vnd, placed_at)
        SELECT (SELECT id FROM customers ORDER BY id LIMIT 1), 'CONFIRMED', n * 1000, now() - n * interval '1 minute'
          FROM generate_series(1, 12) AS n
        RETURNING id, total_vnd / 1000 AS n
      )
      INSERT INTO shipments (order_id, recipient_name, recipient_phone, street, ward, district, province,
                             carrier_id, tracking_number, status, assigned_at, delivered_at)
      SELECT id, 'Người nhận', '+84912345678', '1 Phố Huế', 'Phường 1', 'Quận 1', 'Hà Nội',
             CASE WHEN n % 2 = 0 THEN 'ghn' ELSE 'viettel-post' END, 'T' || n,
             CASE WHEN n % 4 < 2 THEN 'IN_TRANSIT' ELSE 'DELIVERED' END, now(),
             CASE WHEN n % 4 < 2 THEN NULL ELSE now() END
        FROM o`);
    const DELIVERIES = `query($after: String) {
      deliveries(first: 2, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const response = await gateway().query({ role: 'CARRIER', carrierId: 'ghn' }, DELIVERIES, { after });
      const { edges, pageInfo } = response.data.deliveries;
      seen.push(...edges.map((e: any) => e.node.id));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    const expected = await db.query(
      `SELECT o.id FROM orders o JOIN shipments s ON s.order_id = o.id
        WHERE s.carrier_id = 'ghn' AND s.status IN ('ASSIGNED', 'PICKED_UP', 'IN_TRANSIT', 'FAILED')
        ORDER BY o.placed_at DESC, o.id DESC`,
    );
    expect(expected.length).toBeGreaterThan(3);
    expect(seen).toEqual(expected.map((row: { id: string }) => row.id));
  });

  test.each([
    [{ first: 0 }, 'first'],
    [{ first: 101 }, 'first'],
    [{ after: 'not-a-cursor' }, 'after'],
    [{ after: Buffer.from('["yesterday","x"]').toString('base64url') }, 'after'],
  ])('refuses %j', async (variables, argument) => {
    const response = await gateway().query({ role: 'ANALYST' }, PAGE, variables);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0].extensions?.argumentPath).toEqual([argument]);
  });
});
