import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { signUnsubscribeToken, unsubscribeLinkKey } from '../../src/consents/unsubscribe-links';
import type { ConsentTopic } from '../../src/policy';
import {
  describeOnEachDatabase,
  errorCodes,
  POLICY_VERSION,
  TEST_SECRET,
  type Caller,
  type GraphQLResponse,
} from '../support/gateway';

/**
 * One-click unsubscribe (P6, RFC 8058): a signed, expiring link per customer and topic
 * (or every topic), used without login by POST /unsubscribe, by the button of the
 * GET page, or by the `unsubscribe` mutation. It withdraws on the EMAIL_LINK channel,
 * effective on the very next request; it works once, and a second use is harmless.
 * A link that is altered, expired, foreign or garbage changes nothing.
 *
 * Each test registers its own customers, so the tests do not depend on each other.
 */

const PUBLIC_URL = 'https://privacy.petto.test';
const STOREFRONT: Caller = { role: 'STOREFRONT' };
const MARKETING: Caller = { role: 'MARKETING' };

const REGISTER = `
  mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { id } }`;
const AUDIENCE = `
  query($topic: ConsentTopic!) {
    marketingAudience(topic: $topic, first: 100) { edges { node { id email unsubscribeUrl(topic: $topic) } } }
  }`;
const AUDIENCE_EVERY_TOPIC = `
  query($topic: ConsentTopic!) {
    marketingAudience(topic: $topic, first: 100) { edges { node { id unsubscribeUrl } } }
  }`;
const UNSUBSCRIBE = `
  mutation($token: String!) { unsubscribe(token: $token) { topics alreadyUsed message } }`;

const now = () => Math.floor(Date.now() / 1000);

