import { closeCase, openCase, PRIVACY_OFFICER } from '../support/cases';
import { describeOnEachDatabase, errorCodes } from '../support/gateway';
import { GHN, MARKETING, ORDER_PROCESSOR, SUPPORT, writesThrough } from '../support/mutations';

const CUSTOMER = `query($id: ID!) { customer(id: $id) { fullName email phone } }`;
const ORDER = `query($id: ID!) { order(id: $id) {
  customer { fullName email phone } shipment { recipientName recipientPhone address { street } } } }`;
const AUDIENCE = `{ marketingAudience(topic: NEWSLETTER, first: 100) { edges { node { id email unsubscribeUrl } } } }`;

describeOnEachDatabase('restriction and objection', (gateway) => {
  const { register, orderWithCarrier, audience, consentRows, run } = writesThrough(gateway);

  test('while a RESTRICTION request is open, only the person’s own requests and open deliveries use their data', async () => {
    const { customerId, orderId } = await orderWithCarrier('ghn');
    await run(
      SUPPORT,
      `mutation($id: ID!) { grantConsent(customerId: $id, topic: NEWSLETTER, channel: HOTLINE) { status } }`,
      {
        id: customerId,
      },
    );
    const restriction = await openCase(gateway(), customerId, 'RESTRICTION', SUPPORT);

    const care = await gateway().query(SUPPORT, CUSTOMER, { id: customerId });
    expect(care.data.customer).toEqual({ fullName: null, email: null, phone: null });
    expect(errorCodes(care)).toEqual([
      'RESTRICTED Customer.email',
      'RESTRICTED Customer.fullName',
      'RESTRICTED Customer.phone',
    ]);

    // The order already open is still processed and delivered: its shipping block, not the customer.
    const processing = await gateway().query(ORDER_PROCESSOR, ORDER, { id: orderId });
    expect(processing.data.order.customer).toEqual({ fullName: null, email: null, phone: null });
    expect(processing.data.order.shipment.recipientPhone).toMatch(/^\+84/);
    expect(errorCodes(processing)).toEqual([
      'RESTRICTED Customer.email',
      'RESTRICTED Customer.fullName',
      'RESTRICTED Customer.phone',
    ]);
    const carrier = await gateway().query(GHN, `query($id: ID!) { order(id: $id) { shipment { recipientPhone } } }`, {
      id: orderId,
    });
    expect(carrier.errors).toBeUndefined();
    expect(carrier.data.order.shipment.recipientPhone).toMatch(/^\+84/);
    const careOrder = await gateway().query(SUPPORT, ORDER, { id: orderId });
    expect(careOrder.data.order.shipment).toEqual({ recipientName: null, recipientPhone: null, address: null });
    // Reached through the customer, as on a support page, the shipment is decided on the
    // standing read with the customer's own row: the same restriction.
    const careCustomer = await gateway().query(
      SUPPORT,
      `query($id: ID!) { customer(id: $id) { orders(first: 5) { edges { node {
        shipment { recipientName recipientPhone address { street } } } } } } }`,
      { id: customerId },
    );
    expect(careCustomer.data.customer.orders.edges).toEqual([
      { node: { shipment: { recipientName: null, recipientPhone: null, address: null } } },
    ]);
    expect(errorCodes(careCustomer)).toEqual(
      expect.arrayContaining(['RESTRICTED Shipment.recipientName', 'RESTRICTED Shipment.address']),
    );

    // Marketing: still in the audience list by id (consent state is not personal data), but no link
    // (and never an email: the gateway sends marketing mail, which a restriction stops too).
    const marketing = await gateway().query(MARKETING, AUDIENCE);
    const node = marketing.data.marketingAudience.edges.find((edge: any) => edge.node.id === customerId).node;
    expect(node).toEqual({ id: customerId, email: null, unsubscribeUrl: null });
    expect(errorCodes(marketing)).toEqual(
      expect.arrayContaining(['PURPOSE_NOT_ALLOWED Customer.email', 'RESTRICTED Customer.unsubscribeUrl']),
    );

    // A search does not match them at all, and says nothing of them.
    const email = (
      await gateway().database.dataSource.query('SELECT email FROM customers WHERE id = $1', [customerId])
    )[0].email;
    const search = await gateway().query(
      SUPPORT,
      `query($s: String) { customers(search: $s) { edges { node { id } } } }`,
      {
        s: email,
      },
    );
    expect(search.data.customers.edges).toEqual([]);
    expect(search.errors).toBeUndefined();

    // The privacy officer serves the person's request.
    const officer = await gateway().query(PRIVACY_OFFICER, CUSTOMER, { id: customerId });
    expect(officer.errors).toBeUndefined();
    expect(officer.data.customer.email).toBe(email);

    await closeCase(gateway(), restriction);
    const lifted = await gateway().query(SUPPORT, CUSTOMER, { id: customerId });
    expect(lifted.errors).toBeUndefined();
    expect(lifted.data.customer.email).toBe(email);
  });

  test('an objection to marketing withdraws every marketing topic at once, on the channel used, with its reason', async () => {
    const customer = await register({ consents: ['NEWSLETTER', 'PROMOTIONS', 'GREETINGS'] });
    expect(await audience('NEWSLETTER')).toContain(customer.id);
    const objection = await openCase(gateway(), customer.id, 'OBJECTION', SUPPORT);
    for (const topic of ['NEWSLETTER', 'PROMOTIONS', 'GREETINGS'])
      expect(await audience(topic)).not.toContain(customer.id);
    // A grant recorded while the objection is open does not bring marketing back.
    await run(
      SUPPORT,
      `mutation($id: ID!) { grantConsent(customerId: $id, topic: NEWSLETTER, channel: HOTLINE) { status } }`,
      {
        id: customer.id,
      },
    );
    const objected = await gateway().query(MARKETING, AUDIENCE);
    const node = objected.data.marketingAudience.edges.find((edge: any) => edge.node.id === customer.id)?.node;
    expect(node).toEqual({ id: customer.id, email: null, unsubscribeUrl: null });
    await closeCase(gateway(), objection, 'marketing stopped');
    const after = await gateway().query(MARKETING, AUDIENCE);
    expect(
      after.data.marketingAudience.edges.find((edge: any) => edge.node.id === customer.id).node.unsubscribeUrl,
    ).toMatch(/\/unsubscribe\?token=/);
    const withdrawals = (await consentRows(customer.id)).filter((row) => row.status === 'WITHDRAWN');
    expect(withdrawals.map((row) => `${row.topic} ${row.channel}`).sort()).toEqual([
      'GREETINGS HOTLINE',
      'NEWSLETTER HOTLINE',
      'PROMOTIONS HOTLINE',
    ]);
    const history = await run(
      SUPPORT,
      `query($id: ID!) { customer(id: $id) { consentHistory { topic status reason actorId } } }`,
      { id: customer.id },
    );
    expect(history.customer.consentHistory.filter((r: any) => r.status === 'WITHDRAWN')).toEqual(
      expect.arrayContaining([
        { topic: 'NEWSLETTER', status: 'WITHDRAWN', reason: 'OBJECTION', actorId: 'test-support_agent' },
      ]),
    );
  });
});
