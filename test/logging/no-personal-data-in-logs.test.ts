import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { issueToken } from '../../src/auth/tokens';
import { signUnsubscribeToken } from '../../src/consents/unsubscribe-links';
import { logger } from '../../src/logger';
import { describeOnEachDatabase, TEST_SECRET, type Caller } from '../support/gateway';

/**
 * Logs are kept, copied and shipped, and an erasure never reaches them: a log line must
 * carry no contact data and no credential, even when a request fails inside the
 * database driver, whose errors quote the values they refused (docs/design.md#behaviour-that-must-hold: internal
 * errors are logged with a request id). Every line the process writes to stdout or
 * stderr is captured at the most verbose level, so that nothing hides behind a level.
 */

const STOREFRONT: Caller = { role: 'STOREFRONT' };

const REGISTER = `
  mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { id } }`;
const PLACE_ORDER = `
  mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`;
const ME = `{ me { id role } }`;
const UNSUBSCRIBE = `
  mutation($token: String!) { unsubscribe(token: $token) { topics alreadyUsed message } }`;

const CUSTOMER = {
  fullName: 'Trịnh Thị Lan Hương',
  email: 'lan.huong.trinh@example.vn',
  phone: '0903 271 846',
  consents: ['NEWSLETTER'],
  consentChannel: 'CHECKOUT',
};
const CUSTOMER_PHONE_FORMS = ['0903 271 846', '0903271846', '+84903271846'];

const RECIPIENT = {
  recipientName: 'Đoàn Văn Khải',
  recipientPhone: '0978 615 203',
  street: '88 Ngõ Hàng Bạc',
  ward: 'Phường Hàng Bạc',
  district: 'Quận Hoàn Kiếm',
  province: 'Hà Nội',
};
const RECIPIENT_PHONE_FORMS = ['0978 615 203', '0978615203', '+84978615203'];

/** Each way of breaking the shipment insert, as an outage or a bad migration would. */
const BROKEN_SHIPMENT_WRITES = [
  {
    title: 'a check constraint the row violates (PostgreSQL lists the whole row in `detail`)',
    logged: { code: '23514', table: 'shipments', constraint: 'shipments_logging_test' },
    install: ['ALTER TABLE shipments ADD CONSTRAINT shipments_logging_test CHECK (false) NOT VALID'],
    uninstall: ['ALTER TABLE shipments DROP CONSTRAINT shipments_logging_test'],
  },
  {
    title: 'a trigger that quotes the recipient in its message, detail and hint',
    logged: { code: 'P0001', routine: 'exec_stmt_raise' },
    install: [
      `CREATE FUNCTION refuse_shipment() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'shipment to % refused', NEW.recipient_name
            USING DETAIL = format('phone %s, street %s', NEW.recipient_phone, NEW.street),
                  HINT = format('call %s', NEW.recipient_phone);
        END $$`,
      'CREATE TRIGGER shipments_broken BEFORE INSERT ON shipments FOR EACH ROW EXECUTE FUNCTION refuse_shipment()',
    ],
    uninstall: ['DROP TRIGGER shipments_broken ON shipments', 'DROP FUNCTION refuse_shipment'],
  },
];

type LogLine = Record<string, any>;

