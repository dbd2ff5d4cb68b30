import { closeCase, openCase, PRIVACY_OFFICER } from '../support/cases';
import { describeOnEachDatabase, errorCodes } from '../support/gateway';
import {
  expectBadInput,
  ORDER_PROCESSOR,
  STOREFRONT,
  SUPPORT,
  UNKNOWN_ID,
  UPDATE_ORDER_STATUS,
  writesThrough,
} from '../support/mutations';
import { refusedWithoutWriting } from '../support/writes';

const CORRECT = `mutation($customerId: ID!, $input: CorrectCustomerInput!) {
  correctCustomer(customerId: $customerId, input: $input) { id } }`;

describeOnEachDatabase('correction of a customer', (gateway) => {
  const { register, place, run } = writesThrough(gateway);
  const db = () => gateway().database.dataSource;
  const stored = async (id: string) =>
    (await db().query('SELECT full_name, email, phone, name_words FROM customers WHERE id = $1', [id]))[0];
  const auditOf = (requestId: string | null) =>
    db().query(`SELECT * FROM audit_events WHERE request_id = $1`, [requestId]);

  test('customer care corrects what it is told, stored as at registration, audited without the values', async () => {
    const customer = await register();
    const response = await gateway().query(SUPPORT, CORRECT, {
      customerId: customer.id,
      input: { fullName: '  Trần   Thị Hồng ', email: 'Hong.Tran@Example.VN', phone: '+84 988 777 666' },
    });
    expect(response.errors).toBeUndefined();
    expect(await stored(customer.id)).toEqual({
      full_name: 'Trần Thị Hồng',
      email: 'hong.tran@example.vn',
      phone: '+84988777666',
      name_words: ['tran', 'thi', 'hong'],
    });
    const [event] = await auditOf(response.requestId);
    expect(event).toMatchObject({
      customer_id: customer.id,
      decision: 'CORRECTED',
      purpose: 'CUSTOMER_CARE',
      fields: ['Customer.fullName', 'Customer.email', 'Customer.phone'],
      case_id: null,
    });
    expect(JSON.stringify(event)).not.toMatch(/hong|988777666/i);
    // The search follows the name: the old words no longer find the person, the new ones do.
    const search = async (s: string) =>
      (
        await run(SUPPORT, `query($s: String) { customers(search: $s) { edges { node { id } } } }`, { s })
      ).customers.edges.map((e: any) => e.node.id);
    expect(await search('Trần Hồng')).toContain(customer.id);
    expect(await search('0988 777 666')).toEqual([customer.id]);
  });

  test('the storefront corrects its own customer; nothing changed records nothing', async () => {
    const customer = await register({ phone: '0912 000 111' });
    const response = await gateway().query(STOREFRONT, CORRECT, {
      customerId: customer.id,
      input: { phone: '0912 000 111' },
    });
    expect(response.errors).toBeUndefined();
    expect(await auditOf(response.requestId)).toEqual([]);
    const changed = await gateway().query(STOREFRONT, CORRECT, {
      customerId: customer.id,
      input: { phone: '0912 000 222' },
    });
    expect((await auditOf(changed.requestId)).map((e: any) => e.fields)).toEqual([['Customer.phone']]);
  });

  test('the privacy officer corrects only under an open CORRECTION request, named in the audit and the case', async () => {
    const customer = await register();
    const correct = () =>
      gateway().query(PRIVACY_OFFICER, CORRECT, { customerId: customer.id, input: { fullName: 'Lê Văn Tám' } });
    expect(errorCodes(await correct())).toEqual(['NO_OPEN_REQUEST']);
    const access = await openCase(gateway(), customer.id, 'ACCESS');
    expect(errorCodes(await correct())).toEqual(['NO_OPEN_REQUEST']);
    const correction = await openCase(gateway(), customer.id, 'CORRECTION');
    const done = await correct();
    expect(done.errors).toBeUndefined();
    expect((await stored(customer.id)).full_name).toBe('Lê Văn Tám');
    expect(await auditOf(done.requestId)).toEqual([
      expect.objectContaining({ decision: 'CORRECTED', fields: ['Customer.fullName'], case_id: correction }),
    ]);
    const [used] = await db().query(
      `SELECT detail FROM data_subject_request_events WHERE request_id = $1 AND event = 'USED'`,
      [correction],
    );
    expect(used.detail).toBe('correctCustomer: Customer.fullName');
    await closeCase(gateway(), correction);
    await closeCase(gateway(), access);
    expect(errorCodes(await correct())).toEqual(['NO_OPEN_REQUEST']);
  });

  test('every other role is refused, and nothing is written', async () => {
    const customer = await register();
    for (const caller of [
      ORDER_PROCESSOR,
      { role: 'MARKETING' as const },
      { role: 'ANALYST' as const },
      { role: 'CARRIER' as const, carrierId: 'ghn' },
    ]) {
      const response = await refusedWithoutWriting(gateway(), caller, CORRECT, {
        customerId: customer.id,
        input: { phone: '0912 999 888' },
      });
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    }
    // Customer care acts under its own purpose, not the data-subject one.
    const underOther = await gateway().query({ role: 'SUPPORT_AGENT', purpose: 'DATA_SUBJECT_REQUEST' }, CORRECT, {
      customerId: customer.id,
      input: { phone: '0912 999 888' },
    });
    expect(errorCodes(underOther)).toEqual(['PURPOSE_NOT_ALLOWED']);
    expect((await stored(customer.id)).phone).toBe('+84912345678');
  });

  test('input is checked as at registration; a taken email is BAD_USER_INPUT and nothing is written', async () => {
    const [customer, other] = [await register(), await register()];
    const otherEmail = (await stored(other.id)).email;
    const correct = (input: Record<string, unknown>, customerId = customer.id) =>
      refusedWithoutWriting(gateway(), SUPPORT, CORRECT, { customerId, input });
    expectBadInput(await correct({ email: 'not-an-email' }), ['input', 'email']);
    expectBadInput(await correct({ phone: '12345' }), ['input', 'phone']);
    expectBadInput(await correct({ fullName: '   ' }), ['input', 'fullName']);
    expectBadInput(await correct({}), ['input']);
    expectBadInput(await correct({ phone: '0912 999 888' }, UNKNOWN_ID), ['customerId']);
    const taken = await correct({ email: otherEmail.toUpperCase(), phone: '0912 999 888' });
    expectBadInput(taken, ['input', 'email']);
    expect(taken.errors?.[0].message).not.toContain(otherEmail);
    expect((await stored(customer.id)).phone).toBe('+84912345678');
  });

  test('open orders keep their shipping block unless asked; closed ones are never touched', async () => {
    const customer = await register();
    const [open, closed] = [await place(customer.id), await place(customer.id)];
    await run(ORDER_PROCESSOR, UPDATE_ORDER_STATUS, { orderId: closed.id, status: 'CANCELLED' });
    const recipient = async (orderId: string) =>
      (await db().query('SELECT recipient_name, recipient_phone FROM shipments WHERE order_id = $1', [orderId]))[0];
    const before = await recipient(open.id);

    await run(SUPPORT, CORRECT, { customerId: customer.id, input: { phone: '0901 111 222' } });
    expect(await recipient(open.id)).toEqual(before);

    const applied = await gateway().query(SUPPORT, CORRECT, {
      customerId: customer.id,
      input: { fullName: 'Võ Thị Mai Anh', phone: '0901 333 444', applyToOpenOrders: true },
    });
    expect(applied.errors).toBeUndefined();
    expect(await recipient(open.id)).toEqual({ recipient_name: 'Võ Thị Mai Anh', recipient_phone: '+84901333444' });
    expect(await recipient(closed.id)).toEqual(before);
    expect((await auditOf(applied.requestId))[0].fields).toEqual([
      'Customer.fullName',
      'Customer.phone',
      'Shipment.recipientName',
      'Shipment.recipientPhone',
    ]);
  });
});
