import { describeOnEachDatabase } from '../support/gateway';
import { customerIdByEmail } from '../support/writes';
import {
  GRANT_CONSENT,
  MARKETING,
  STOREFRONT,
  SUPPORT,
  WITHDRAW_CONSENT,
  expectBadInput,
  writesThrough,
} from '../support/mutations';
import {
  CAMPAIGN,
  MAIL_FROM,
  mailThrough,
  newCampaign,
  PUBLIC_URL,
  rawHeader,
  SCHEDULE_CAMPAIGN,
} from '../support/mail';
import { openCase } from '../support/cases';

const PRIVACY_OFFICER = { role: 'PRIVACY_OFFICER' as const, purpose: 'DATA_SUBJECT_REQUEST' };
const ERASE = `mutation($customerId: ID!) { eraseCustomer(customerId: $customerId) { customerId } }`;
const DEREGISTER = `mutation($customerId: ID!) { deregisterCustomer(customerId: $customerId) { id } }`;

/**
 * Campaigns (issue 11): MARKETING schedules, the gateway sends. Every assertion is on
 * what a real SMTP server received from the worker.
 */
describeOnEachDatabase('campaigns sent by the gateway', (gateway) => {
  const { register, run } = writesThrough(gateway);
  const mailer = mailThrough(gateway);
  beforeEach(() => mailer.smtp.clear());

  async function schedule(overrides: Record<string, unknown> = {}) {
    return (await run(MARKETING, SCHEDULE_CAMPAIGN, { input: newCampaign(overrides) })).scheduleCampaign;
  }

  test('each consenting customer gets one message, rendered for them, with RFC 8058 headers and a footer link', async () => {
    const bich = await register({ fullName: 'Trần Thị Bích', consents: ['PET_CARE_ADVICE'] });
    const stranger = await register({ fullName: 'Lê Văn Tám', consents: ['PROMOTIONS'] });
    const campaign = await schedule();
    expect(campaign).toMatchObject({ topic: 'PET_CARE_ADVICE', status: 'SENDING', sent: 0, skipped: 0, failed: 0 });
    expect(campaign.recipients).toBeGreaterThanOrEqual(1);

    await mailer.worker.drain();

    expect(mailer.smtp.to(await mailer.emailOf(stranger.id))).toEqual([]);
    const [received, ...more] = mailer.smtp.to(await mailer.emailOf(bich.id));
    expect(more).toEqual([]);
    const { mail } = received;
    expect(received.envelopeTo).toEqual([await mailer.emailOf(bich.id)]);
    expect(mail.from?.text).toBe(MAIL_FROM.replace(/^Petto /, '"Petto" '));
    expect(mail.subject).toBe(newCampaign().subject);
    expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@petto\.test>$/);
    const listUnsubscribe = String(rawHeader(received, 'List-Unsubscribe'));
    const url = listUnsubscribe.match(/^<(.+)>$/)?.[1] as string;
    expect(url.startsWith(`${PUBLIC_URL}/unsubscribe?token=`)).toBe(true);
    expect(rawHeader(received, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.text).toContain('Chào Bích,');
    expect(mail.text).toContain('Hello Bích,');
    // The footer: the same link, Vietnamese first, English second.
    expect(mail.text).toContain(url);
    expect(mail.text!.indexOf('Ngừng nhận')).toBeLessThan(mail.text!.indexOf('Stop receiving'));
    expect(mail.html).toContain('<b>Bích</b>');
    expect(mail.html).toContain('Hello Trần Thị Bích');
    expect(mail.html).toContain(`href="${url.replace(/&/g, '&amp;')}"`);

    const done = (await run(MARKETING, CAMPAIGN, { id: campaign.id })).campaign;
    expect(done).toMatchObject({ status: 'FINISHED', sent: campaign.recipients, skipped: 0, failed: 0 });
    expect(mailer.smtp.received).toHaveLength(campaign.recipients);
  });

  test('the link in the header unsubscribes with one click (RFC 8058 POST)', async () => {
    const customer = await register({ consents: ['NEWSLETTER'] });
    await schedule({ topic: 'NEWSLETTER' });
    await mailer.worker.drain();
    const [received] = mailer.smtp.to(await mailer.emailOf(customer.id));
    const token = new URL(String(rawHeader(received, 'List-Unsubscribe')).slice(1, -1)).searchParams.get('token')!;
    const origin = new URL(gateway().url).origin;
    const response = await fetch(`${origin}/unsubscribe?token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBeLessThan(300);
    const [latest] = await gateway().database.dataSource.query(
      `SELECT status, channel FROM consent_records WHERE customer_id = $1 AND topic = 'NEWSLETTER'
        ORDER BY recorded_at DESC, id DESC LIMIT 1`,
      [customer.id],
    );
    expect(latest).toEqual({ status: 'WITHDRAWN', channel: 'EMAIL_LINK' });
  });

  test('who withdrew, deregistered, restricted their data or was erased between scheduling and sending gets nothing', async () => {
    const withdrew = await register({ consents: ['GREETINGS'] });
    const restricted = await register({ consents: ['GREETINGS'] });
    const deregistered = await register({ consents: ['GREETINGS'] });
    const erased = await register({ consents: ['GREETINGS'] });
    const stays = await register({ consents: ['GREETINGS'] });
    const campaign = await schedule({ topic: 'GREETINGS' });
    const addresses = {
      withdrew: await mailer.emailOf(withdrew.id),
      deregistered: await mailer.emailOf(deregistered.id),
      erased: await mailer.emailOf(erased.id),
      restricted: await mailer.emailOf(restricted.id),
    };

    await run(SUPPORT, WITHDRAW_CONSENT, { customerId: withdrew.id, topic: 'GREETINGS', channel: 'HOTLINE' });
    await run(STOREFRONT, DEREGISTER, { customerId: deregistered.id });
    await openCase(gateway(), restricted.id, 'RESTRICTION');
    await openCase(gateway(), erased.id, 'ERASURE');
    await run(PRIVACY_OFFICER, ERASE, { customerId: erased.id });
    await mailer.worker.drain();

    for (const address of Object.values(addresses)) expect(mailer.smtp.to(address)).toEqual([]);
    expect(mailer.smtp.to(await mailer.emailOf(stays.id))).toHaveLength(1);
    const done = (await run(MARKETING, CAMPAIGN, { id: campaign.id })).campaign;
    // The erased person's message is gone; the other three were refused when their turn came.
    expect(done).toMatchObject({ status: 'FINISHED', recipients: campaign.recipients - 1, skipped: 3, failed: 0 });
    expect(done.sent).toBe(campaign.recipients - 4);
    const reasons = await gateway().database.dataSource.query(
      `SELECT skip_reason FROM outbox_messages WHERE campaign_id = $1 AND status = 'SKIPPED' ORDER BY skip_reason`,
      [campaign.id],
    );
    expect(reasons.map((row: { skip_reason: string }) => row.skip_reason)).toEqual([
      'CONSENT_REQUIRED',
      'CONSENT_REQUIRED',
      'RESTRICTED',
    ]);
  });

  test('a campaign due later waits; its templates are dropped once it is finished', async () => {
    const customer = await register({ consents: ['OFFERS'] });
    const later = new Date(Date.now() + 60 * 60_000).toISOString();
    const campaign = await schedule({ topic: 'OFFERS', sendAt: later });
    expect(campaign.status).toBe('SCHEDULED');
    await mailer.worker.drain();
    expect(mailer.smtp.to(await mailer.emailOf(customer.id))).toEqual([]);

    await gateway().database.dataSource.query(
      `UPDATE outbox_messages SET next_attempt_at = now() WHERE campaign_id = $1`,
      [campaign.id],
    );
    await mailer.worker.drain();
    expect(mailer.smtp.to(await mailer.emailOf(customer.id))).toHaveLength(1);
    const [row] = await gateway().database.dataSource.query(
      'SELECT text_template, html_template, finished_at FROM campaigns WHERE id = $1',
      [campaign.id],
    );
    expect(row).toMatchObject({ text_template: null, html_template: null, finished_at: expect.any(Date) });
  });

  test('a customer registered with a name from the demo shop is addressed by her given name', async () => {
    const id = await customerIdByEmail(gateway(), 'lan.nguyen@example.vn');
    const [{ full_name }] = await gateway().database.dataSource.query('SELECT full_name FROM customers WHERE id = $1', [
      id,
    ]);
    await run(SUPPORT, GRANT_CONSENT, { customerId: id, topic: 'THANK_YOU', channel: 'HOTLINE' });
    await schedule({ topic: 'THANK_YOU', text: 'Cảm ơn {{ firstName }}!' });
    await mailer.worker.drain();
    const [{ mail }] = mailer.smtp.to('lan.nguyen@example.vn');
    expect(mail.text).toContain(`Cảm ơn ${full_name.split(' ').at(-1)}!`);
  });

  test('only the roles the policy lets schedule campaigns may, and bad input writes nothing', async () => {
    for (const caller of [STOREFRONT, SUPPORT, PRIVACY_OFFICER]) {
      const response = await gateway().query(caller, SCHEDULE_CAMPAIGN, { input: newCampaign() });
      expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    const before = await gateway().database.dataSource.query('SELECT count(*)::int AS n FROM campaigns');
    expectBadInput(await gateway().query(MARKETING, SCHEDULE_CAMPAIGN, { input: newCampaign({ subject: ' ' }) }), [
      'input',
      'subject',
    ]);
    const after = await gateway().database.dataSource.query('SELECT count(*)::int AS n FROM campaigns');
    expect(after).toEqual(before);
  });
});
