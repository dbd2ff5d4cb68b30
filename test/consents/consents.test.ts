import { describeOnEachDatabase, errorCodes, type TestGateway } from '../support/gateway';

const CHANGE = (verb: 'grantConsent' | 'withdrawConsent') =>
  `mutation($id: ID!) { ${verb}(customerId: $id, topic: PROMOTIONS, channel: ACCOUNT) { status } }`;

async function newCustomer(gateway: TestGateway, tag: string): Promise<string> {
  const response = await gateway.query(
    { role: 'STOREFRONT' },
    `mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { id } }`,
    {
      input: {
        fullName: `Khách ${tag}`,
        email: `${tag}.${Date.now()}@example.vn`,
        phone: '0903 456 789',
        consents: ['PROMOTIONS'],
      },
    },
  );
  return response.data.registerCustomer.id;
}

describeOnEachDatabase('consent records', (gateway) => {
  test('the database refuses to rewrite or remove the history', async () => {
    const db = gateway().database.dataSource;
    const id = await newCustomer(gateway(), 'history');
    await expect(
      db.query(`UPDATE consent_records SET status = 'WITHDRAWN' WHERE customer_id = $1`, [id]),
    ).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM consent_records WHERE customer_id = $1`, [id])).rejects.toThrow(/append-only/);
    const [row] = await db.query(`SELECT status FROM consent_records WHERE customer_id = $1`, [id]);
    expect(row.status).toBe('GRANTED');
  });

  test('concurrent grants and withdrawals end in the state of the last recorded row', async () => {
    const db = gateway().database.dataSource;
    const id = await newCustomer(gateway(), 'race');
    for (let round = 0; round < 5; round += 1) {
      const results = await Promise.all([
        gateway().query({ role: 'SUPPORT_AGENT' }, CHANGE('withdrawConsent'), { id }),
        gateway().query({ role: 'SUPPORT_AGENT' }, CHANGE('grantConsent'), { id }),
        gateway().query({ role: 'SUPPORT_AGENT' }, CHANGE('withdrawConsent'), { id }),
      ]);
      for (const result of results) expect(result.errors).toBeUndefined();
      const [last] = await db.query(
        `SELECT status FROM consent_records WHERE customer_id = $1 AND topic = 'PROMOTIONS'
          ORDER BY recorded_at DESC, id DESC LIMIT 1`,
        [id],
      );
      const state = await gateway().query(
        { role: 'SUPPORT_AGENT' },
        `query($id: ID!) { customer(id: $id) { consents { topic status } } }`,
        { id },
      );
      expect(state.data.customer.consents).toEqual([{ topic: 'PROMOTIONS', status: last.status }]);
      // Serialised per customer, no two consecutive rows say the same thing.
      const rows: { status: string }[] = await db.query(
        `SELECT status FROM consent_records WHERE customer_id = $1 ORDER BY recorded_at, id`,
        [id],
      );
      rows.slice(1).forEach((row, i) => expect(row.status).not.toBe(rows[i].status));
    }
  });

  test('a withdrawal takes effect on the very next request', async () => {
    const id = await newCustomer(gateway(), 'next');
    const audience = async () =>
      (
        await gateway().query(
          { role: 'MARKETING' },
          `{ marketingAudience(topic: PROMOTIONS, first: 100) { edges { node { id } } } }`,
        )
      ).data.marketingAudience.edges.map((e: any) => e.node.id);
    expect(await audience()).toContain(id);

    await gateway().query({ role: 'SUPPORT_AGENT' }, CHANGE('withdrawConsent'), { id });
    expect(await audience()).not.toContain(id);

    const direct = await gateway().query({ role: 'MARKETING' }, `query($id: ID!) { customer(id: $id) { email } }`, {
      id,
    });
    expect(direct.data.customer).toEqual({ email: null });
    expect(errorCodes(direct)).toEqual(['CONSENT_REQUIRED Customer.email']);
  });
});
