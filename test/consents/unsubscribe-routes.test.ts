import { PUBLIC_URL, STOREFRONT, unsubscribeThrough } from '../support/unsubscribe';
import { claimsOf } from '../support/tokens';
import { describeOnEachDatabase, POLICY_VERSION } from '../support/gateway';

/**
 * One-click unsubscribe (see test/support/unsubscribe.ts): POST /unsubscribe (RFC 8058 one-click) withdraws on the EMAIL_LINK channel, once; GET
 * /unsubscribe shows the preference centre, led by a button that POSTs the one-click, and changes nothing itself
 * (the centre's own forms are tested in preference-centre-*.test.ts).
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
    } = unsubscribeThrough(gateway);

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
        // The link's own one-click button is gone; the preference centre below it stays.
        expect(after.body).not.toContain('List-Unsubscribe');
        expect(after.body).toContain('<li data-topic="PROMOTIONS" data-status="WITHDRAWN">');
      });

      test('does not echo what it was given: markup in the token is refused, not reflected', async () => {
        const page = await getPage(`?token=${encodeURIComponent('"><script>alert(1)</script>')}`);
        expect(page.status).toBe(400);
        expect(page.body).not.toContain('<script');
        expect(page.body).toContain('Liên kết ngừng nhận email này không hợp lệ');
        expect(page.body).toContain('This unsubscribe link is not valid');
      });
    });
  },
  { PUBLIC_URL },
);
