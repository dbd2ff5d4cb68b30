import { loadConfig } from '../../src/config';
import { describeOnEachDatabase, errorCodes, type Caller, type TestGateway } from '../support/gateway';
import { customerIdByEmail } from '../support/writes';
import { openCase } from '../support/cases';

/**
 * Reading a value is one use of personal data; matching a subject in a search, following
 * a relation to a subject, minting a link for a subject and recording consent for a
 * subject are others. Each is decided by the policy per subject and audited. The demo
 * shop (src/demo/demo-shop.ts) has Lan (PROMOTIONS, NEWSLETTER), Minh (PET_CARE_ADVICE),
 * Hà (no consent) and Bảo.
 */
const SUPPORT: Caller = { role: 'SUPPORT_AGENT' };
const MARKETING: Caller = { role: 'MARKETING' };
const OFFICER: Caller = { role: 'PRIVACY_OFFICER' };
const SEARCH_IDS = `query($s: String) { customers(search: $s) { edges { node { id } } } }`;

async function auditOf(gateway: TestGateway, requestId: string | null) {
  return gateway.database.dataSource.query(
    `SELECT customer_id AS "customerId", decision, reason, fields, principal_id AS "principalId"
       FROM audit_events WHERE request_id = $1 ORDER BY decision, customer_id`,
    [requestId],
  );
}

async function registerAndDeregister(gateway: TestGateway, email: string, phone: string): Promise<string> {
  const registered = await gateway.query(
    { role: 'STOREFRONT' },
    `mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { id } }`,
    { input: { fullName: 'Đặng Quốc Việt', email, phone, consents: ['PROMOTIONS'] } },
  );
  expect(registered.errors).toBeUndefined();
  const id = registered.data.registerCustomer.id;
  const deregistered = await gateway.query(
    { role: 'STOREFRONT' },
    `mutation($id: ID!) { deregisterCustomer(customerId: $id, channel: ACCOUNT) { id } }`,
    { id },
  );
  expect(deregistered.errors).toBeUndefined();
  return id;
}

