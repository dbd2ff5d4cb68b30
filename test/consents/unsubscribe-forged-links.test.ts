import { randomUUID } from 'node:crypto';
import { PUBLIC_URL, UNSUBSCRIBE, flip, unsubscribeClaims, unsubscribeThrough } from '../support/unsubscribe';
import { forgeToken, now } from '../support/tokens';
import { describeOnEachDatabase, TEST_SECRET } from '../support/gateway';
import { signUnsubscribeToken, unsubscribeLinkKey } from '../../src/consents/unsubscribe-links';

/**
 * One-click unsubscribe (see test/support/unsubscribe.ts): A link that is altered, expired, foreign or garbage is refused by the mutation, the POST
 * and the GET page alike, and changes nothing.
 * Each test registers its own customers, so the tests do not depend on each other.
 */

describeOnEachDatabase(
  'one-click unsubscribe',
  (gateway) => {
    const {
      unsubscribeEndpoint,
      register,
      audience,
      linkFor,
      consentRows,
      currentStatus,
      linkUses,
      postLink,
      getPage,
      anonymously,
    } = unsubscribeThrough(gateway);

    describe('a link that is not genuine, or no longer valid, is refused and changes nothing', () => {
      type Forge = (customerId: string, genuine: string) => Promise<string>;
      const cases: [string, Forge, 'expired' | 'not valid'][] = [
        ['signed with the auth secret itself', (customerId) => forgeToken(unsubscribeClaims(customerId)), 'not valid'],
        [
          'signed with another secret',
          (customerId) =>
            signUnsubscribeToken(
              'another-secret-that-is-also-32-bytes-long!',
              { customerId, topic: 'PROMOTIONS' },
              now() + 3600,
            ),
          'not valid',
        ],
        ['a character of the signature flipped', async (_id, genuine) => flip(genuine, 2, 10), 'not valid'],
        ['a character of the payload flipped', async (_id, genuine) => flip(genuine, 1, 20), 'not valid'],
        [
          'the payload rewritten to cover every topic',
          async (_id, genuine) => {
            const [header, payload, signature] = genuine.split('.');
            const { topic: _dropped, ...everyTopic } = JSON.parse(Buffer.from(payload, 'base64url').toString());
            return `${header}.${Buffer.from(JSON.stringify(everyTopic)).toString('base64url')}.${signature}`;
          },
          'not valid',
        ],
        ['the signature stripped', async (_id, genuine) => `${genuine.split('.').slice(0, 2).join('.')}.`, 'not valid'],
        [
          'expired',
          (customerId) =>
            signUnsubscribeToken(TEST_SECRET, { customerId, topic: 'PROMOTIONS' }, now() - 60, randomUUID()),
          'expired',
        ],
        [
          'without the unsubscribe audience',
          (customerId) =>
            forgeToken(unsubscribeClaims(customerId, { aud: undefined }), { key: unsubscribeLinkKey(TEST_SECRET) }),
          'not valid',
        ],
        [
          'for a topic that does not exist',
          (customerId) =>
            forgeToken(unsubscribeClaims(customerId, { topic: 'EVERYTHING' }), {
              key: unsubscribeLinkKey(TEST_SECRET),
            }),
          'not valid',
        ],
        [
          'for a customer that does not exist',
          () => signUnsubscribeToken(TEST_SECRET, { customerId: randomUUID(), topic: 'PROMOTIONS' }, now() + 3600),
          'not valid',
        ],
        ['an auth token of the gateway', () => gateway().token('MARKETING'), 'not valid'],
        ['garbage', async () => 'not-a-token', 'not valid'],
        ['empty', async () => '', 'not valid'],
      ];

      test.each(cases)('%s', async (_title, forge, problem) => {
        const customerId = await register(['PROMOTIONS', 'NEWSLETTER']);
        const genuine = await linkFor(customerId, 'PROMOTIONS');
        const token = await forge(customerId, genuine);
        const rows = await consentRows(customerId);
        const uses = await linkUses();
        const message = `this unsubscribe link ${problem === 'expired' ? 'has expired' : 'is not valid'}`;

        const mutation = await anonymously({ query: UNSUBSCRIBE, variables: { token } });
        expect(mutation.data ?? null).toBeNull();
        expect(mutation.errors).toEqual([
          expect.objectContaining({
            message,
            extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argumentPath: ['token'] }),
          }),
        ]);

        const posted = await postLink(token, { accept: 'application/json' });
        expect(posted.status).toBe(400);
        expect(JSON.parse(posted.body)).toEqual({
          error: { code: 'BAD_USER_INPUT', reason: problem === 'expired' ? 'EXPIRED' : 'INVALID', message },
        });
        const plain = await postLink(token);
        expect(plain.status).toBe(400);
        expect(plain.body).toMatch(
          problem === 'expired' ? /đã hết hạn[\s\S]*has expired/ : /không hợp lệ[\s\S]*not valid/,
        );

        const page = await getPage(`?token=${encodeURIComponent(token)}`);
        expect(page.status).toBe(400);
        expect(page.body).toMatch(
          problem === 'expired' ? /đã hết hạn[\s\S]*has expired/ : /không hợp lệ[\s\S]*not valid/,
        );
        expect(page.body).not.toContain('<form');

        expect(await consentRows(customerId)).toEqual(rows);
        expect(await linkUses()).toBe(uses);
        expect((await audience('PROMOTIONS')).map((n) => n.id)).toContain(customerId);
        // The genuine link still works afterwards.
        expect((await postLink(genuine)).status).toBe(200);
        expect(await currentStatus(customerId)).toEqual({ PROMOTIONS: 'WITHDRAWN', NEWSLETTER: 'GRANTED' });
      });

      test('a missing or repeated token parameter is not a link', async () => {
        for (const query of ['', '?token=', '?token=a&token=b']) {
          expect((await getPage(query)).status).toBe(400);
          const response = await fetch(`${unsubscribeEndpoint()}${query}`, { method: 'POST' });
          expect(response.status).toBe(400);
        }
      });

      test('a body over 1kb is refused without a stack trace', async () => {
        const response = await fetch(`${unsubscribeEndpoint()}?token=x`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `List-Unsubscribe=${'x'.repeat(2000)}`,
        });
        expect(response.status).toBe(413);
        expect(await response.text()).not.toMatch(/at .*\.js|Error:/);
      });
    });
  },
  { PUBLIC_URL },
);
