import { randomUUID } from 'node:crypto';
import {
  STOREFRONT,
  ORDER_PROCESSOR,
  SUPPORT,
  MARKETING,
  GHN,
  REGISTER,
  ISO_DATE,
  expectBadInput,
  expectForbidden,
  writesThrough,
} from '../support/mutations';
import { newCustomer } from '../support/fixtures';
import { refusedWithoutWriting, rowCounts } from '../support/writes';
import { describeOnEachDatabase, type Caller } from '../support/gateway';

/**
 * registerCustomer: the storefront (or a support agent) registers a customer with the
 * consents given at sign-up; the email and phone are stored normalised.
 * The shop is shared by the tests of this file (see test/support/mutations.ts), so each
 * test makes its own customers and orders, and counts rows as deltas.
 */

describeOnEachDatabase('mutations', (gateway) => {
  const { register, run, consentRows } = writesThrough(gateway);

  describe('registerCustomer', () => {
    test('the storefront registers a customer with the consents given at sign-up', async () => {
      const before = await rowCounts(gateway());
      const email = `Mai.Vo.${randomUUID().slice(0, 8)}@Example.VN`;
      const response = await gateway().query(STOREFRONT, REGISTER, {
        input: {
          fullName: '  Võ Thị Mai ',
          email,
          phone: '0912 345 678',
          consents: ['PROMOTIONS', 'NEWSLETTER'],
          consentChannel: 'CHECKOUT',
        },
      });
      expect(response.errors).toBeUndefined();
      const customer = response.data.registerCustomer;
      expect(customer.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(customer.createdAt).toMatch(ISO_DATE);
      expect(customer.consents).toHaveLength(2);
      expect(customer.consents).toEqual(
        expect.arrayContaining(
          ['PROMOTIONS', 'NEWSLETTER'].map((topic) => ({
            topic,
            status: 'GRANTED',
            channel: 'CHECKOUT',
            policyVersion: '2024-01',
            grantedAt: expect.stringMatching(ISO_DATE),
            withdrawnAt: null,
          })),
        ),
      );
      expect(await rowCounts(gateway())).toEqual({
        ...before,
        customers: before.customers + 1,
        consent_records: before.consent_records + 2,
      });

      // Stored normalised: the email lower-cased, the phone in E.164, the name trimmed.
      const stored = await run(SUPPORT, `query($id: ID!) { customer(id: $id) { fullName email phone } }`, {
        id: customer.id,
      });
      expect(stored.customer).toEqual({ fullName: 'Võ Thị Mai', email: email.toLowerCase(), phone: '+84912345678' });
      const [row] = await gateway().database.dataSource.query('SELECT email, phone FROM customers WHERE id = $1', [
        customer.id,
      ]);
      expect(row).toEqual({ email: email.toLowerCase(), phone: '+84912345678' });
      expect((await consentRows(customer.id)).map((r) => r.actor_id)).toEqual(['test-storefront', 'test-storefront']);
    });

    test('consents default to channel ACCOUNT, and none may be given', async () => {
      const withOne = await register({ consents: ['GREETINGS'] });
      expect(withOne.consents).toEqual([
        expect.objectContaining({ topic: 'GREETINGS', status: 'GRANTED', channel: 'ACCOUNT' }),
      ]);
      const withNone = await register({ consents: [] });
      expect(withNone.consents).toEqual([]);
      expect(await consentRows(withNone.id)).toEqual([]);
    });

    test('a support agent may register a customer too', async () => {
      const customer = await register({}, SUPPORT);
      expect(customer.id).toMatch(/^[0-9a-f-]{36}$/);
    });

    test.each([
      ['0912 345 678', '+84912345678'],
      ['0912.345.678', '+84912345678'],
      ['+84 912-345-678', '+84912345678'],
      ['84912345678', '+84912345678'],
      ['(+84) 358 246 810', '+84358246810'],
      ['024 3826 4321', '+842438264321'],
    ])('the phone %p is stored as %p', async (typed, e164) => {
      const customer = await register({ phone: typed });
      const [row] = await gateway().database.dataSource.query('SELECT phone FROM customers WHERE id = $1', [
        customer.id,
      ]);
      expect(row.phone).toBe(e164);
    });

    test.each<[string, Record<string, unknown>, (string | number)[]]>([
      ['an email that is not one', { email: 'not-an-email' }, ['input', 'email']],
      ['an email without a domain', { email: 'mai@' }, ['input', 'email']],
      ['an empty email', { email: '' }, ['input', 'email']],
      ['an email too long to be one', { email: `${'a'.repeat(250)}@example.vn` }, ['input', 'email']],
      ['a phone that is too short', { phone: '12345' }, ['input', 'phone']],
      ['a phone of another country', { phone: '+1 202 555 0100' }, ['input', 'phone']],
      ['a Vietnamese mobile one digit short', { phone: '0912 345 67' }, ['input', 'phone']],
      ['a phone with letters', { phone: '0912 ABC 678' }, ['input', 'phone']],
      ['an empty phone', { phone: '' }, ['input', 'phone']],
      ['an empty name', { fullName: '' }, ['input', 'fullName']],
      ['a blank name', { fullName: '   ' }, ['input', 'fullName']],
      ['a name over 200 characters', { fullName: 'M'.repeat(201) }, ['input', 'fullName']],
      ['a topic listed twice', { consents: ['PROMOTIONS', 'PROMOTIONS'] }, ['input', 'consents']],
    ])('%s is BAD_USER_INPUT at that field, and nothing is written', async (_title, overrides, argumentPath) => {
      const response = await refusedWithoutWriting(gateway(), STOREFRONT, REGISTER, { input: newCustomer(overrides) });
      expectBadInput(response, argumentPath);
    });

    test.each<[string, Record<string, unknown>]>([
      ['an unknown consent topic', { consents: ['SPAM'] }],
      ['an unknown consent channel', { consentChannel: 'CARRIER_PIGEON' }],
      ['a missing field', { phone: undefined }],
      ['a name that is not a string', { fullName: 42 }],
    ])('%s in the variables is BAD_USER_INPUT, and nothing is written', async (_title, overrides) => {
      const response = await refusedWithoutWriting(gateway(), STOREFRONT, REGISTER, { input: newCustomer(overrides) });
      expectBadInput(response);
      expect(response.data ?? null).toBeNull();
    });

    test('every offending field is named, the first as argumentPath', async () => {
      const response = await refusedWithoutWriting(gateway(), STOREFRONT, REGISTER, {
        input: newCustomer({ fullName: ' ', email: 'nope', phone: '123' }),
      });
      expectBadInput(response);
      const named = (response.errors?.[0].extensions?.invalidArguments as { argumentPath: string[] }[]).map((p) =>
        p.argumentPath.join('.'),
      );
      expect(new Set(named)).toEqual(new Set(['input.fullName', 'input.email', 'input.phone']));
      expect(['input.fullName', 'input.email', 'input.phone']).toContain(
        response.errors?.[0].extensions?.argumentPath.join('.'),
      );
    });

    test('an email already registered is BAD_USER_INPUT at input.email, whatever its case', async () => {
      const first = newCustomer({ consents: ['NEWSLETTER'] });
      await run(STOREFRONT, REGISTER, { input: first });
      for (const email of [first.email as string, (first.email as string).toUpperCase()]) {
        const response = await refusedWithoutWriting(gateway(), STOREFRONT, REGISTER, {
          input: newCustomer({ email, consents: ['PROMOTIONS'] }),
        });
        expectBadInput(response, ['input', 'email']);
      }
    });

    test('an email of the demo shop is taken, and the error does not say whose it is', async () => {
      const response = await refusedWithoutWriting(gateway(), STOREFRONT, REGISTER, {
        input: newCustomer({ email: 'lan.nguyen@example.vn' }),
      });
      expectBadInput(response, ['input', 'email']);
      expect(JSON.stringify(response)).not.toMatch(/Lan|Nguyễn|\+84/);
    });

    test.each<[string, Caller]>([
      ['ANALYST', { role: 'ANALYST' }],
      ['MARKETING', MARKETING],
      ['ORDER_PROCESSOR', ORDER_PROCESSOR],
      ['CARRIER', GHN],
    ])('%s may not register a customer', async (_role, caller) => {
      expectForbidden(
        await refusedWithoutWriting(gateway(), caller, REGISTER, { input: newCustomer({ consents: ['PROMOTIONS'] }) }),
      );
    });
  });
});