function claimsOf(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

function tokenOf(url: string): string {
  const parsed = new URL(url);
  expect(`${parsed.origin}${parsed.pathname}`).toBe(`${PUBLIC_URL}/unsubscribe`);
  return parsed.searchParams.get('token') as string;
}

/** Replaces the character at `index` of the segment with another base64url character. */
function flip(token: string, segment: 1 | 2, index: number): string {
  const parts = token.split('.');
  const part = parts[segment];
  const i = index < 0 ? part.length + index : index;
  const replacement = part[i] === 'A' ? 'B' : 'A';
  parts[segment] = `${part.slice(0, i)}${replacement}${part.slice(i + 1)}`;
  return parts.join('.');
}

interface ConsentRow {
  topic: string;
  status: string;
  channel: string;
  actor_id: string;
  policy_version: string;
}

describeOnEachDatabase(
  'one-click unsubscribe',
  (gateway) => {
    const unsubscribeEndpoint = () => gateway().url.replace(/\/graphql$/, '/unsubscribe');

    async function register(consents: ConsentTopic[]): Promise<string> {
      const response = await gateway().query(STOREFRONT, REGISTER, {
        input: {
          fullName: 'Phạm Thị Hồng',
          email: `hong.${randomUUID().slice(0, 8)}@example.vn`,
          phone: '0912 000 111',
          consents,
          consentChannel: 'CHECKOUT',
        },
      });
      expect(response.errors).toBeUndefined();
      return response.data.registerCustomer.id;
    }

    async function audience(topic: ConsentTopic, query = AUDIENCE): Promise<any[]> {
      const response = await gateway().query(MARKETING, query, { topic });
      expect(response.errors).toBeUndefined();
      return response.data.marketingAudience.edges.map((edge: any) => edge.node);
    }

    /** The link MARKETING is given for the customer, reached through marketingAudience(topic). */
    async function linkFor(customerId: string, topic: ConsentTopic, everyTopic = false): Promise<string> {
      const node = (await audience(topic, everyTopic ? AUDIENCE_EVERY_TOPIC : AUDIENCE)).find(
        (n) => n.id === customerId,
      );
      expect(node?.unsubscribeUrl).toEqual(expect.any(String));
      return tokenOf(node.unsubscribeUrl);
    }

    async function consentRows(customerId: string): Promise<ConsentRow[]> {
      return gateway().database.dataSource.query(
        `SELECT topic, status, channel, actor_id, policy_version FROM consent_records
          WHERE customer_id = $1 ORDER BY recorded_at, id`,
        [customerId],
      );
    }

    async function currentStatus(customerId: string): Promise<Record<string, string>> {
      const current: Record<string, string> = {};
      for (const row of await consentRows(customerId)) current[row.topic] = row.status;
      return current;
    }

    async function linkUses(): Promise<number> {
      const [{ count }] = await gateway().database.dataSource.query(
        'SELECT count(*)::int AS count FROM unsubscribe_link_uses',
      );
      return count;
    }

    async function postLink(
      token: string,
      headers: Record<string, string> = {},
    ): Promise<{ status: number; type: string; body: string }> {
      const response = await fetch(`${unsubscribeEndpoint()}?token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: 'List-Unsubscribe=One-Click',
      });
      return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
    }

    async function getPage(query: string): Promise<{ status: number; headers: Headers; body: string }> {
      const response = await fetch(`${unsubscribeEndpoint()}${query}`);
      return { status: response.status, headers: response.headers, body: await response.text() };
    }

    /** The mutation, with no Authorization header at all. */
    function anonymously(body: unknown): Promise<GraphQLResponse> {
      return gateway().post(body);
    }

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

    describe('POST /unsubscribe (RFC 8058 one-click, no login)', () => {
      test('withdraws the topic on EMAIL_LINK, effective on the very next request', async () => {
        const customerId = await register(['PROMOTIONS', 'NEWSLETTER']);
        const token = await linkFor(customerId, 'PROMOTIONS');
        const { jti } = claimsOf(token);

        const response = await postLink(token);
        expect(response.status).toBe(200);
        expect(response.type).toMatch(/^text\/plain/);
        expect(response.body).toContain('Bạn đã ngừng nhận email khuyến mãi từ Petto');
        expect(response.body).toContain('You will no longer receive promotional emails from Petto');

        expect(await consentRows(customerId)).toEqual([
          expect.objectContaining({ topic: 'PROMOTIONS', status: 'GRANTED', channel: 'CHECKOUT' }),
          expect.objectContaining({ topic: 'NEWSLETTER', status: 'GRANTED', channel: 'CHECKOUT' }),
          {
            topic: 'PROMOTIONS',
            status: 'WITHDRAWN',
            channel: 'EMAIL_LINK',
            actor_id: `unsubscribe-link:${jti}`,
            policy_version: POLICY_VERSION,
          },
        ]);
        const [use] = await gateway().database.dataSource.query(
          'SELECT customer_id FROM unsubscribe_link_uses WHERE link_id = $1',
          [jti],
        );
        expect(use).toEqual({ customer_id: customerId });

        // The very next request: out of the PROMOTIONS audience, still in the NEWSLETTER one.
        expect((await audience('PROMOTIONS')).map((n) => n.id)).not.toContain(customerId);
        expect((await audience('NEWSLETTER')).map((n) => n.id)).toContain(customerId);
      });

      test('a second POST of the same link is harmless: 200, nothing new recorded', async () => {
        const customerId = await register(['PROMOTIONS']);
        const token = await linkFor(customerId, 'PROMOTIONS');
        expect((await postLink(token)).status).toBe(200);
        const rows = await consentRows(customerId);
        const uses = await linkUses();

        const again = await postLink(token, { accept: 'application/json' });
        expect(again.status).toBe(200);
        expect(JSON.parse(again.body)).toEqual({
          topics: [],
          alreadyUsed: true,
          message: expect.stringContaining('already used'),
        });
        expect(await consentRows(customerId)).toEqual(rows);
        expect(await linkUses()).toBe(uses);
      });

      test('a link works once: after the customer opts in again, replaying it changes nothing', async () => {
        const customerId = await register(['PROMOTIONS']);
        const token = await linkFor(customerId, 'PROMOTIONS');
        expect((await postLink(token)).status).toBe(200);
        const regrant = await gateway().query(
          STOREFRONT,
          `mutation($id: ID!) { grantConsent(customerId: $id, topic: PROMOTIONS, channel: ACCOUNT) { status } }`,
          { id: customerId },
        );
        expect(regrant.data).toEqual({ grantConsent: { status: 'GRANTED' } });

        const replay = await postLink(token, { accept: 'application/json' });
        expect(JSON.parse(replay.body)).toMatchObject({ alreadyUsed: true, topics: [] });
        expect(await currentStatus(customerId)).toEqual({ PROMOTIONS: 'GRANTED' });
        expect((await audience('PROMOTIONS')).map((n) => n.id)).toContain(customerId);
      });

      test('a browser gets a page in Vietnamese and English', async () => {
        const customerId = await register(['PROMOTIONS']);
        const token = await linkFor(customerId, 'PROMOTIONS');
        const response = await postLink(token, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
        expect(response.status).toBe(200);
        expect(response.type).toMatch(/^text\/html/);
        expect(response.body).toContain('<section lang="vi">');
        expect(response.body).toContain('<section lang="en">');
        expect(await currentStatus(customerId)).toEqual({ PROMOTIONS: 'WITHDRAWN' });
      });

      test('concurrent uses of one link: one withdraws, the others are told it was used', async () => {
        const customerId = await register(['PROMOTIONS', 'GREETINGS']);
        const token = await linkFor(customerId, 'PROMOTIONS');
        const answers = await Promise.all(
          [1, 2, 3].map(() => postLink(token, { accept: 'application/json' }).then((r) => JSON.parse(r.body))),
        );
        expect(answers.map((a) => a.alreadyUsed).sort()).toEqual([false, true, true]);
        const withdrawals = (await consentRows(customerId)).filter((r) => r.status === 'WITHDRAWN');
        expect(withdrawals).toEqual([expect.objectContaining({ topic: 'PROMOTIONS', channel: 'EMAIL_LINK' })]);
      });

      test('a link without a topic withdraws every granted topic, and only those', async () => {
        const customerId = await register(['PROMOTIONS', 'NEWSLETTER', 'GREETINGS']);
        const token = await linkFor(customerId, 'GREETINGS', true);
        const response = await postLink(token, { accept: 'application/json' });
        expect(response.status).toBe(200);
        const body = JSON.parse(response.body);
        expect(body.alreadyUsed).toBe(false);
        expect([...body.topics].sort()).toEqual(['GREETINGS', 'NEWSLETTER', 'PROMOTIONS']);
        expect(await currentStatus(customerId)).toEqual({
          PROMOTIONS: 'WITHDRAWN',
          NEWSLETTER: 'WITHDRAWN',
          GREETINGS: 'WITHDRAWN',
        });
        const withdrawals = (await consentRows(customerId)).filter((r) => r.status === 'WITHDRAWN');
        expect(withdrawals).toHaveLength(3);
        for (const row of withdrawals) {
          expect(row).toMatchObject({ channel: 'EMAIL_LINK', actor_id: `unsubscribe-link:${claimsOf(token).jti}` });
        }
        for (const topic of ['PROMOTIONS', 'NEWSLETTER', 'GREETINGS'] as const) {
          expect((await audience(topic)).map((n) => n.id)).not.toContain(customerId);
        }
      });
    });

    describe('GET /unsubscribe', () => {
      test('shows a self-contained confirmation page, Vietnamese first, and changes nothing', async () => {
        const customerId = await register(['PROMOTIONS']);
        const token = await linkFor(customerId, 'PROMOTIONS');
        const rows = await consentRows(customerId);
        const uses = await linkUses();

        const page = await getPage(`?token=${encodeURIComponent(token)}`);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
        expect(page.headers.get('cache-control')).toBe('no-store');
        expect(page.headers.get('referrer-policy')).toBe('no-referrer');
        expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
        expect(page.body).toMatch(/^<!doctype html>\n<html lang="vi">/);
        const vi = page.body.indexOf('<section lang="vi">');
        const en = page.body.indexOf('<section lang="en">');
        expect(vi).toBeGreaterThan(0);
        expect(en).toBeGreaterThan(vi);
        expect(page.body).toContain('Bạn muốn ngừng nhận email khuyến mãi từ Petto?');
        expect(page.body).toContain('Stop receiving promotional emails from Petto?');
        expect(page.body).toContain(`<form method="post" action="?token=${token}">`);
        expect(page.body).not.toMatch(/<script|<link|<img|src=|https?:\/\//i);

        // Fetched again (mail scanners do), still nothing.
        expect((await getPage(`?token=${encodeURIComponent(token)}`)).status).toBe(200);
        expect(await consentRows(customerId)).toEqual(rows);
        expect(await linkUses()).toBe(uses);
        expect((await audience('PROMOTIONS')).map((n) => n.id)).toContain(customerId);
      });

      test("the page's button unsubscribes: it POSTs to the same URL", async () => {
        const customerId = await register(['PROMOTIONS']);
        const token = await linkFor(customerId, 'PROMOTIONS');
        const page = await getPage(`?token=${encodeURIComponent(token)}`);
        const action = page.body.match(/<form method="post" action="([^"]+)">/)?.[1] as string;
        const target = new URL(action.replace(/&amp;/g, '&'), `${unsubscribeEndpoint()}?token=x`);
        const response = await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
          body: 'List-Unsubscribe=One-Click',
        });
        expect(response.status).toBe(200);
        expect(await currentStatus(customerId)).toEqual({ PROMOTIONS: 'WITHDRAWN' });

        const after = await getPage(`?token=${encodeURIComponent(token)}`);
        expect(after.status).toBe(200);
        expect(after.body).toContain('Liên kết này đã được sử dụng');
        expect(after.body).toContain('This link has already been used');
        expect(after.body).not.toContain('<form');
      });

      test('does not echo what it was given: markup in the token is refused, not reflected', async () => {
        const page = await getPage(`?token=${encodeURIComponent('"><script>alert(1)</script>')}`);
        expect(page.status).toBe(400);
        expect(page.body).not.toContain('<script');
        expect(page.body).toContain('Liên kết hủy đăng ký này không hợp lệ');
        expect(page.body).toContain('This unsubscribe link is not valid');
      });
    });

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

    describe('a link that is not genuine, or no longer valid, is refused and changes nothing', () => {
      type Forge = (customerId: string, genuine: string) => Promise<string>;
      const cases: [string, Forge, 'expired' | 'not valid'][] = [
        [
          'signed with the auth secret itself',
          (customerId) =>
            new SignJWT({ topic: 'PROMOTIONS' })
              .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
              .setSubject(customerId)
              .setAudience('petto:unsubscribe')
              .setJti(randomUUID())
              .setExpirationTime('1h')
              .sign(new TextEncoder().encode(TEST_SECRET)),
          'not valid',
        ],
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
            new SignJWT({ topic: 'PROMOTIONS' })
              .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
              .setSubject(customerId)
              .setJti(randomUUID())
              .setExpirationTime('1h')
              .sign(unsubscribeLinkKey(TEST_SECRET)),
          'not valid',
        ],
        [
          'for a topic that does not exist',
          (customerId) =>
            new SignJWT({ topic: 'EVERYTHING' })
              .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
              .setSubject(customerId)
              .setAudience('petto:unsubscribe')
              .setJti(randomUUID())
              .setExpirationTime('1h')
              .sign(unsubscribeLinkKey(TEST_SECRET)),
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
        const token = await new SignJWT({ topic: 'PROMOTIONS' })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setSubject(randomUUID())
          .setAudience('petto:unsubscribe')
          .setJti(randomUUID())
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(TEST_SECRET));
        const response = await gateway().post({ query: '{ me { id role } }' }, { authorization: `Bearer ${token}` });
        expect(response.status).toBe(403);
        expect(errorCodes(response)).toEqual(['FORBIDDEN']);
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
