import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeOnEachDatabase, errorCodes, type TestGateway } from '../support/gateway';

const CARRIER_CONTRACTS = join(__dirname, '../../contracts/carrier');

/** Row counts of every business table: a refused request must leave them as they were. */
async function businessRows(gateway: TestGateway): Promise<Record<string, number>> {
  const [counts] = await gateway.database.dataSource.query(`
    SELECT (SELECT count(*) FROM customers)::int AS customers, (SELECT count(*) FROM orders)::int AS orders,
           (SELECT count(*) FROM order_items)::int AS items, (SELECT count(*) FROM shipments)::int AS shipments,
           (SELECT count(*) FROM consent_records)::int AS consents`);
  return counts;
}

function aliases(count: number, field: string): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
}

describeOnEachDatabase('query limits', (gateway) => {
  test.each([
    [
      'maxDepth',
      `{ customers { edges { node { orders { edges { node { shipment { address { street } } customer { orders { edges { node { code } } } } } } } } } } }`,
    ],
    ['maxAliases', aliases(16, 'me { id }')],
    ['maxTokens', `{ me { ${Array.from({ length: 2100 }, () => 'id').join(' ')} } }`],
  ])('an operation past %s is QUERY_TOO_COMPLEX, naming the limit and its value', async (limit, query) => {
    const response = await gateway().query({ role: 'SUPPORT_AGENT' }, query);
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', limit, max: expect.any(Number) }),
      }),
    ]);
    expect(response.data).toBeUndefined();
  });

  test('1,000 aliases of customers are refused before anything runs', async () => {
    const before = gateway().database.statements.statements;
    const response = await gateway().query(
      { role: 'SUPPORT_AGENT' },
      aliases(1000, 'customers(first: 100) { edges { node { email } } }'),
    );
    expect(errorCodes(response)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(gateway().database.statements.statements).toBe(before);
  });
});

describeOnEachDatabase('schema privacy', (gateway) => {
  test('introspection works in development', async () => {
    const response = await gateway().query({ role: 'ANALYST' }, `{ __schema { queryType { name } } }`);
    expect(response.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  test('no "did you mean" suggestions that would name other fields', async () => {
    const response = await gateway().query({ role: 'ANALYST' }, `{ customers { edges { node { emai } } } }`);
    expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.errors?.[0].message).not.toMatch(/did you mean|email/i);
  });
});

describeOnEachDatabase(
  'schema privacy in production',
  (gateway) => {
    test('introspection is off', async () => {
      const response = await gateway().query({ role: 'PRIVACY_OFFICER' }, `{ __schema { types { name } } }`);
      expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(response.data).toBeUndefined();
    });
  },
  { NODE_ENV: 'production' },
);

describeOnEachDatabase(
  'rate limiting',
  (gateway) => {
    test('past its rate a principal gets RATE_LIMITED with a Retry-After, others do not', async () => {
      const token = await gateway().token('ANALYST');
      const ask = () =>
        fetch(gateway().url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: '{ me { id } }' }),
        });
      for (let i = 0; i < 3; i += 1) expect((await ask()).status).toBe(200);
      const limited = await ask();
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await limited.json()) as any;
      expect(body.errors[0].extensions).toEqual(
        expect.objectContaining({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) }),
      );
      expect((await gateway().query({ role: 'SUPPORT_AGENT' }, '{ me { id } }')).status).toBe(200);
    });
  },
  { RATE_LIMIT_PER_MINUTE: '3' },
);

