import type { Browser, Page } from 'playwright-core';
import { describeInBrowser, launchChromium } from '../support/browser';
import { describeOnEachDatabase } from '../support/gateway';
import { mailThrough, newCampaign, SCHEDULE_CAMPAIGN } from '../support/mail';
import { MARKETING, writesThrough } from '../support/mutations';
import { claimsOf } from '../support/tokens';

/**
 * The preference centre in a real browser (Debian's chromium): a campaign sent by the
 * gateway to a real SMTP server, the link in the received email's footer opened; two
 * topics changed; the registration cancelled through its confirmation step; then the
 * state as staff see it through GraphQL.
 */

jest.setTimeout(60_000);

const HISTORY = `
  query($id: ID!) {
    customer(id: $id) { deregisteredAt consentHistory { topic status channel actorId linkIssuedBy } }
  }`;
/** A role the policy lets look a customer up with their consent history. */
const PRIVACY_OFFICER = { role: 'PRIVACY_OFFICER' as const };

/** The link a person clicks in the footer of the email they received. */
function footerLink(html: string): string {
  const link = /href="([^"]*\/unsubscribe\?token=[^"]*)"/.exec(html)?.[1];
  if (!link) throw new Error('the email has no unsubscribe link in its footer');
  return link.replace(/&amp;/g, '&');
}

/** On the centre's page: stops the newsletter and takes pet-care advice, each with its own button. */
async function changeTwoTopics(page: Page): Promise<void> {
  const newsletter = page.locator('li[data-topic="NEWSLETTER"]');
  expect(await newsletter.getAttribute('data-status')).toBe('GRANTED');
  await newsletter.getByRole('button', { name: 'Ngừng nhận · Unsubscribe' }).click();
  await page.waitForSelector('li[data-topic="NEWSLETTER"][data-status="WITHDRAWN"]');
  expect(await page.locator('section[lang="en"] p').first().textContent()).toBe(
    'Saved: you will no longer receive the monthly newsletter from Petto.',
  );
  const advice = page.locator('li[data-topic="PET_CARE_ADVICE"]');
  await advice.getByRole('button', { name: 'Nhận lại · Receive again' }).click();
  await page.waitForSelector('li[data-topic="PET_CARE_ADVICE"][data-status="GRANTED"]');
}

/** The separate action, then its confirmation step, then the confirmation itself. */
async function cancelRegistration(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Hủy đăng ký thông tin · Cancel my registration…' }).click();
  await page.waitForSelector('text=Orders already open are still delivered');
  expect(await page.locator('h1').textContent()).toBe('Hủy đăng ký thông tin · Cancel my registration?');
  await page.getByRole('button', { name: 'Xác nhận hủy đăng ký thông tin · Yes, cancel my registration' }).click();
  await page.waitForSelector('text=Your registration with Petto is cancelled.');
  expect(await page.locator('form').count()).toBe(0);
}

describeInBrowser('preference centre in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describeOnEachDatabase('preference centre', (gateway) => {
    const writes = writesThrough(gateway);
    // The email's links lead to this gateway, as PUBLIC_URL makes them in production.
    const mailer = mailThrough(gateway, {}, () => new URL(gateway().url).origin);

    test('open the link, change two topics, cancel the registration, and see it in consentHistory', async () => {
      const customer = await writes.register({ consents: ['PROMOTIONS', 'NEWSLETTER'], consentChannel: 'CHECKOUT' });
      await writes.run(MARKETING, SCHEDULE_CAMPAIGN, { input: newCampaign({ topic: 'PROMOTIONS' }) });
      await mailer.worker.drain();
      const [received] = mailer.smtp.to(await mailer.emailOf(customer.id));
      const link = footerLink(String(received.mail.html));
      const claims = claimsOf(new URL(link).searchParams.get('token') as string);
      const linkActor = `unsubscribe-link:${claims.jti}`;
      const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();

      await page.goto(link);
      expect(await page.locator('.brand').textContent()).toBe('Petto');
      expect(await page.locator('section[lang="vi"] p').first().textContent()).toContain(
        'Bạn muốn ngừng nhận email khuyến mãi',
      );
      expect(await page.locator('.contact').textContent()).toBe('privacy@petto.vn');
      await changeTwoTopics(page);
      await cancelRegistration(page);

      const response = await gateway().query(PRIVACY_OFFICER, HISTORY, { id: customer.id });
      expect(response.errors).toBeUndefined();
      const { deregisteredAt, consentHistory } = response.data.customer;
      expect(deregisteredAt).toEqual(expect.any(String));
      const viaLink = { channel: 'EMAIL_LINK', actorId: linkActor, linkIssuedBy: claims.iss };
      // Newest first: the cancellation's withdrawals, then the two changes, then checkout.
      expect(consentHistory).toEqual([
        { topic: 'PET_CARE_ADVICE', status: 'WITHDRAWN', ...viaLink },
        { topic: 'PROMOTIONS', status: 'WITHDRAWN', ...viaLink },
        { topic: 'PET_CARE_ADVICE', status: 'GRANTED', ...viaLink },
        { topic: 'NEWSLETTER', status: 'WITHDRAWN', ...viaLink },
        expect.objectContaining({ topic: 'NEWSLETTER', status: 'GRANTED', channel: 'CHECKOUT' }),
        expect.objectContaining({ topic: 'PROMOTIONS', status: 'GRANTED', channel: 'CHECKOUT' }),
      ]);

      // The same link, opened again, now shows the neutral page.
      await page.goto(link);
      expect(await page.locator('section[lang="vi"] p').textContent()).toContain('Không có tùy chọn email nào');
      await page.context().close();
    });
  });
});