describeOnEachDatabase('uses of personal data', (gateway) => {
  describe('matching in a search', () => {
    test.each([
      ['the email, in any case', 'LAN.Nguyen@Example.VN'],
      ['the phone as typed', '0912 345 678'],
      ['the phone in E.164', '+84912345678'],
      ['the phone with dashes', '84-912-345-678'],
      ['the name without diacritics', 'nguyen thi lan'],
      ['the name in capitals', 'NGUYỄN THỊ LAN'],
      ['two words of the name', 'Lan Nguyễn'],
    ])('finds the customer by %s', async (_label, term) => {
      const lan = await customerIdByEmail(gateway(), 'lan.nguyen@example.vn');
      const response = await gateway().query(SUPPORT, SEARCH_IDS, { s: term });
      expect(response.errors).toBeUndefined();
      expect(response.data.customers.edges.map((e: any) => e.node.id)).toEqual([lan]);
    });

    test.each([
      ['a prefix of the email', 'lan.nguyen@'],
      ['the email without its last letter', 'lan.nguyen@example.v'],
      ['a substring of the email', 'nguyen@example.vn'],
      ['a part of a name word', 'nguy'],
    ])('finds nobody by %s', async (_label, term) => {
      const response = await gateway().query(SUPPORT, SEARCH_IDS, { s: term });
      expect(response.errors).toBeUndefined();
      expect(response.data.customers.edges).toEqual([]);
      expect(await auditOf(gateway(), response.requestId)).toEqual([]);
    });

    test.each([
      ['a part of a phone number', '0912 345', 'a phone number matches only whole'],
      ['a one-letter word', 'lan n', 'at least 2 characters'],
    ])('refuses %s as BAD_USER_INPUT at search', async (_label, term, message) => {
      const response = await gateway().query(SUPPORT, SEARCH_IDS, { s: term });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors?.[0].extensions?.argumentPath).toEqual(['search']);
      expect(response.errors?.[0].message).toContain(message);
    });

    test('a match is audited as MATCHED with the field used, even when only the id is selected', async () => {
      const lan = await customerIdByEmail(gateway(), 'lan.nguyen@example.vn');
      const response = await gateway().query(SUPPORT, SEARCH_IDS, { s: '+84912345678' });
      expect(response.data.customers.edges).toHaveLength(1);
      expect(await auditOf(gateway(), response.requestId)).toEqual([
        {
          customerId: lan,
          decision: 'MATCHED',
          reason: null,
          fields: ['Customer.phone'],
          principalId: 'test-support_agent',
        },
      ]);
    });

    test('the one-character attack on a deregistered customer learns nothing, and uses nothing of theirs', async () => {
      const email = 'viet.dang@example.vn';
      const viet = await registerAndDeregister(gateway(), email, '0933 222 111');
      // Every prefix, the way the attack grew the email one character at a time, and the
      // whole value. Some guesses are not a search term at all (a one-letter word): that
      // refusal is about the input, the same whoever exists.
      const guesses = [...email].map((_, i) => email.slice(0, i + 1));
      for (const guess of guesses) {
        const response = await gateway().query(SUPPORT, SEARCH_IDS, { s: guess });
        const refusedAsInput = errorCodes(response).every((code) => code === 'BAD_USER_INPUT');
        expect({ guess, refusedAsInput, edges: response.data?.customers.edges ?? [] }).toEqual({
          guess,
          refusedAsInput: true,
          edges: [],
        });
      }
      const byPhone = await gateway().query(SUPPORT, SEARCH_IDS, { s: '0933 222 111' });
      expect(byPhone.errors).toBeUndefined();
      expect(byPhone.data.customers.edges).toEqual([]);
      // SQL matched only customers whose state the policy lets this request read: Việt was
      // never a candidate, so nothing of his was used, and nothing is on the trail.
      expect(await auditOf(gateway(), byPhone.requestId)).toEqual([]);
      const officerView = await gateway().query(
        OFFICER,
        `query($id: ID!) { customer(id: $id) { disclosures { edges { node { decision } } } } }`,
        { id: viet },
      );
      expect(officerView.data.customer.disclosures.edges).toEqual([]);
    });

    test('the privacy officer finds the deregistered person by id, not in search results', async () => {
      const viet = await registerAndDeregister(gateway(), 'viet.dang2@example.vn', '0933 222 333');
      const search = await gateway().query(OFFICER, SEARCH_IDS, { s: 'viet.dang2@example.vn' });
      expect(errorCodes(search)).toEqual(['ONE_SUBJECT_AT_A_TIME Query.customers.search']);
      expect(JSON.stringify(search)).not.toContain(viet);
      await openCase(gateway(), viet, 'ACCESS');
      const byId = await gateway().query(OFFICER, `query($id: ID!) { customer(id: $id) { email phone } }`, {
        id: viet,
      });
      expect(byId.errors).toBeUndefined();
      expect(byId.data.customer).toEqual({ email: 'viet.dang2@example.vn', phone: '+84933222333' });
    });
  });

  describe('DATA_SUBJECT_REQUEST serves one person at a time', () => {
    test('lists give no contact field, each withheld with a reason', async () => {
      const response = await gateway().query(
        OFFICER,
        `{ customers(first: 100) { edges { node { id fullName email phone } } }
           orders(first: 100) { edges { node { shipment { recipientName } } } } }`,
      );
      const customers = response.data.customers.edges.map((e: any) => e.node);
      expect(customers.length).toBeGreaterThan(3);
      for (const customer of customers) expect(customer).toMatchObject({ fullName: null, email: null, phone: null });
      expect(JSON.stringify(response.data)).not.toMatch(/@example\.vn|\+84\d{9}/);
      expect(errorCodes(response)).toEqual([
        'ONE_SUBJECT_AT_A_TIME Customer.email',
        'ONE_SUBJECT_AT_A_TIME Customer.fullName',
        'ONE_SUBJECT_AT_A_TIME Customer.phone',
        'ONE_SUBJECT_AT_A_TIME Shipment.recipientName',
      ]);
    });

    test('one customer looked up by id, even through an aliased fragment, is served', async () => {
      const lan = await customerIdByEmail(gateway(), 'lan.nguyen@example.vn');
      await openCase(gateway(), lan, 'ACCESS');
      const response = await gateway().query(
        OFFICER,
        `query($id: ID!) { ...Lookup } fragment Lookup on Query { person: customer(id: $id) { email
           orders { edges { node { shipment { recipientPhone } } } } } }`,
        { id: lan },
      );
      expect(response.errors).toBeUndefined();
      expect(response.data.person.email).toBe('lan.nguyen@example.vn');
      expect(response.data.person.orders.edges[0].node.shipment.recipientPhone).toBe('+84912345678');
    });

    test('the privacy officer has a disclosure budget like the other roles', () => {
      expect(loadConfig({ JWT_SECRET: 'x'.repeat(32) }).disclosureLimits.perRole.PRIVACY_OFFICER).toBeGreaterThan(0);
    });
  });

  describe('consent and links', () => {
    test('a grant for a deregistered customer is refused with CUSTOMER_DEREGISTERED, and nothing is written', async () => {
      const viet = await registerAndDeregister(gateway(), 'viet.dang3@example.vn', '0933 222 444');
      const count = async () =>
        (
          await gateway().database.dataSource.query(
            'SELECT count(*)::int AS n FROM consent_records WHERE customer_id = $1',
            [viet],
          )
        )[0].n;
      const before = await count();
      const response = await gateway().query(
        SUPPORT,
        `mutation($id: ID!) { grantConsent(customerId: $id, topic: PROMOTIONS, channel: SUPPORT) { status } }`,
        { id: viet },
      );
      expect(errorCodes(response)).toEqual(['CUSTOMER_DEREGISTERED']);
      expect(response.data).toBeNull();
      expect(await count()).toBe(before);
      const audience = await gateway().query(
        MARKETING,
        `{ marketingAudience(topic: PROMOTIONS, first: 100) { edges { node { id } } } }`,
      );
      expect(audience.data.marketingAudience.edges.map((e: any) => e.node.id)).not.toContain(viet);
    });

    test('MARKETING gets no link, no consents and no history for a customer outside its audience', async () => {
      const ha = await customerIdByEmail(gateway(), 'ha.le@example.vn');
      const response = await gateway().query(
        MARKETING,
        `query($id: ID!) { customer(id: $id) { id unsubscribeUrl(topic: PROMOTIONS) consents { topic }
           consentHistory { topic actorId } } }`,
        { id: ha },
      );
      expect(response.data.customer).toEqual({ id: ha, unsubscribeUrl: null, consents: [], consentHistory: [] });
      expect(errorCodes(response)).toEqual([
        'CONSENT_REQUIRED Customer.unsubscribeUrl',
        'OUT_OF_SCOPE Customer.consentHistory',
        'OUT_OF_SCOPE Customer.consents',
      ]);
    });

    test('a link for a topic the customer did not grant is refused, even inside the audience', async () => {
      const response = await gateway().query(
        MARKETING,
        `{ marketingAudience(topic: PET_CARE_ADVICE) { edges { node { unsubscribeUrl(topic: PROMOTIONS) } } } }`,
      );
      const urls = response.data.marketingAudience.edges.map((e: any) => e.node.unsubscribeUrl);
      expect(urls.length).toBeGreaterThan(0);
      expect(urls.every((url: string | null) => url === null)).toBe(true);
      expect(errorCodes(response)).toEqual(['CONSENT_REQUIRED Customer.unsubscribeUrl']);
    });

    test('minting a link is audited under the caller, and the withdrawal it causes names who issued it', async () => {
      const lan = await customerIdByEmail(gateway(), 'lan.nguyen@example.vn');
      const minted = await gateway().query(
        MARKETING,
        `{ marketingAudience(topic: NEWSLETTER, first: 100) { edges { node { id unsubscribeUrl(topic: NEWSLETTER)
           consents { topic status } } } } }`,
      );
      expect(minted.errors).toBeUndefined();
      const node = minted.data.marketingAudience.edges.map((e: any) => e.node).find((n: any) => n.id === lan);
      expect(node.consents).toContainEqual({ topic: 'NEWSLETTER', status: 'GRANTED' });
      expect(await auditOf(gateway(), minted.requestId)).toContainEqual({
        customerId: lan,
        decision: 'RELEASED',
        reason: null,
        fields: ['Customer.unsubscribeUrl'],
        principalId: 'test-marketing',
      });

      const token = new URL(node.unsubscribeUrl).searchParams.get('token');
      const used = await gateway().post({
        query: `mutation($token: String!) { unsubscribe(token: $token) { topics } }`,
        variables: { token },
      });
      expect(used.data.unsubscribe.topics).toEqual(['NEWSLETTER']);
      const history = await gateway().query(
        SUPPORT,
        `query($id: ID!) { customer(id: $id) { consentHistory { topic status channel actorId linkIssuedBy } } }`,
        { id: lan },
      );
      expect(history.data.customer.consentHistory[0]).toEqual({
        topic: 'NEWSLETTER',
        status: 'WITHDRAWN',
        channel: 'EMAIL_LINK',
        actorId: expect.stringMatching(/^unsubscribe-link:/),
        linkIssuedBy: 'test-marketing',
      });
    });
  });
});

