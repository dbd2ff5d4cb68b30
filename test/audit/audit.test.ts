import { describeOnEachDatabase, errorCodes, type TestGateway } from '../support/gateway';
import { customerIdByEmail } from '../support/writes';

async function auditRows(gateway: TestGateway, requestId: string) {
  return gateway.database.dataSource.query(
    `SELECT principal_id, role, purpose, customer_id, fields, decision, reason
       FROM audit_events WHERE request_id = $1 ORDER BY decision, reason NULLS FIRST, customer_id`,
    [requestId],
  );
}

describeOnEachDatabase('audit trail', (gateway) => {
  test('a carrier reading a delivery is recorded, and the privacy officer finds it', async () => {
    const lan = await customerIdByEmail(gateway(), 'lan.nguyen@example.vn');
    const read = await gateway().query(
      { role: 'CARRIER', carrierId: 'ghn' },
      `{ deliveries { edges { node { shipment { recipientName recipientPhone address { street } } } } } }`,
    );
    expect(read.data.deliveries.edges).toHaveLength(1);

    const trail = await gateway().query(
      { role: 'PRIVACY_OFFICER' },
      `query($customerId: ID!) { auditEvents(customerId: $customerId, principalId: "test-ghn") {
          edges { node { requestId principalId role purpose customerId fields decision reason occurredAt } } } }`,
      { customerId: lan },
    );
    expect(trail.errors).toBeUndefined();
    const [event] = trail.data.auditEvents.edges.map((e: any) => e.node);
    expect(event).toMatchObject({
      principalId: 'test-ghn',
      role: 'CARRIER',
      purpose: 'SHIPPING',
      customerId: lan,
      fields: ['Shipment.recipientName', 'Shipment.recipientPhone', 'Shipment.address'],
      decision: 'RELEASED',
      reason: null,
    });
    expect(read.requestId).toBe(event.requestId);
  });

  test('one event per subject and decision, withheld ones with their reason, in one request', async () => {
    const response = await gateway().query(
      { role: 'ANALYST' },
      `{ customers(first: 2) { edges { node { id fullName email } } } }`,
    );
    const ids = response.data.customers.edges.map((e: any) => e.node.id).sort();
    const rows = await auditRows(gateway(), response.requestId as string);
    expect(rows).toEqual(
      ids.map((id: string) => ({
        principal_id: 'test-analyst',
        role: 'ANALYST',
        purpose: null,
        customer_id: id,
        fields: ['Customer.fullName', 'Customer.email'],
        decision: 'WITHHELD',
        reason: 'PURPOSE_NOT_ALLOWED',
      })),
    );
  });

  test('a request that touches no personal data writes nothing', async () => {
    const before = await gateway().database.dataSource.query('SELECT count(*)::int AS n FROM audit_events');
    await gateway().query({ role: 'ANALYST' }, `{ customers { edges { node { id createdAt } } } }`);
    const after = await gateway().database.dataSource.query('SELECT count(*)::int AS n FROM audit_events');
    expect(after[0].n).toBe(before[0].n);
  });

  test('the database refuses to change or remove audit events', async () => {
    const db = gateway().database.dataSource;
    await gateway().query({ role: 'SUPPORT_AGENT' }, `{ customers(first: 1) { edges { node { email } } } }`);
    // The trail is stored in audit_trail (monthly partitions); audit_events is its view per customer.
    await expect(db.query(`UPDATE audit_trail SET principal_id = 'someone-else'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_trail`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_trail`)).rejects.toThrow(/append-only/);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE principal_id = 'someone-else'`);
    expect(n).toBe(0);
  });

  test('when the audit cannot be written, no personal data leaves (fail closed)', async () => {
    const db = gateway().database.dataSource;
    // A real failure of the write (as a full disk or a revoked grant would be): reads still work.
    await db.query(`CREATE FUNCTION refuse_audit_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit storage unavailable'; END $$`);
    await db.query(`CREATE TRIGGER audit_trail_broken BEFORE INSERT ON audit_trail
      FOR EACH ROW EXECUTE FUNCTION refuse_audit_insert()`);
    try {
      const response = await gateway().query(
        { role: 'SUPPORT_AGENT' },
        `{ customers(first: 3) { edges { node { id fullName email orders { edges { node { shipment { recipientPhone } } } } } } } }`,
      );
      expect(response.status).toBe(200);
      const nodes = response.data.customers.edges.map((e: any) => e.node);
      expect(nodes).toHaveLength(3);
      for (const node of nodes) {
        expect(node.id).toEqual(expect.any(String));
        expect(node).toMatchObject({ fullName: null, email: null });
        expect(node.orders.edges[0].node.shipment.recipientPhone).toBeNull();
      }
      expect(JSON.stringify(response.data)).not.toMatch(/@example\.vn|\+84/);
      expect(errorCodes(response)).toEqual([
        'AUDIT_UNAVAILABLE Customer.email',
        'AUDIT_UNAVAILABLE Customer.fullName',
        'AUDIT_UNAVAILABLE Shipment.recipientPhone',
      ]);
    } finally {
      await db.query('DROP TRIGGER audit_trail_broken ON audit_trail');
      await db.query('DROP FUNCTION refuse_audit_insert');
    }
  });

  test('only the privacy officer reads the trail', async () => {
    for (const role of ['SUPPORT_AGENT', 'ANALYST', 'MARKETING'] as const) {
      const response = await gateway().query({ role }, `{ auditEvents { edges { node { id } } } }`);
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    }
  });

  test('Customer.disclosures tells the privacy officer who saw this customer, newest first', async () => {
    const minh = await customerIdByEmail(gateway(), 'minh.tran@example.vn');
    await gateway().query(
      { role: 'CARRIER', carrierId: 'viettel-post' },
      `{ deliveries { edges { node { shipment { recipientPhone } } } } }`,
    );
    const response = await gateway().query(
      { role: 'PRIVACY_OFFICER' },
      `query($id: ID!) { customer(id: $id) { disclosures(first: 1) { edges { node { principalId purpose fields } } } } }`,
      { id: minh },
    );
    expect(response.data.customer.disclosures.edges).toEqual([
      { node: { principalId: 'test-viettel-post', purpose: 'SHIPPING', fields: ['Shipment.recipientPhone'] } },
    ]);
    const agent = await gateway().query(
      { role: 'SUPPORT_AGENT' },
      `query($id: ID!) { customer(id: $id) { disclosures { edges { node { id } } } } }`,
      { id: minh },
    );
    expect(agent.data.customer.disclosures.edges).toEqual([]);
    expect(errorCodes(agent)).toEqual(['OUT_OF_SCOPE Customer.disclosures']);
  });
});

describeOnEachDatabase(
  'disclosure limits',
  (gateway) => {
    test('a principal past its budget of distinct customers gets DISCLOSURE_LIMIT, across requests', async () => {
      const query = `query($after: String) { customers(first: 2, after: $after) {
          edges { node { id email } } pageInfo { endCursor } } }`;
      const first = await gateway().query({ role: 'SUPPORT_AGENT' }, query);
      expect(first.data.customers.edges.map((e: any) => e.node.email)).toEqual([
        expect.any(String),
        expect.any(String),
      ]);

      // The same two customers again do not count twice.
      const again = await gateway().query({ role: 'SUPPORT_AGENT' }, query);
      expect(again.errors).toBeUndefined();

      const next = await gateway().query({ role: 'SUPPORT_AGENT' }, query, {
        after: first.data.customers.pageInfo.endCursor,
      });
      expect(next.data.customers.edges.map((e: any) => e.node.email)).toEqual([expect.any(String), null]);
      expect(errorCodes(next)).toEqual(['DISCLOSURE_LIMIT Customer.email']);
      const [limited] = await gateway().database.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE reason = 'DISCLOSURE_LIMIT' AND request_id = $1`,
        [next.requestId],
      );
      expect(limited.n).toBe(1);
    });

    test('the budget is per principal', async () => {
      const response = await gateway().query(
        { role: 'MARKETING' },
        `{ marketingAudience(topic: PROMOTIONS) { edges { node { unsubscribeUrl } } } }`,
      );
      expect(response.errors).toBeUndefined();
      expect(response.data.marketingAudience.edges.length).toBeGreaterThan(0);
    });
  },
  { DISCLOSURE_LIMITS: 'SUPPORT_AGENT:3' },
);
