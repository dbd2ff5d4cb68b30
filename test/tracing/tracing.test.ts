import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueToken } from '../../src/auth/tokens';
import type { Purpose, Role } from '../../src/policy';
import { TEST_DATABASES } from '../support/databases';
import { TEST_SECRET } from '../support/gateway';
import type { SpanRecord } from './traced-gateway';

const ROOT = join(__dirname, '../..');
const DELIVERIES = readFileSync(join(ROOT, 'contracts/carrier/Deliveries.graphql'), 'utf8');
const SERVER = 1;

/** Everything personal the demo shop holds, as a support agent sees it. */
const SUPPORT_PAGE = `{ customers(first: 100) { edges { node { id fullName email phone
  orders(first: 10) { edges { node { shipment { recipientName recipientPhone address { street ward district } } } } } } } } }`;

interface Traced {
  child: ChildProcess;
  url: string;
}

function startTracedGateway(database: string): Promise<Traced> {
  const child = fork(join(__dirname, 'traced-gateway.ts'), [database], {
    cwd: ROOT,
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: any) => resolve({ child, url: message.url }));
    child.once('exit', (code) => reject(new Error(`the traced gateway exited with ${code}`)));
  });
}

function spansOf(traced: Traced): Promise<SpanRecord[]> {
  return new Promise((resolve) => {
    traced.child.once('message', (message: any) => resolve(message.spans));
    traced.child.send('spans');
  });
}

