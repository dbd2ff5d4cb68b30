import { randomUUID } from 'node:crypto';
import { newCustomer, shipping } from '../support/fixtures';
import { refusedWithoutWriting } from '../support/writes';
import { describeOnEachDatabase, type GraphQLResponse } from '../support/gateway';
import { ORDER_PROCESSOR, STOREFRONT, SUPPORT, writesThrough } from '../support/mutations';

/**
 * Input hygiene (docs/design.md#behaviour-that-must-hold, "bad input gets a clear BAD_USER_INPUT"): no account may look
 * like another's. Characters that render as nothing (zero-width, bidi controls, fillers)
 * or are not text at all (controls, private use, unassigned) are refused in every string
 * argument; names and emails are stored NFC-normalised, so a name typed in decomposed
 * form (as macOS sends it) is the same name. An explicit null for an optional argument
 * means the same as leaving it out.
 */

const REGISTER = `mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { id } }`;
const PLACE_ORDER = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`;

const ZERO_WIDTH_SPACE = '\u200B';
const RIGHT_TO_LEFT_OVERRIDE = '\u202E';

function newOrder(customerId: string, shippingOverrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customerId,
    items: [{ sku: 'WHISKAS-TUNA-1.2KG', name: 'Whiskas cá ngừ 1.2kg', quantity: 1, unitPriceVnd: 145_000 }],
    shipping: shipping(shippingOverrides),
  };
}

/** The code point as the refusal names it, e.g. U+200B. */
function codePoint(character: string): string {
  return `U+${(character.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;
}

describeOnEachDatabase('input hygiene', (gateway) => {
  function expectBadInput(response: GraphQLResponse, argumentPath: (string | number)[], message?: string): void {
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0].extensions?.argumentPath).toEqual(argumentPath);
    if (message) expect(response.errors?.[0].message).toContain(message);
    for (const value of Object.values(response.data ?? {})) expect(value).toBeNull();
  }

  function expectInvisibleRefused(response: GraphQLResponse, argumentPath: (string | number)[], character: string) {
    expectBadInput(
      response,
      argumentPath,
      `must not contain invisible or control characters (${codePoint(character)})`,
    );
  }

  const { run, register } = writesThrough(gateway);

  describe('invisible and control characters are refused', () => {
    test.each([
      ['fullName', { fullName: `Nguyễn${ZERO_WIDTH_SPACE} Thị Lan` }],
      ['email', { email: `lan${ZERO_WIDTH_SPACE}.${randomUUID().slice(0, 8)}@example.vn` }],
    ])('a zero-width space in %s, and no customer is written', async (field, overrides) => {
      const response = await refusedWithoutWriting(gateway(), STOREFRONT, REGISTER, { input: newCustomer(overrides) });
      expectInvisibleRefused(response, ['input', field], ZERO_WIDTH_SPACE);
    });

    test.each(['recipientName', 'street'])(
      'a zero-width space in shipping.%s, and no order is written',
      async (field) => {
        const customer = await register();
        const response = await refusedWithoutWriting(gateway(), STOREFRONT, PLACE_ORDER, {
          input: newOrder(customer.id, { [field]: `Lan${ZERO_WIDTH_SPACE}` }),
        });
        expectInvisibleRefused(response, ['input', 'shipping', field], ZERO_WIDTH_SPACE);
      },
    );

    // "Lan‮gnp.exe" displays reversed: a name that lies about what it says.
    test('a right-to-left override in a name', async () => {
      const response = await refusedWithoutWriting(gateway(), STOREFRONT, REGISTER, {
        input: newCustomer({ fullName: `Lan ${RIGHT_TO_LEFT_OVERRIDE}naoH` }),
      });
      expectInvisibleRefused(response, ['input', 'fullName'], RIGHT_TO_LEFT_OVERRIDE);
    });

    test.each([
      ['zero-width non-joiner', '\u200C'],
      ['zero-width joiner', '\u200D'],
      ['left-to-right mark', '\u200E'],
      ['right-to-left mark', '\u200F'],
      ['left-to-right embedding', '\u202A'],
      ['right-to-left isolate', '\u2067'],
      ['pop directional isolate', '\u2069'],
      ['Arabic letter mark', '\u061C'],
      ['word joiner', '\u2060'],
      ['byte order mark', '\uFEFF'],
      ['soft hyphen', '\u00AD'],
      ['combining grapheme joiner', '\u034F'],
      ['variation selector', '\uFE0F'],
      ['Hangul filler', '\u3164'],
      ['Hangul choseong filler', '\u115F'],
      ['Hangul jungseong filler', '\u1160'],
      ['halfwidth Hangul filler', '\uFFA0'],
      ['braille blank', '\u2800'],
      ['tab', '\t'],
      ['line feed', '\n'],
      ['delete', '\u007F'],
      ['C1 control', '\u0085'],
      ['line separator', '\u2028'],
      ['private-use character', '\uE000'],
      ['unassigned code point', '\u0378'],
      ['lone surrogate', '\uD800'],
      ['tag character', '\u{E0041}'],
    ])('in a name: %s', async (_name, character) => {
      const response = await refusedWithoutWriting(gateway(), STOREFRONT, REGISTER, {
        input: newCustomer({ fullName: `Nguyễn Thị${character}Lan` }),
      });
      expectInvisibleRefused(response, ['input', 'fullName'], character);
    });

    test('in an argument of an args class: the search term, the tracking number', async () => {
      expectInvisibleRefused(
        await gateway().query(
          SUPPORT,
          `query($search: String) { customers(search: $search) { edges { node { id } } } }`,
          {
            search: `Lan${ZERO_WIDTH_SPACE}`,
          },
        ),
        ['search'],
        ZERO_WIDTH_SPACE,
      );
      const order = (await run(STOREFRONT, PLACE_ORDER, { input: newOrder((await register()).id) })).placeOrder;
      const response = await refusedWithoutWriting(
        gateway(),
        ORDER_PROCESSOR,
        `mutation($orderId: ID!, $trackingNumber: String!) {
           assignCarrier(orderId: $orderId, carrierId: "ghn", trackingNumber: $trackingNumber) { id }
         }`,
        { orderId: order.id, trackingNumber: `GHN${RIGHT_TO_LEFT_OVERRIDE}123` },
      );
      expectInvisibleRefused(response, ['trackingNumber'], RIGHT_TO_LEFT_OVERRIDE);
    });

    test('every offending argument is named', async () => {
      const response = await refusedWithoutWriting(gateway(), STOREFRONT, REGISTER, {
        input: newCustomer({ fullName: `Lan${ZERO_WIDTH_SPACE}`, email: `lan${RIGHT_TO_LEFT_OVERRIDE}@example.vn` }),
      });
      const named = (response.errors?.[0].extensions?.invalidArguments as { argumentPath: string[] }[]).map((p) =>
        p.argumentPath.join('.'),
      );
      expect(named).toEqual(expect.arrayContaining(['input.fullName', 'input.email']));
    });

    test('letters, marks, punctuation and ordinary spaces of real names and addresses are accepted', async () => {
      const customer = await register({ fullName: "Đặng Ngọc Ánh O'Brien-Trần" });
      expect(customer).toMatchObject({ id: expect.any(String) });
      await run(STOREFRONT, PLACE_ORDER, {
        input: newOrder(customer.id, { recipientName: 'Lê Văn Tám', street: 'Số 12/3, ngõ 45 (cạnh chợ) – Hàng Bạc' }),
      });
    });
  });

  describe('names and emails are stored NFC-normalised', () => {
    async function storedCustomer(id: string): Promise<{ full_name: string; email: string }> {
      const [row] = await gateway().database.dataSource.query('SELECT full_name, email FROM customers WHERE id = $1', [
        id,
      ]);
      return row;
    }

    test('a name typed in decomposed form is stored, and read back, composed; spaces collapse', async () => {
      const decomposed = '  Nguyễn   Thị\u00A0Lan '.normalize('NFD');
      expect(decomposed).not.toBe(decomposed.normalize('NFC'));
      const { id } = await register({ fullName: decomposed });
      expect((await storedCustomer(id)).full_name).toBe('Nguyễn Thị Lan'.normalize('NFC'));
      const read = await run(SUPPORT, `query($id: ID!) { customer(id: $id) { fullName } }`, { id });
      expect(read.customer.fullName).toBe('Nguyễn Thị Lan'.normalize('NFC'));
    });

    test('a recipient name typed in decomposed form is stored composed', async () => {
      const customer = await register();
      const order = (
        await run(STOREFRONT, PLACE_ORDER, {
          input: newOrder(customer.id, { recipientName: ' Trần  Văn Đức '.normalize('NFD') }),
        })
      ).placeOrder;
      const [row] = await gateway().database.dataSource.query(
        'SELECT recipient_name FROM shipments WHERE order_id = $1',
        [order.id],
      );
      expect(row.recipient_name).toBe('Trần Văn Đức'.normalize('NFC'));
    });

    test('an email is stored composed, and its decomposed upper-case twin is already registered', async () => {
      const local = `lân.${randomUUID().slice(0, 8)}`;
      const { id } = await register({ email: `${local}@example.vn`.normalize('NFD') });
      expect((await storedCustomer(id)).email).toBe(`${local}@example.vn`.normalize('NFC'));

      const twin = `${local.toUpperCase()}@EXAMPLE.VN`.normalize('NFD');
      const response = await refusedWithoutWriting(gateway(), STOREFRONT, REGISTER, {
        input: newCustomer({ email: twin }),
      });
      expectBadInput(response, ['input', 'email'], 'is already registered');
    });
  });

  describe('an explicit null is the same as an absent argument', () => {
    test('customers(search: null, after: null, first: null)', async () => {
      const plain = await run(SUPPORT, `{ customers { edges { node { id } } } }`);
      expect(plain.customers.edges.length).toBeGreaterThan(0);
      const literal = await run(
        SUPPORT,
        `{ customers(search: null, after: null, first: null) { edges { node { id } } } }`,
      );
      expect(literal).toEqual(plain);
      const variables = await run(
        SUPPORT,
        `query($search: String, $after: String, $first: Int) {
           customers(search: $search, after: $after, first: $first) { edges { node { id } } }
         }`,
        { search: null, after: null, first: null },
      );
      expect(variables).toEqual(plain);
    });

    test('orders(after: null, status: null), and a customer’s orders(after: null)', async () => {
      const plain = await run(ORDER_PROCESSOR, `{ orders { edges { node { id } } } }`);
      expect(plain.orders.edges.length).toBeGreaterThan(0);
      expect(
        await run(ORDER_PROCESSOR, `{ orders(after: null, status: null, first: null) { edges { node { id } } } }`),
      ).toEqual(plain);
      const nested = await run(
        SUPPORT,
        `{ customers(first: 3) { edges { node { orders(after: null, first: null) { edges { node { id } } } } } } }`,
      );
      expect(nested.customers.edges).toHaveLength(3);
    });

    test('marketingAudience(after: null), auditEvents with every filter null, unsubscribeUrl(topic: null)', async () => {
      const audience = await run(
        { role: 'MARKETING', purpose: 'MARKETING' },
        `{ marketingAudience(topic: NEWSLETTER, after: null, first: null) { edges { node { id unsubscribeUrl(topic: null) } } } }`,
      );
      expect(audience.marketingAudience.edges.length).toBeGreaterThan(0);
      for (const { node } of audience.marketingAudience.edges) expect(node.unsubscribeUrl).toEqual(expect.any(String));

      const trail = await run(
        { role: 'PRIVACY_OFFICER' },
        `{ auditEvents(customerId: null, principalId: null, from: null, to: null, after: null, first: null) {
             edges { node { id } }
           } }`,
      );
      expect(trail.auditEvents.edges.length).toBeGreaterThan(0);
    });
  });

  describe('arguments of a nested field, checked for each parent', () => {
    // The gateway remembers a query's arguments that passed, so that fifty customers'
    // orders(first: 5) are checked once: what passed must never let other values through.
    const ordersOf = (first: number) =>
      gateway().query(
        SUPPORT,
        `query($first: Int) { customers(first: 3) { edges { node { id orders(first: $first) { edges { node { id } } } } } } }`,
        { first },
      );

    test('a page size out of range is refused after a valid one passed, and a valid one still passes', async () => {
      const valid = await ordersOf(2);
      expect(valid.errors).toBeUndefined();
      expect(valid.data.customers.edges).toHaveLength(3);
      for (const first of [0, 101]) {
        const refused = await ordersOf(first);
        expect(refused.errors?.map((error) => error.extensions?.code)).toContain('BAD_USER_INPUT');
        expect(refused.data?.customers ?? null).toBeNull();
      }
      expect((await ordersOf(2)).errors).toBeUndefined();
    });

    test('in one request, each alias is checked with its own arguments', async () => {
      const response = await gateway().query(
        SUPPORT,
        `{ customers(first: 2) { edges { node { id ok: orders(first: 1) { edges { node { id } } } bad: orders(first: 0) { edges { node { id } } } } } } }`,
      );
      expect(response.errors?.map((error) => error.extensions?.code)).toContain('BAD_USER_INPUT');
      expect(response.errors?.every((error) => error.path?.at(-1) !== 'ok')).toBe(true);
    });
  });
});
