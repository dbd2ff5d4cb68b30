import { randomUUID } from 'node:crypto';
import { signUnsubscribeToken, unsubscribeLinkKey } from '../../src/consents/unsubscribe-links';
import { describeOnEachDatabase, TEST_SECRET } from '../support/gateway';
import { writesThrough } from '../support/mutations';
import { formsOf, preferenceCentreThrough, type PageAnswer } from '../support/preference-centre';
import { forgeToken, now } from '../support/tokens';
import { flip, PUBLIC_URL, unsubscribeClaims, unsubscribeThrough } from '../support/unsubscribe';
import { rowCounts } from '../support/writes';

/**
 * The preference centre against someone who is not the customer: its forms need the
 * token (no cookie, no session, so another site cannot ride on a visit), a link that is
 * not genuine or no longer valid changes nothing, a token names one customer and no form
 * field can point it elsewhere, the pages show nothing personal but topic states, and a
 * cancelled or erased registration looks the same.
 */

const FORMS: Record<string, string>[] = [
  { preference: 'view' },
  { preference: 'topic', topic: 'NEWSLETTER', status: 'WITHDRAWN' },
  { preference: 'topic', topic: 'OFFERS', status: 'GRANTED' },
  { preference: 'cancel-registration' },
  { preference: 'confirm-cancel-registration' },
];

describeOnEachDatabase(
  'preference centre attacks',
  (gateway) => {
    const { register, linkFor } = unsubscribeThrough(gateway);
    const { open, post, submit, customerRow } = preferenceCentreThrough(gateway);
    const writes = writesThrough(gateway);

    /** Everything an attempt could have changed. */
    async function state() {
      const [uses] = await gateway().database.dataSource.query('SELECT count(*)::int AS n FROM unsubscribe_link_uses');
      const deregistered = await gateway().database.dataSource.query(
        'SELECT count(*)::int AS n FROM customers WHERE deregistered_at IS NOT NULL',
      );
      return { rows: await rowCounts(gateway()), uses: uses.n, deregistered: deregistered[0].n };
    }

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

    test('no cookie is set, and answers may not be framed or cached', async () => {
      const customerId = await register(['PROMOTIONS']);
      const token = await linkFor(customerId, 'PROMOTIONS');
      for (const answer of [await open(token), await post({ preference: 'view', token })]) {
        expect(answer.headers.get('set-cookie')).toBeNull();
        expect(answer.headers.get('cache-control')).toBe('no-store');
        expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        expect(answer.headers.get('content-security-policy')).toContain("form-action 'self'");
      }
    });

    test("a token changes only its own customer's topics, whatever else the form names", async () => {
      const mine = await register(['PROMOTIONS', 'NEWSLETTER']);
      const theirs = await register(['PROMOTIONS', 'NEWSLETTER']);
      const token = await linkFor(mine, 'PROMOTIONS');
      const theirRows = await writes.consentRows(theirs);

      const answer = await post([
        ['preference', 'topic'],
        ['token', token],
        ['topic', 'NEWSLETTER'],
        ['status', 'WITHDRAWN'],
        ['customerId', theirs],
        ['sub', theirs],
      ]);
      expect(answer.status).toBe(200);
      expect((await writes.consentRows(mine)).at(-1)).toMatchObject({ topic: 'NEWSLETTER', status: 'WITHDRAWN' });
      expect(await writes.consentRows(theirs)).toEqual(theirRows);
      expect(await customerRow(theirs)).toMatchObject({ deregistered_at: null });
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

    test('no page of the centre shows a name, an address, a phone, an id or who issued the link', async () => {
      const customer = await writes.register({ consents: ['PROMOTIONS'], consentChannel: 'CHECKOUT' });
      const [stored] = await gateway().database.dataSource.query(
        'SELECT full_name, email, phone FROM customers WHERE id = $1',
        [customer.id],
      );
      const order = await writes.place(customer.id);
      const token = await linkFor(customer.id, 'PROMOTIONS');
      const pages: PageAnswer[] = [await open(token)];
      pages.push(await submit(pages[0], { preference: 'topic', topic: 'GREETINGS' }));
      pages.push(await submit(pages[1], { preference: 'cancel-registration' }));
      pages.push(await submit(pages[2], { preference: 'confirm-cancel-registration' }));
      pages.push(await open(token));
      const withoutToken = pages.map((page) => page.body.split(token).join(''));
      for (const body of withoutToken) {
        for (const secret of [
          stored.full_name,
          stored.email,
          stored.phone,
          customer.id,
          order.code,
          'test-marketing',
        ]) {
          expect(body).not.toContain(secret);
        }
        expect(body).not.toMatch(/<script|<link|<img|src=|https?:\/\//i);
      }
      // The token is the only thing a page carries back, in its forms' bodies, never in their URLs.
      for (const page of pages.slice(1)) {
        for (const form of formsOf(page.body)) expect(form.action).toBe('unsubscribe');
      }
    });

    test('a cancelled registration and an erased person look the same, and nothing can be granted', async () => {
      const deregistered = await register(['PROMOTIONS']);
      const erased = await register(['PROMOTIONS']);
      const tokens = [await linkFor(deregistered, 'PROMOTIONS'), await linkFor(erased, 'PROMOTIONS')];
      // A page loaded before the registration closed, its forms sent after.
      const stale = await open(tokens[0]);
      await writes.run(
        { role: 'PRIVACY_OFFICER' },
        `mutation($id: ID!) { deregisterCustomer(customerId: $id, channel: HOTLINE) { id } }`,
        { id: deregistered },
      );
      await writes.run(
        { role: 'PRIVACY_OFFICER' },
        `mutation($id: ID!) { eraseCustomer(customerId: $id) { customerId } }`,
        { id: erased },
      );
      const before = await state();

      const [first, second] = [await open(tokens[0]), await open(tokens[1])];
      expect(first.status).toBe(200);
      expect(first.body).toBe(second.body);
      expect(first.body).toContain('Không có tùy chọn email nào để thay đổi qua liên kết này');
      expect(first.body).not.toContain('<form');
      for (const token of tokens) {
        for (const form of FORMS) {
          const answer = await post({ ...form, token });
          expect(answer.status).toBe(200);
          expect(answer.body).toBe(first.body);
        }
      }
      expect((await submit(stale, { preference: 'topic', topic: 'OFFERS' })).body).toBe(first.body);
      expect(await state()).toEqual(before);
      expect(await customerRow(deregistered)).toMatchObject({
        deregistration_channel: 'HOTLINE',
        deregistered_by: 'test-privacy_officer',
      });
    });
  },
  { PUBLIC_URL },
);
