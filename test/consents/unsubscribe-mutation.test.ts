import { PUBLIC_URL, STOREFRONT, UNSUBSCRIBE, unsubscribeThrough } from '../support/unsubscribe';
import { describeOnEachDatabase, errorCodes } from '../support/gateway';

/**
 * One-click unsubscribe (see test/support/unsubscribe.ts): The `unsubscribe` mutation, the only operation that runs without login, and the rate
 * limit on callers without a token.
 * Each test registers its own customers, so the tests do not depend on each other.
 */

describeOnEachDatabase(
  'one-click unsubscribe',
  (gateway) => {
    const { register, audience, linkFor, consentRows, currentStatus, postLink, anonymously } =
      unsubscribeThrough(gateway);

    describe('the unsubscribe mutation (no login)', () => {
      test('withdraws the topic; a second use is harmless', async () => {
        const customerId = await register(['PROMOTIONS', 'NEWSLETTER']);
        const token = await linkFor(customerId, 'NEWSLETTER');

        const first = await anonymously({ query: UNSUBSCRIBE, variables: { token } });
        expect(first.status).toBe(200);
        expect(first.errors).toBeUndefined();
        expect(first.data).toEqual({
          unsubscribe: { topics: ['NEWSLETTER'], alreadyUsed: false, message: 'you are unsubscribed from NEWSLETTER' },
        });
        expect(await currentStatus(customerId)).toEqual({ PROMOTIONS: 'GRANTED', NEWSLETTER: 'WITHDRAWN' });
        expect((await audience('NEWSLETTER')).map((n) => n.id)).not.toContain(customerId);
        const rows = await consentRows(customerId);

        const second = await anonymously({ query: UNSUBSCRIBE, variables: { token } });
        expect(second.errors).toBeUndefined();
        expect(second.data.unsubscribe).toMatchObject({ topics: [], alreadyUsed: true });
        // And by POST too: the link has been used, whichever way.
        expect(JSON.parse((await postLink(token, { accept: 'application/json' })).body).alreadyUsed).toBe(true);
        expect(await consentRows(customerId)).toEqual(rows);
      });

      test('works inline, and for a logged-in caller too', async () => {
        const customerId = await register(['GREETINGS']);
        const token = await linkFor(customerId, 'GREETINGS');
        const response = await gateway().query(
          STOREFRONT,
          `mutation { unsubscribe(token: ${JSON.stringify(token)}) { topics alreadyUsed } }`,
        );
        expect(response.data).toEqual({ unsubscribe: { topics: ['GREETINGS'], alreadyUsed: false } });
        expect(await currentStatus(customerId)).toEqual({ GREETINGS: 'WITHDRAWN' });
      });
    });

    describe('without login, nothing but the unsubscribe mutation runs', () => {
      test.each<[string, unknown]>([
        ['a query', { query: '{ me { id role } }' }],
        ['personal data', { query: '{ customers(first: 5) { edges { node { email phone } } } }' }],
        [
          'another mutation',
          {
            query:
              'mutation { unsubscribe: withdrawConsent(customerId: "x", topic: PROMOTIONS, channel: EMAIL_LINK) { status } }',
          },
        ],
        [
          'unsubscribe beside another field',
          {
            query:
              'mutation { unsubscribe(token: "x") { alreadyUsed } registerCustomer(input: {fullName: "a", email: "a@b.vn", phone: "0912345678", consents: []}) { id } }',
          },
        ],
        [
          'unsubscribe beside another operation',
          { query: 'mutation A { unsubscribe(token: "x") { alreadyUsed } } query B { me { id } }', operationName: 'A' },
        ],
        ['unsubscribe as a query', { query: '{ unsubscribe(token: "x") { alreadyUsed } }' }],
        [
          'a fragment',
          { query: 'mutation { unsubscribe(token: "x") { ...F } } fragment F on UnsubscribeResult { alreadyUsed }' },
        ],
        ['introspection', { query: '{ __schema { types { name } } }' }],
        ['a field that does not exist', { query: '{ nope }' }],
        ['a syntax error', { query: 'mutation { unsubscribe(' }],
        ['no query at all', {}],
      ])('%s is UNAUTHENTICATED (401)', async (_title, body) => {
        const response = await anonymously(body);
        expect(response.status).toBe(401);
        expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
        expect(response.data ?? null).toBeNull();
        expect(JSON.stringify(response)).not.toMatch(/@example\.vn|\+84|Cannot query/);
      });

      test('with a broken Authorization header even the unsubscribe mutation is UNAUTHENTICATED', async () => {
        const response = await gateway().post(
          { query: UNSUBSCRIBE, variables: { token: 'x' } },
          { authorization: 'Bearer not-a-jwt' },
        );
        expect(response.status).toBe(401);
        expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
      });
    });
  },
  { PUBLIC_URL },
);

describeOnEachDatabase(
  'one-click unsubscribe rate limit',
  (gateway) => {
    test('callers without a token are rate-limited per address, on the page and the mutation alike', async () => {
      const endpoint = gateway().url.replace(/\/graphql$/, '/unsubscribe');
      for (let i = 0; i < 2; i++) expect((await fetch(`${endpoint}?token=x`)).status).toBe(400);
      const mutation = await gateway().post({ query: UNSUBSCRIBE, variables: { token: 'x' } });
      expect(errorCodes(mutation)).toEqual(['BAD_USER_INPUT']);

      const limited = await fetch(`${endpoint}?token=x`);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      const limitedMutation = await gateway().post({ query: UNSUBSCRIBE, variables: { token: 'x' } });
      expect(limitedMutation.status).toBe(429);
      expect(errorCodes(limitedMutation)).toEqual(['RATE_LIMITED']);

      // A logged-in principal has a budget of its own.
      const me = await gateway().query({ role: 'ANALYST' }, '{ me { role } }');
      expect(me.data).toEqual({ me: { role: 'ANALYST' } });
    });
  },
  { RATE_LIMIT_PER_MINUTE: '3' },
);