describeOnEachDatabase(
  'carrier operations are safelisted',
  (gateway) => {
    const deliveries = readFileSync(join(CARRIER_CONTRACTS, 'Deliveries.graphql'), 'utf8');

    test('a registered operation runs, however it is laid out', async () => {
      for (const query of [deliveries, deliveries.replace(/#[^\n]*/g, '').replace(/\s+/g, ' ')]) {
        const response = await gateway().query({ role: 'CARRIER', carrierId: 'ghn' }, query);
        expect(response.errors).toBeUndefined();
        expect(response.data.deliveries.edges.length).toBeGreaterThan(0);
      }
    });

    test('any other document from a carrier is OPERATION_NOT_ALLOWED', async () => {
      const response = await gateway().query(
        { role: 'CARRIER', carrierId: 'ghn' },
        `{ deliveries { edges { node { code } } } }`,
      );
      expect(response.status).toBe(403);
      expect(errorCodes(response)).toEqual(['OPERATION_NOT_ALLOWED']);
      expect(response.data).toBeUndefined();
    });

    test('dashboard roles keep free-form queries', async () => {
      const response = await gateway().query(
        { role: 'ORDER_PROCESSOR' },
        `{ orders(first: 1) { edges { node { code } } } }`,
      );
      expect(response.errors).toBeUndefined();
    });
  },
  { SAFELIST: 'enforce' },
);

describeOnEachDatabase('bad requests get their documented error, and change nothing', (gateway) => {
  let before: Record<string, number>;
  beforeAll(async () => {
    before = await businessRows(gateway());
  });
  afterEach(async () => {
    expect((await fetch(gateway().url.replace('/graphql', '/healthz'))).status).toBe(200);
    expect(await businessRows(gateway())).toEqual(before);
  });

  async function raw(body: string | Buffer, contentType = 'application/json') {
    const token = await gateway().token('SUPPORT_AGENT');
    const response = await fetch(gateway().url, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
      body,
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  test('malformed JSON', async () => {
    const { status, body } = await raw('{"query": "{ me { id } }"');
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  test.each([['[]'], ['"a string"'], ['42'], ['null']])('a body that is not an object: %s', async (body) => {
    const response = await raw(body);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).not.toMatch(/at \w+ \(|node_modules/);
  });

  test('a 2 MB query', async () => {
    const { status, body } = await raw(JSON.stringify({ query: `{ me { id } } #${'x'.repeat(2 * 1024 * 1024)}` }));
    expect(status).toBe(413);
    expect(body.errors[0]).toEqual({
      message: 'the request body is over 100kb',
      extensions: expect.objectContaining({ code: 'BAD_REQUEST' }),
    });
  });

  test('a 10,000-deep nesting', async () => {
    const query = `${'{ a '.repeat(10_000)}${'}'.repeat(10_000)}`;
    const { status, body } = await raw(JSON.stringify({ query }));
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });

  test('invalid UTF-8', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"query":"{ me { id '),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from(' } }"}'),
    ]);
    const { status, body } = await raw(bytes);
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  test('SQL-looking strings in every string argument are data, never SQL', async () => {
    const sql = `'; DROP TABLE customers; --`;
    const response = await gateway().query(
      { role: 'SUPPORT_AGENT' },
      `query($s: String!) { customers(search: $s) { edges { node { id } } } }`,
      { s: sql },
    );
    expect(response.data.customers.edges).toEqual([]);
    const registration = await gateway().query(
      { role: 'STOREFRONT' },
      `mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { id } }`,
      { input: { fullName: sql, email: `x'--@example.vn`, phone: sql, consents: [] } },
    );
    expect(errorCodes(registration)).toEqual(['BAD_USER_INPUT']);
    const assignment = await gateway().query(
      { role: 'ORDER_PROCESSOR' },
      `mutation($id: ID!, $c: String!, $t: String!) { assignCarrier(orderId: $id, carrierId: $c, trackingNumber: $t) { id } }`,
      { id: `' OR 1=1 --`, c: sql, t: sql },
    );
    expect(errorCodes(assignment)).toEqual(['BAD_USER_INPUT']);
  });

  test('an internal failure shows a request id and nothing of the SQL', async () => {
    const db = gateway().database.dataSource;
    await db.query('ALTER TABLE order_items RENAME TO order_items_elsewhere');
    try {
      const response = await gateway().query(
        { role: 'ANALYST' },
        `{ orders(first: 1) { edges { node { code items { sku } } } } }`,
      );
      const internal = response.errors?.find((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR');
      expect(internal).toEqual({
        message: 'Internal server error',
        path: ['orders', 'edges', 0, 'node', 'items'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: response.requestId },
      });
      expect(JSON.stringify(response)).not.toMatch(/order_items|relation|SELECT|stack/i);
    } finally {
      await db.query('ALTER TABLE order_items_elsewhere RENAME TO order_items');
    }
  });
});

describeOnEachDatabase('metrics', (gateway) => {
  test('GET /metrics counts requests and disclosures, and names no person', async () => {
    await gateway().query({ role: 'SUPPORT_AGENT' }, `{ customers(first: 2) { edges { node { email } } } }`);
    const response = await fetch(gateway().url.replace('/graphql', '/metrics'));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/petto_disclosure_records_total\{role="SUPPORT_AGENT",decision="RELEASED",reason=""\} \d+/);
    expect(text).toMatch(/petto_http_request_duration_seconds_count\{status="200"\} \d+/);
    expect(text).not.toMatch(/@example\.vn|\+84\d|test-support_agent/);
  });
});
