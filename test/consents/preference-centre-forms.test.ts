import { claimsOf } from '../support/tokens';
import { describeOnEachDatabase, POLICY_VERSION } from '../support/gateway';
import { ORDER_PROCESSOR, UPDATE_ORDER_STATUS, writesThrough } from '../support/mutations';
import { preferenceCentreThrough } from '../support/preference-centre';
import { PUBLIC_URL, unsubscribeThrough } from '../support/unsubscribe';

/**
 * The preference centre (GET /unsubscribe?token=…), form by form over plain HTTP: every
 * topic with its state, each changed on its own on the EMAIL_LINK channel under the link
 * and its issuer; the cancellation of the registration behind a confirmation step. Each
 * test registers its own customer and finds its forms in the page, as a browser would.
 */

const CONTACT = 'Petto <privacy@petto.test>';

describeOnEachDatabase(
  'preference centre forms',
  (gateway) => {
    const { register, audience, linkFor, linkUses, postLink } = unsubscribeThrough(gateway);
    const { open, submit, statesShown, customerRow } = preferenceCentreThrough(gateway);
    const writes = writesThrough(gateway);

    async function records(customerId: string) {
      return gateway().database.dataSource.query(
        `SELECT topic, status, channel, actor_id, link_issued_by, policy_version FROM consent_records
          WHERE customer_id = $1 ORDER BY recorded_at, id`,
        [customerId],
      );
    }

    test('GET shows Petto, the contact point and every topic with its state, and changes nothing', async () => {
      const customerId = await register(['PROMOTIONS', 'NEWSLETTER']);
      const token = await linkFor(customerId, 'PROMOTIONS');
      const before = await records(customerId);

      const page = await open(token);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<p class="brand">Petto</p>');
      expect(page.body).toContain('<span class="contact">Petto &lt;privacy@petto.test&gt;</span>');
      expect(statesShown(page)).toEqual({
        PROMOTIONS: 'GRANTED',
        OFFERS: 'WITHDRAWN',
        PET_CARE_ADVICE: 'WITHDRAWN',
        NEWSLETTER: 'GRANTED',
        THANK_YOU: 'WITHDRAWN',
        GREETINGS: 'WITHDRAWN',
      });
      expect(page.body).toContain(
        '<span lang="vi">thư chào hàng</span> · <span lang="en">offers and sales letters</span>',
      );
      // A single topic is "ngừng nhận"; "hủy đăng ký" names only the cancellation of the registration.
      const [topicsPart, registrationPart] = page.body.split('<section class="registration">');
      expect(topicsPart).not.toMatch(/hủy đăng ký/i);
      expect(registrationPart).toMatch(/hủy đăng ký thông tin/i);
      expect(page.body).toContain('<span lang="vi">Ngừng nhận</span> · <span lang="en">Unsubscribe</span>');
      expect(page.body).toContain('<span lang="vi">Hủy đăng ký thông tin</span>');
      expect(await records(customerId)).toEqual(before);
    });

    test('a topic form withdraws that topic alone, on EMAIL_LINK under the link and its issuer', async () => {
      const customerId = await register(['PROMOTIONS', 'NEWSLETTER']);
      const token = await linkFor(customerId, 'PROMOTIONS');
      const uses = await linkUses();

      const after = await submit(await open(token), { preference: 'topic', topic: 'NEWSLETTER' });
      expect(after.status).toBe(200);
      expect(after.body).toContain('Đã lưu: bạn đã ngừng nhận bản tin hằng tháng từ Petto.');
      expect(after.body).toContain('Saved: you will no longer receive the monthly newsletter from Petto.');
      expect(statesShown(after)).toMatchObject({ PROMOTIONS: 'GRANTED', NEWSLETTER: 'WITHDRAWN' });
      expect((await records(customerId)).at(-1)).toEqual({
        topic: 'NEWSLETTER',
        status: 'WITHDRAWN',
        channel: 'EMAIL_LINK',
        actor_id: `unsubscribe-link:${claimsOf(token).jti}`,
        link_issued_by: 'test-marketing',
        policy_version: POLICY_VERSION,
      });
      expect((await audience('NEWSLETTER')).map((n) => n.id)).not.toContain(customerId);
      expect((await audience('PROMOTIONS')).map((n) => n.id)).toContain(customerId);
      // The centre does not use up the link: its one-click still works.
      expect(await linkUses()).toBe(uses);
      const oneClick = await postLink(token, { accept: 'text/html' });
      expect(oneClick.status).toBe(200);
      expect(oneClick.body).toContain('Bạn đã ngừng nhận email khuyến mãi từ Petto.');
      expect(oneClick.body).not.toMatch(/hủy đăng ký/i);
      expect((await audience('PROMOTIONS')).map((n) => n.id)).not.toContain(customerId);
    });

    test('a topic form grants a topic, and the same form sent twice records it once', async () => {
      const customerId = await register(['PROMOTIONS']);
      const token = await linkFor(customerId, 'PROMOTIONS');
      const page = await open(token);
      const first = await submit(page, { preference: 'topic', topic: 'OFFERS' });
      expect(first.body).toContain('Đã lưu: bạn sẽ nhận lại thư chào hàng từ Petto.');
      expect(statesShown(first)).toMatchObject({ OFFERS: 'GRANTED' });
      expect((await audience('OFFERS')).map((n) => n.id)).toContain(customerId);
      const rows = await records(customerId);
      expect(rows.at(-1)).toMatchObject({ topic: 'OFFERS', status: 'GRANTED', channel: 'EMAIL_LINK' });

      // The same page's form again (a double click): nothing new.
      const again = await submit(page, { preference: 'topic', topic: 'OFFERS' });
      expect(statesShown(again)).toMatchObject({ OFFERS: 'GRANTED' });
      expect(await records(customerId)).toEqual(rows);
    });

    test('cancelling asks first: the confirmation explains what stops and what goes on, and changes nothing', async () => {
      const customerId = await register(['PROMOTIONS']);
      const token = await linkFor(customerId, 'PROMOTIONS');
      const before = await records(customerId);

      const confirmation = await submit(await open(token), { preference: 'cancel-registration' });
      expect(confirmation.status).toBe(200);
      expect(confirmation.body).toContain('Các đơn hàng đang mở vẫn được giao');
      expect(confirmation.body).toContain('Orders already open are still delivered');
      expect(confirmation.body).toContain('Petto stops every marketing email, takes no new orders from you');
      expect(await records(customerId)).toEqual(before);
      expect(await customerRow(customerId)).toMatchObject({ deregistered_at: null });

      const back = await submit(confirmation, { preference: 'view' });
      expect(statesShown(back)).toMatchObject({ PROMOTIONS: 'GRANTED' });
      expect(await customerRow(customerId)).toMatchObject({ deregistered_at: null });
    });

    test('confirming cancels the registration through the deregistration, recorded under the link', async () => {
      const customer = await writes.register({ consents: ['PROMOTIONS', 'GREETINGS'], consentChannel: 'CHECKOUT' });
      const order = await writes.place(customer.id);
      const token = await linkFor(customer.id, 'GREETINGS');
      const linkActor = `unsubscribe-link:${claimsOf(token).jti}`;

      const confirmation = await submit(await open(token), { preference: 'cancel-registration' });
      const done = await submit(confirmation, { preference: 'confirm-cancel-registration' });
      expect(done.status).toBe(200);
      expect(done.body).toContain('Bạn đã hủy đăng ký thông tin tại Petto.');
      expect(done.body).toContain('Your registration with Petto is cancelled.');
      expect(done.body).not.toContain('<form');

      expect(await customerRow(customer.id)).toEqual({
        deregistered_at: expect.any(Date),
        deregistered_by: linkActor,
        deregistration_channel: 'EMAIL_LINK',
        erased_at: null,
      });
      const withdrawals = (await records(customer.id)).filter((r: any) => r.status === 'WITHDRAWN');
      expect(withdrawals.map((r: any) => r.topic).sort()).toEqual(['GREETINGS', 'PROMOTIONS']);
      for (const row of withdrawals) {
        expect(row).toMatchObject({ channel: 'EMAIL_LINK', actor_id: linkActor, link_issued_by: 'test-marketing' });
      }
      // What goes on: the open order is still handled.
      await writes.run(ORDER_PROCESSOR, UPDATE_ORDER_STATUS, { orderId: order.id, status: 'CONFIRMED' });
      expect((await writes.orderState(order.id)).status).toBe('CONFIRMED');

      // The link now leads to the neutral page, and the stale confirmation changes nothing more.
      const later = await open(token);
      expect(later.status).toBe(200);
      expect(later.body).toContain('Không có tùy chọn email nào để thay đổi qua liên kết này');
      expect(later.body).not.toContain('<form');
      const rows = await records(customer.id);
      expect((await submit(confirmation, { preference: 'confirm-cancel-registration' })).body).toContain(
        'There are no email preferences to change through this link',
      );
      expect(await records(customer.id)).toEqual(rows);
    });
  },
  { PUBLIC_URL, PRIVACY_CONTACT: CONTACT },
);