/** Runs `action` with every write to stdout and stderr captured, and the logger at its most verbose. */
async function captureOutput(action: () => Promise<void>): Promise<string[]> {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  const level = logger.level;
  logger.level = 'trace';
  try {
    await action();
  } finally {
    logger.level = level;
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** The lines pino wrote; anything else (e.g. a stray console line) is still searched by expectNoneOf. */
function logRecords(lines: string[]): LogLine[] {
  return lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
}

function expectNoneOf(lines: string[], secrets: string[]): void {
  const found = secrets.filter((secret) => lines.some((line) => line.includes(secret)));
  expect({ found, lines }).toEqual({ found: [], lines });
}

/** The whole token, and its signature alone (a token cut short is still one). */
function tokenForms(token: string): string[] {
  return [token, token.split('.')[2]];
}

describeOnEachDatabase('no personal data in logs', (gateway) => {
  const db = () => gateway().database.dataSource;

  test('a duplicate registration logs the violated constraint, not the email', async () => {
    const lines = await captureOutput(async () => {
      const first = await gateway().query(STOREFRONT, REGISTER, { input: CUSTOMER });
      expect(first.errors).toBeUndefined();
      const again = await gateway().query(STOREFRONT, REGISTER, { input: CUSTOMER });
      expect(again.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    });

    expectNoneOf(lines, [CUSTOMER.email, CUSTOMER.fullName, ...CUSTOMER_PHONE_FORMS]);
    expect(logRecords(lines)).toContainEqual(
      expect.objectContaining({
        msg: 'SQL statement failed',
        err: expect.objectContaining({ code: '23505', constraint: 'customers_email_key', table: 'customers' }),
      }),
    );
  });

  describe.each(BROKEN_SHIPMENT_WRITES)('a failed write of a shipment: $title', ({ logged, install, uninstall }) => {
    test('logs an internal error with its request id and SQLSTATE, not the recipient', async () => {
      const input = {
        customerId: (await db().query('SELECT id FROM customers ORDER BY created_at LIMIT 1'))[0].id,
        items: [{ sku: 'WHISKAS-TUNA-1.2KG', name: 'Whiskas cá ngừ 1.2kg', quantity: 1, unitPriceVnd: 145_000 }],
        shipping: RECIPIENT,
      };
      let requestId: string | null = null;
      for (const statement of install) await db().query(statement);
      let lines: string[];
      try {
        lines = await captureOutput(async () => {
          const response = await gateway().query(STOREFRONT, PLACE_ORDER, { input });
          expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['INTERNAL_SERVER_ERROR']);
          requestId = response.requestId;
        });
      } finally {
        for (const statement of uninstall) await db().query(statement);
      }

      expectNoneOf(lines, [RECIPIENT.recipientName, RECIPIENT.street, ...RECIPIENT_PHONE_FORMS]);
      expect(requestId).toEqual(expect.any(String));
      expect(logRecords(lines)).toContainEqual(
        expect.objectContaining({
          msg: 'internal error',
          requestId,
          err: expect.objectContaining({
            type: 'QueryFailedError',
            ...logged,
            stack: expect.stringContaining('\n    at '),
          }),
        }),
      );
    });
  });

  // A refused credential is answered, not logged: no line is expected here at all.
  test('a rejected token is not logged', async () => {
    const foreign = await issueToken('another-secret-that-is-also-32-bytes-long!', {
      sub: 'test-foreign',
      role: 'SUPPORT_AGENT',
    });
    const expired = await issueToken(TEST_SECRET, { sub: 'test-expired', role: 'SUPPORT_AGENT' }, '1 hour ago');
    const forgedLink = await signUnsubscribeToken(
      'another-secret-that-is-also-32-bytes-long!',
      { customerId: randomUUID(), topic: 'NEWSLETTER' },
      new Date(Date.now() + 3_600_000),
    );
    const unsubscribeUrl = `${gateway().url.replace(/\/graphql$/, '/unsubscribe')}?token=${forgedLink}`;

    const lines = await captureOutput(async () => {
      for (const token of [foreign, expired]) {
        const response = await gateway().query({ role: 'SUPPORT_AGENT', authorization: `Bearer ${token}` }, ME);
        expect(response.status).toBe(401);
      }
      const mutation = await gateway().post({ query: UNSUBSCRIBE, variables: { token: forgedLink } });
      expect(mutation.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect((await fetch(unsubscribeUrl)).status).toBe(400);
      const oneClick = await fetch(unsubscribeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(oneClick.status).toBe(400);
    });

    expectNoneOf(lines, [foreign, expired, forgedLink].flatMap(tokenForms));
  });

  test('the preference centre logs what changed, not who, nor with which link', async () => {
    const person = {
      ...CUSTOMER,
      fullName: 'Lạc Thị Thu Trang',
      email: 'thu.trang.lac@example.vn',
      phone: '0903 271 847',
    };
    const registered = await gateway().query(STOREFRONT, REGISTER, { input: person });
    const customerId = registered.data.registerCustomer.id;
    const expiresAt = new Date(Date.now() + 3_600_000);
    const token = await signUnsubscribeToken(TEST_SECRET, { customerId, topic: 'NEWSLETTER' }, expiresAt);
    const centre = gateway().url.replace(/\/graphql$/, '/unsubscribe');
    const send = (fields: Record<string, string>) =>
      fetch(centre, { method: 'POST', body: new URLSearchParams({ ...fields, token }) });

    const lines = await captureOutput(async () => {
      expect((await fetch(`${centre}?token=${token}`)).status).toBe(200);
      expect((await send({ preference: 'topic', topic: 'NEWSLETTER', status: 'WITHDRAWN' })).status).toBe(200);
      expect((await send({ preference: 'confirm-cancel-registration' })).status).toBe(200);
    });

    expect(lines.some((line) => line.includes('consent changed in the preference centre'))).toBe(true);
    expect(lines.some((line) => line.includes('registration cancelled in the preference centre'))).toBe(true);
    expectNoneOf(lines, [person.fullName, person.email, '0903271847', customerId, ...tokenForms(token)]);
  });
});

describe('the logger', () => {
  test('censors credentials wherever a request or its headers are logged', async () => {
    const token = await issueToken(TEST_SECRET, { sub: 'test-redaction', role: 'SUPPORT_AGENT' });
    const authorization = `Bearer ${token}`;
    const lines = await captureOutput(async () => {
      logger.info({ authorization, token }, 'top level');
      logger.info({ headers: { authorization, cookie: `session=${token}` } }, 'headers');
      logger.info({ req: { headers: { authorization, cookie: `session=${token}` } } }, 'a request');
      logger.info({ link: { token } }, 'nested');
    });

    expect(lines).toHaveLength(4);
    expectNoneOf(lines, tokenForms(token));
    expect(lines.every((line) => line.includes('[redacted]'))).toBe(true);
  });

  /** As pg reports a value it refused: in the message, the detail and the context. */
  function driverError(): Error {
    return Object.assign(new Error(`invalid input syntax for type uuid: "${CUSTOMER.email}"`), {
      code: '22P02',
      severity: 'ERROR',
      detail: `Key (email)=(${CUSTOMER.email}) already exists.`,
      where: `SQL statement "SELECT '${CUSTOMER.phone}'"`,
    });
  }

  test("keeps an application error's message, and judges its cause by the database rules", async () => {
    const lines = await captureOutput(async () => {
      logger.error({ error: new Error('the carrier sync failed', { cause: driverError() }) }, 'sync failed');
    });

    expectNoneOf(lines, [CUSTOMER.email, CUSTOMER.phone]);
    expect(logRecords(lines)).toEqual([
      expect.objectContaining({
        error: expect.objectContaining({
          type: 'Error',
          message: 'the carrier sync failed',
          cause: expect.objectContaining({ type: 'Error', code: '22P02', severity: 'ERROR' }),
        }),
      }),
    ]);
  });

  test('a database error logged without a message, or wrapped in a GraphQLError, keeps no value', async () => {
    const lines = await captureOutput(async () => {
      logger.error(driverError());
      logger.error({ err: driverError() });
      const wrapped = driverError();
      logger.error({ err: new GraphQLError(wrapped.message, { originalError: wrapped }) }, 'internal error');
    });

    expectNoneOf(lines, [CUSTOMER.email, CUSTOMER.phone]);
    expect(logRecords(lines).map((line) => line.err.code ?? line.err.originalError.code)).toEqual([
      '22P02',
      '22P02',
      '22P02',
    ]);
  });
});
