import { describeOnEachDatabase, errorCodes, type Caller } from '../support/gateway';
import {
  STOREFRONT,
  ORDER_PROCESSOR,
  SUPPORT,
  MARKETING,
  GHN,
  GRANT_CONSENT,
  WITHDRAW_CONSENT,
  ISO_DATE,
  UNKNOWN_ID,
  expectBadInput,
  expectForbidden,
  writesThrough,
} from '../support/mutations';
import { refusedWithoutWriting, rowCounts } from '../support/writes';

/**
 * Consent is an append-only history whose latest record rules from the next request
 * (docs/design.md#behaviour-that-must-hold): the database refuses to rewrite it, concurrent changes serialise per
 * customer, and grantConsent / withdrawConsent validate their input and their caller.
 */

const CHANGE = (verb: 'grantConsent' | 'withdrawConsent') =>
  `mutation($id: ID!) { ${verb}(customerId: $id, topic: PROMOTIONS, channel: ACCOUNT) { status } }`;

describeOnEachDatabase('consent records', (gateway) => {
  const { register, run, audience, consentRows } = writesThrough(gateway);

  test('the database refuses to rewrite or remove the history', async () => {
    const db = gateway().database.dataSource;
    const id = (await register({ consents: ['PROMOTIONS'] })).id;
    await expect(
      db.query(`UPDATE consent_records SET status = 'WITHDRAWN' WHERE customer_id = $1`, [id]),
    ).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM consent_records WHERE customer_id = $1`, [id])).rejects.toThrow(/append-only/);
    const [row] = await db.query(`SELECT status FROM consent_records WHERE customer_id = $1`, [id]);
    expect(row.status).toBe('GRANTED');
  });

  test('concurrent grants and withdrawals end in the state of the last recorded row', async () => {
    const db = gateway().database.dataSource;
    const id = (await register({ consents: ['PROMOTIONS'] })).id;
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

  test.each(['OFFERS', 'THANK_YOU'])('the topic %s can be granted and is then recorded', async (topic) => {
    const id = (await register({ consents: [] })).id;
    const granted = await gateway().query(
      { role: 'SUPPORT_AGENT' },
      `mutation($id: ID!, $topic: ConsentTopic!) { grantConsent(customerId: $id, topic: $topic, channel: HOTLINE) { topic status } }`,
      { id, topic },
    );
    expect(granted.errors).toBeUndefined();
    expect(granted.data.grantConsent).toEqual({ topic, status: 'GRANTED' });
    expect(await consentRows(id)).toEqual([expect.objectContaining({ topic, status: 'GRANTED' })]);
  });

  describe('consents', () => {
    test('granted then withdrawn by a support agent; MARKETING loses the customer on the very next request', async () => {
      const customer = await register({ consents: [] });
      expect(await audience('PET_CARE_ADVICE')).not.toContain(customer.id);

      const variables = { customerId: customer.id, topic: 'PET_CARE_ADVICE', channel: 'HOTLINE' };
      const granted = await run(SUPPORT, GRANT_CONSENT, variables);
      expect(granted.grantConsent).toEqual({
        topic: 'PET_CARE_ADVICE',
        status: 'GRANTED',
        channel: 'HOTLINE',
        policyVersion: '2024-01',
        grantedAt: expect.stringMatching(ISO_DATE),
        withdrawnAt: null,
      });
      expect(await audience('PET_CARE_ADVICE')).toContain(customer.id);
      expect(await audience('PROMOTIONS')).not.toContain(customer.id);

      const withdrawn = await run(SUPPORT, WITHDRAW_CONSENT, { ...variables, channel: 'SUPPORT' });
      expect(withdrawn.withdrawConsent).toEqual({
        topic: 'PET_CARE_ADVICE',
        status: 'WITHDRAWN',
        channel: 'SUPPORT',
        policyVersion: '2024-01',
        grantedAt: granted.grantConsent.grantedAt,
        withdrawnAt: expect.stringMatching(ISO_DATE),
      });
      expect(await audience('PET_CARE_ADVICE')).not.toContain(customer.id);

      const current = await run(SUPPORT, `query($id: ID!) { customer(id: $id) { consents { topic status } } }`, {
        id: customer.id,
      });
      expect(current.customer.consents).toEqual([{ topic: 'PET_CARE_ADVICE', status: 'WITHDRAWN' }]);
      expect(await consentRows(customer.id)).toEqual([
        { topic: 'PET_CARE_ADVICE', status: 'GRANTED', channel: 'HOTLINE', actor_id: 'test-support_agent' },
        { topic: 'PET_CARE_ADVICE', status: 'WITHDRAWN', channel: 'SUPPORT', actor_id: 'test-support_agent' },
      ]);
    });

    // Was twice, here and in 'consent records': one test now holds both checks.
    test('a withdrawal of a consent given at sign-up takes effect on the next request', async () => {
      const customer = await register({ consents: ['PROMOTIONS', 'NEWSLETTER'] });
      expect(await audience('PROMOTIONS')).toContain(customer.id);
      await run(SUPPORT, WITHDRAW_CONSENT, { customerId: customer.id, topic: 'PROMOTIONS', channel: 'HOTLINE' });
      expect(await audience('PROMOTIONS')).not.toContain(customer.id);
      expect(await audience('NEWSLETTER')).toContain(customer.id);

      // MARKETING never reads the email, consent or not: the gateway sends its campaigns.
      await run(SUPPORT, WITHDRAW_CONSENT, { customerId: customer.id, topic: 'NEWSLETTER', channel: 'HOTLINE' });
      const direct = await gateway().query(MARKETING, `query($id: ID!) { customer(id: $id) { email } }`, {
        id: customer.id,
      });
      expect(direct.data.customer).toEqual({ email: null });
      expect(errorCodes(direct)).toEqual(['PURPOSE_NOT_ALLOWED Customer.email']);
    });

    test('granting twice writes one record; withdrawing twice writes one more', async () => {
      const customer = await register({ consents: [] });
      const variables = { customerId: customer.id, topic: 'NEWSLETTER', channel: 'ACCOUNT' };
      const before = await rowCounts(gateway());
      const first = await run(SUPPORT, GRANT_CONSENT, variables);
      const second = await run(SUPPORT, GRANT_CONSENT, variables);
      expect(second).toEqual(first);
      expect((await rowCounts(gateway())).consent_records).toBe(before.consent_records + 1);
      expect(await consentRows(customer.id)).toHaveLength(1);

      await run(SUPPORT, WITHDRAW_CONSENT, variables);
      await run(SUPPORT, WITHDRAW_CONSENT, variables);
      expect((await consentRows(customer.id)).map((r) => r.status)).toEqual(['GRANTED', 'WITHDRAWN']);
      expect(await audience('NEWSLETTER')).not.toContain(customer.id);
    });

    test('the storefront may record a consent too', async () => {
      const customer = await register({ consents: [] });
      const data = await run(STOREFRONT, GRANT_CONSENT, {
        customerId: customer.id,
        topic: 'GREETINGS',
        channel: 'CHECKOUT',
      });
      expect(data.grantConsent.status).toBe('GRANTED');
    });

    test('a customer that does not exist is BAD_USER_INPUT at customerId, and nothing is recorded', async () => {
      for (const mutation of [GRANT_CONSENT, WITHDRAW_CONSENT]) {
        const response = await refusedWithoutWriting(gateway(), SUPPORT, mutation, {
          customerId: UNKNOWN_ID,
          topic: 'PROMOTIONS',
          channel: 'HOTLINE',
        });
        expectBadInput(response, ['customerId']);
      }
    });

    test.each<[string, Record<string, unknown>]>([
      ['an unknown topic', { topic: 'SPAM' }],
      ['an unknown channel', { channel: 'TELEPATHY' }],
    ])('%s is BAD_USER_INPUT, and nothing is recorded', async (_title, overrides) => {
      const customer = await register({ consents: [] });
      const response = await refusedWithoutWriting(gateway(), SUPPORT, GRANT_CONSENT, {
        customerId: customer.id,
        topic: 'PROMOTIONS',
        channel: 'HOTLINE',
        ...overrides,
      });
      expectBadInput(response);
    });

    test.each<[string, Caller]>([
      ['MARKETING', MARKETING],
      ['ANALYST', { role: 'ANALYST' }],
      ['ORDER_PROCESSOR', ORDER_PROCESSOR],
      ['CARRIER', GHN],
    ])('%s may not record a consent', async (_role, caller) => {
      const customer = await register({ consents: [] });
      for (const mutation of [GRANT_CONSENT, WITHDRAW_CONSENT]) {
        const response = await refusedWithoutWriting(gateway(), caller, mutation, {
          customerId: customer.id,
          topic: 'PROMOTIONS',
          channel: 'HOTLINE',
        });
        expectForbidden(response);
      }
      expect(await audience('PROMOTIONS')).not.toContain(customer.id);
    });
  });
});
