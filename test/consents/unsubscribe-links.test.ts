import { randomUUID } from 'node:crypto';
import { PUBLIC_URL, tokenOf, unsubscribeClaims, unsubscribeThrough } from '../support/unsubscribe';
import { claimsOf, forgeToken, now } from '../support/tokens';
import { describeOnEachDatabase, errorCodes, type Caller } from '../support/gateway';

/**
 * One-click unsubscribe (see test/support/unsubscribe.ts): The link MARKETING is given per customer of the audience (Customer.unsubscribeUrl), who
 * else is refused one, and that a link is no login.
 * Each test registers its own customers, so the tests do not depend on each other.
 */

describeOnEachDatabase(
  'one-click unsubscribe',
  (gateway) => {
    const { register, audience, linkFor } = unsubscribeThrough(gateway);

    describe('Customer.unsubscribeUrl', () => {
      test('MARKETING gets a signed, expiring link per customer of the audience', async () => {
        const customerId = await register(['PROMOTIONS']);
        const nodes = await audience('PROMOTIONS');
        expect(nodes.length).toBeGreaterThan(1);
        for (const node of nodes) {
          const claims = claimsOf(tokenOf(node.unsubscribeUrl));
          expect(claims).toEqual({
            sub: node.id,
            topic: 'PROMOTIONS',
            aud: 'petto:unsubscribe',
            // Who minted it: recorded with the withdrawal the link causes.
            iss: 'test-marketing',
            jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
            iat: expect.any(Number),
            exp: expect.any(Number),
          });
          // 30 days by default.
          expect(claims.exp - now()).toBeGreaterThan(30 * 86400 - 120);
          expect(claims.exp - now()).toBeLessThanOrEqual(30 * 86400 + 5);
        }
        expect(nodes.map((n) => n.id)).toContain(customerId);
        // Every link has its own id.
        const ids = nodes.map((n) => claimsOf(tokenOf(n.unsubscribeUrl)).jti);
        expect(new Set(ids).size).toBe(ids.length);
      });

      test('without a topic the link covers every topic', async () => {
        const customerId = await register(['NEWSLETTER']);
        const claims = claimsOf(await linkFor(customerId, 'NEWSLETTER', true));
        expect(claims.sub).toBe(customerId);
        expect(claims).not.toHaveProperty('topic');
      });

      test.each<[string, Caller]>([
        ['SUPPORT_AGENT', { role: 'SUPPORT_AGENT', purpose: 'CUSTOMER_CARE' }],
        ['PRIVACY_OFFICER', { role: 'PRIVACY_OFFICER', purpose: 'DATA_SUBJECT_REQUEST' }],
        ['ANALYST', { role: 'ANALYST' }],
      ])('%s gets null and a PURPOSE_NOT_ALLOWED denial, which is audited', async (_role, caller) => {
        const customerId = await register(['PROMOTIONS']);
        const response = await gateway().query(
          caller,
          `query($id: ID!) { customer(id: $id) { id unsubscribeUrl(topic: PROMOTIONS) } }`,
          { id: customerId },
        );
        expect(response.data).toEqual({ customer: { id: customerId, unsubscribeUrl: null } });
        expect(errorCodes(response)).toEqual(['PURPOSE_NOT_ALLOWED Customer.unsubscribeUrl']);
        expect(JSON.stringify(response)).not.toContain('token=');
        const audited = await gateway().database.dataSource.query(
          `SELECT decision, reason FROM audit_events
            WHERE request_id = $1 AND customer_id = $2 AND 'Customer.unsubscribeUrl' = ANY(fields)`,
          [response.requestId, customerId],
        );
        expect(audited).toEqual([{ decision: 'WITHHELD', reason: 'PURPOSE_NOT_ALLOWED' }]);
      });
    });

    describe('an unsubscribe link is no login', () => {
      test('used as a Bearer token it is UNAUTHENTICATED', async () => {
        const customerId = await register(['PROMOTIONS']);
        const token = await linkFor(customerId, 'PROMOTIONS');
        const response = await gateway().post({ query: '{ me { id role } }' }, { authorization: `Bearer ${token}` });
        expect(response.status).toBe(401);
        expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
        expect(response.data ?? null).toBeNull();
      });

      test('an unsubscribe-shaped token signed with the auth secret names no role: FORBIDDEN', async () => {
        const token = await forgeToken(unsubscribeClaims(randomUUID()));
        const response = await gateway().post({ query: '{ me { id role } }' }, { authorization: `Bearer ${token}` });
        expect(response.status).toBe(403);
        expect(errorCodes(response)).toEqual(['FORBIDDEN']);
      });
    });
  },
  { PUBLIC_URL },
);