async function post(
  traced: Traced,
  caller: { role: Role; carrierId?: string; purpose?: Purpose },
  query: string,
  variables?: Record<string, unknown>,
) {
  const token = await issueToken(TEST_SECRET, { sub: `trace-${caller.role.toLowerCase()}`, ...caller });
  const response = await fetch(traced.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      ...(caller.purpose ? { 'x-purpose': caller.purpose } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { requestId: response.headers.get('x-request-id')!, body: (await response.json()) as any };
}

/** Every string a span holds, attribute values and event attributes alike. */
function textsOf(spans: SpanRecord[]): string[] {
  return spans.flatMap((span) =>
    [span.name, ...Object.values(span.attributes), ...span.events.flatMap((e) => Object.values(e.attributes ?? {}))]
      .flat()
      .map(String),
  );
}

describe.each(TEST_DATABASES.map(({ name }) => name))('OpenTelemetry tracing [%s]', (database) => {
  let traced: Traced;
  let spans: SpanRecord[];
  let released: { requestId: string; body: any };
  let withheld: { requestId: string; body: any };
  let lookup: { requestId: string; body: any };
  let personal: string[];
  const unsubscribeToken = 'a-token-that-names-a-customer.signature';

  beforeAll(async () => {
    traced = await startTracedGateway(database);
    released = await post(traced, { role: 'CARRIER', carrierId: 'ghn', purpose: 'SHIPPING' }, DELIVERIES, {
      first: 10,
    });
    withheld = await post(traced, { role: 'CARRIER', carrierId: 'ghn', purpose: 'MARKETING' }, DELIVERIES, {
      first: 10,
    });
    const support = await post(traced, { role: 'SUPPORT_AGENT' }, SUPPORT_PAGE);
    const customers = support.body.data.customers.edges.map((edge: any) => edge.node);
    const lan = customers.find((c: any) => c.email === 'lan.nguyen@example.vn');
    // A search with a literal value in the document, a comment naming the customer, and a lookup with a variable.
    lookup = await post(
      traced,
      { role: 'SUPPORT_AGENT' },
      `# ${lan.fullName} called from ${lan.phone}
      query Lookup($id: ID!) { customers(search: "${lan.email}") { edges { node { phone } } } customer(id: $id) { fullName } }`,
      { id: lan.id },
    );
    personal = JSON.stringify(support.body.data)
      .match(/"(fullName|email|phone|recipientName|recipientPhone|street|ward|id)":"[^"]+"/g)!
      .map((pair) => pair.split('":"')[1].slice(0, -1));
    await fetch(new URL(`/unsubscribe?token=${unsubscribeToken}`, traced.url));
    spans = await spansOf(traced);
  });
  afterAll(async () => {
    if (!traced) return;
    const exited = new Promise((resolve) => traced.child.once('exit', resolve));
    traced.child.send('stop');
    await exited;
  });

  const requestSpan = (requestId: string) =>
    spans.find((span) => span.kind === SERVER && span.attributes['petto.request_id'] === requestId)!;

  const traceOf = (requestId: string) => spans.filter((span) => span.traceId === requestSpan(requestId).traceId);

  test('a released carrier query: HTTP, GraphQL and SQL spans in one trace, with role, purpose and what was released', () => {
    expect(released.body.data.deliveries.edges[0].node.shipment.recipientPhone).toMatch(/^\+84/);
    expect(requestSpan(released.requestId).attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.path': '/graphql',
      'http.response.status_code': 200,
      'petto.role': 'CARRIER',
      'petto.purpose.declared': 'SHIPPING',
      'petto.purpose': 'SHIPPING',
      'petto.released': ['Shipment.address', 'Shipment.recipientName', 'Shipment.recipientPhone'],
      'petto.withheld': [],
      'petto.subjects': 1,
    });
    const names = traceOf(released.requestId).map((span) => span.name);
    expect(names).toEqual(expect.arrayContaining(['POST', 'graphql.parse', 'graphql.validate', 'query Deliveries']));
    expect(names.filter((name) => name.startsWith('pg.query:SELECT')).length).toBeGreaterThan(0);
    const execution = traceOf(released.requestId).find((span) => span.name === 'query Deliveries')!;
    expect(execution.attributes['graphql.operation.name']).toBe('Deliveries');
  });

  test('a withheld one: the same spans, with the declared purpose and what was withheld and why', () => {
    expect(withheld.body.data.deliveries.edges[0].node.shipment.recipientPhone).toBeNull();
    expect(requestSpan(withheld.requestId).attributes).toMatchObject({
      'petto.role': 'CARRIER',
      'petto.purpose.declared': 'MARKETING',
      'petto.released': [],
      'petto.withheld': [
        'Shipment.address PURPOSE_NOT_ALLOWED',
        'Shipment.recipientName PURPOSE_NOT_ALLOWED',
        'Shipment.recipientPhone PURPOSE_NOT_ALLOWED',
      ],
      'petto.error_codes': ['PURPOSE_NOT_ALLOWED'],
    });
    // Apollo keeps the document it parsed and validated for the first request: no parse span this time.
    expect(traceOf(withheld.requestId).map((span) => span.name)).toEqual(
      expect.arrayContaining(['POST', 'query Deliveries']),
    );
  });

  test('no span holds a personal value: not from results, variables, literals in documents, nor SQL parameters', () => {
    expect(lookup.body.errors).toBeUndefined();
    expect(requestSpan(lookup.requestId).attributes['petto.matched']).toEqual(['Customer.email']);
    // Names, emails, phones (also without +84), streets, wards and customer ids of the demo shop.
    const values = [
      ...new Set([...personal.flatMap((value) => [value, value.replace(/^\+84/, '')]), unsubscribeToken]),
    ];
    expect(values.length).toBeGreaterThan(20);
    const texts = textsOf(spans);
    expect(texts.length).toBeGreaterThan(100);
    expect(values.filter((value) => texts.some((text) => text.includes(value)))).toEqual([]);
  });

  test('GraphQL documents are left out (their comments may hold anything); the operation is named', () => {
    const graphqlSpans = spans.filter((span) => span.name.startsWith('graphql.') || span.name.startsWith('query'));
    expect(graphqlSpans.length).toBeGreaterThan(5);
    const sources = graphqlSpans.map((span) => span.attributes['graphql.source']);
    expect(sources.filter((source) => source === 'REDACTED').length).toBeGreaterThan(3);
    expect(sources.filter((source) => source !== 'REDACTED' && source !== undefined)).toEqual([]);
    expect(traceOf(lookup.requestId).map((span) => span.name)).toContain('query Lookup');
  });

  test("the unsubscribe link's token and the caller's address are redacted", () => {
    const unsubscribe = spans.find((span) => span.attributes['url.path'] === '/unsubscribe')!;
    expect(unsubscribe.attributes['url.query']).toBe('token=REDACTED');
    for (const span of spans.filter((span) => span.kind === SERVER)) {
      expect(span.attributes).toMatchObject({ 'client.address': 'REDACTED', 'network.peer.address': 'REDACTED' });
    }
  });
});

/** The OpenTelemetry modules, other than its no-op API, that loading the gateway loads. */
function openTelemetryLoadedWith(endpoint: string): string[] {
  const loaded = execFileSync(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-e',
      `require('./src/start-tracing'); require('./src/http/server');
       const loaded = Object.keys(require.cache).filter((path) => path.includes('@opentelemetry/'));
       console.log(JSON.stringify(loaded.filter((path) => !path.includes('@opentelemetry/api/'))));
       process.exit(0);`,
    ],
    { cwd: ROOT, env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }, encoding: 'utf8' },
  );
  return JSON.parse(loaded);
}

test('with OTEL_EXPORTER_OTLP_ENDPOINT unset, the gateway loads none of the SDK (nor any instrumentation)', () => {
  // (prom-client loads @opentelemetry/api, the no-op interface, for its exemplars.)
  expect(openTelemetryLoadedWith('')).toEqual([]);
  expect(openTelemetryLoadedWith('http://127.0.0.1:4318').length).toBeGreaterThan(0);
});