describeOnEachDatabase(
  'a match spends the disclosure budget',
  (gateway) => {
    test('past the budget a search matches nobody new, and a subject already counted still matches', async () => {
      const lan = await customerIdByEmail(gateway(), 'lan.nguyen@example.vn');
      const first = await gateway().query(SUPPORT, SEARCH_IDS, { s: 'lan.nguyen@example.vn' });
      expect(first.data.customers.edges.map((e: any) => e.node.id)).toEqual([lan]);

      const other = await gateway().query(SUPPORT, SEARCH_IDS, { s: 'minh.tran@example.vn' });
      expect(other.errors).toBeUndefined();
      expect(other.data.customers.edges).toEqual([]);
      expect((await auditOf(gateway(), other.requestId)).map((e: any) => e.reason)).toEqual(['DISCLOSURE_LIMIT']);

      const again = await gateway().query(SUPPORT, SEARCH_IDS, { s: 'nguyen thi lan' });
      expect(again.data.customers.edges.map((e: any) => e.node.id)).toEqual([lan]);
      // The match counted: reading Minh's fields is past the budget too.
      const minh = await customerIdByEmail(gateway(), 'minh.tran@example.vn');
      const read = await gateway().query(SUPPORT, `query($id: ID!) { customer(id: $id) { email } }`, { id: minh });
      expect(errorCodes(read)).toEqual(['DISCLOSURE_LIMIT Customer.email']);
    });
  },
  { DISCLOSURE_LIMITS: 'SUPPORT_AGENT:1' },
);

describeOnEachDatabase(
  'paging a search tells nothing the budget withholds',
  (gateway) => {
    test('"more follow" is said only of a customer the principal may match', async () => {
      await gateway().database.dataSource.query(
        `INSERT INTO customers (full_name, name_words, email, phone)
         VALUES ('Phạm Minh Khoa', '{pham,minh,khoa}', 'khoa.pham@example.vn', '+84977000001'),
                ('Lý Văn Khoa', '{ly,van,khoa}', 'khoa.ly@example.vn', '+84977000002')`,
      );
      const response = await gateway().query(
        SUPPORT,
        `{ customers(search: "khoa", first: 1) { edges { node { id } } pageInfo { hasNextPage } } }`,
      );
      expect(response.errors).toBeUndefined();
      expect(response.data.customers.edges).toHaveLength(1);
      expect(response.data.customers.pageInfo.hasNextPage).toBe(false);
      const trail = await auditOf(gateway(), response.requestId);
      expect(trail.map((event: any) => [event.decision, event.reason])).toEqual([
        ['MATCHED', null],
        ['WITHHELD', 'DISCLOSURE_LIMIT'],
      ]);
    });
  },
  { DISCLOSURE_LIMITS: 'SUPPORT_AGENT:1' },
);
