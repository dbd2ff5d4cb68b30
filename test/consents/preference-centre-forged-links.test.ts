import { randomUUID } from 'node:crypto';
import { signUnsubscribeToken, unsubscribeLinkKey } from '../../src/consents/unsubscribe-links';
import { describeOnEachDatabase, TEST_SECRET } from '../support/gateway';
import { FORMS, preferenceCentreThrough } from '../support/preference-centre';
import { forgeToken, now } from '../support/tokens';
import { flip, PUBLIC_URL, unsubscribeClaims, unsubscribeThrough } from '../support/unsubscribe';

/**
 * The preference centre's forms need a genuine, valid token in their body: a link that
 * is altered, expired, foreign or garbage, a token elsewhere than in the body, or a form
 * the centre did not make is refused by the page and by every form, and changes nothing
 * (no consent record, no link use, no cancellation).
 */

describeOnEachDatabase(
  'preference centre forged links',
  (gateway) => {
    const { register, linkFor } = unsubscribeThrough(gateway);
    const { open, post, changeableState: state } = preferenceCentreThrough(gateway);

    type Forge = (customerId: string, genuine: string) => Promise<string>;
    const forgeries: [string, Forge, 'expired' | 'not valid'][] = [
      ['signed with the auth secret', async (id) => forgeToken(unsubscribeClaims(id)), 'not valid'],
      ['a character of the signature flipped', async (_id, genuine) => flip(genuine, 2, 10), 'not valid'],
      [
        'the issuer rewritten',
        async (_id, genuine) => {
          const [header, payload, signature] = genuine.split('.');
          const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), iss: 'someone-else' };
          return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
        },
        'not valid',
      ],
      [
        'expired',
        (id) => signUnsubscribeToken(TEST_SECRET, { customerId: id, topic: 'PROMOTIONS' }, now() - 60),
        'expired',
      ],
      [
        'for a customer that does not exist',
        () => signUnsubscribeToken(TEST_SECRET, { customerId: randomUUID(), topic: 'PROMOTIONS' }, now() + 3600),
        'not valid',
      ],
      [
        'for a topic that does not exist',
        (id) => forgeToken(unsubscribeClaims(id, { topic: 'EVERYTHING' }), { key: unsubscribeLinkKey(TEST_SECRET) }),
        'not valid',
      ],
      ['an auth token of the gateway', () => gateway().token('MARKETING'), 'not valid'],
      ['garbage', async () => 'not-a-token', 'not valid'],
      ['empty', async () => '', 'not valid'],
    ];

    test.each(forgeries)('a link %s is refused by the page and by every form', async (_title, forge, problem) => {
      const customerId = await register(['PROMOTIONS', 'NEWSLETTER']);
      const token = await forge(customerId, await linkFor(customerId, 'PROMOTIONS'));
      const before = await state();
      const refusal = problem === 'expired' ? /đã hết hạn[\s\S]*has expired/ : /không hợp lệ[\s\S]*not valid/;

      const answers = [await open(token), ...(await Promise.all(FORMS.map((form) => post({ ...form, token }))))];
      for (const answer of answers) {
        expect(answer.status).toBe(400);
        expect(answer.body).toMatch(refusal);
        expect(answer.body).not.toContain('<form');
        expect(answer.body).not.toContain('data-topic');
      }
      expect(await state()).toEqual(before);
    });

    test('a form without the token in its body does nothing, wherever else the token is', async () => {
      const customerId = await register(['PROMOTIONS', 'NEWSLETTER']);
      const token = await linkFor(customerId, 'PROMOTIONS');
      const before = await state();
      for (const form of FORMS) {
        for (const query of ['', `?token=${encodeURIComponent(token)}`]) {
          const answer = await post(form, query);
          expect(answer.status).toBe(400);
          expect(answer.body).not.toContain('<form');
        }
      }
      // A repeated token is not a token either.
      expect(
        (
          await post([
            ['preference', 'view'],
            ['token', token],
            ['token', token],
          ])
        ).status,
      ).toBe(400);
      expect(await state()).toEqual(before);
    });

    test('a form that is not one of ours is refused and changes nothing', async () => {
      const customerId = await register(['PROMOTIONS']);
      const token = await linkFor(customerId, 'PROMOTIONS');
      const before = await state();
      const bad: [string, string][][] = [
        [['preference', 'delete-everything']],
        [
          ['preference', 'topic'],
          ['topic', 'EVERYTHING'],
          ['status', 'WITHDRAWN'],
        ],
        [
          ['preference', 'topic'],
          ['topic', 'PROMOTIONS'],
          ['status', 'DELETED'],
        ],
        [
          ['preference', 'topic'],
          ['topic', 'PROMOTIONS'],
        ],
        [
          ['preference', 'topic'],
          ['topic', 'PROMOTIONS'],
          ['topic', 'OFFERS'],
          ['status', 'GRANTED'],
        ],
        [
          ['preference', 'view'],
          ['preference', 'confirm-cancel-registration'],
        ],
      ];
      for (const fields of bad) {
        const answer = await post([...fields, ['token', token]]);
        expect(answer.status).toBe(400);
        expect(answer.body).toContain('Yêu cầu không hợp lệ; không có gì thay đổi.');
        expect(answer.body).not.toContain('EVERYTHING');
        expect(answer.body).not.toContain('DELETED');
      }
      expect(await state()).toEqual(before);
    });
  },
  { PUBLIC_URL },
);
