import { describeOnEachDatabase } from '../support/gateway';
import { writesThrough } from '../support/mutations';
import { FORMS, formsOf, preferenceCentreThrough, type PageAnswer } from '../support/preference-centre';
import { PUBLIC_URL, unsubscribeThrough } from '../support/unsubscribe';

/**
 * The preference centre against someone who is not the customer: no cookie, no session,
 * so another site cannot ride on a visit; a token names one customer and no form field
 * can point it elsewhere; the pages show nothing personal but topic states; and a
 * cancelled or erased registration looks the same. Links that are not genuine:
 * preference-centre-forged-links.test.ts.
 */

describeOnEachDatabase(
  'preference centre attacks',
  (gateway) => {
    const { register, linkFor } = unsubscribeThrough(gateway);
    const { open, post, submit, customerRow, changeableState: state } = preferenceCentreThrough(gateway);
    const writes = writesThrough(gateway);

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
