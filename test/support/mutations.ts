import { item, newCustomer, shipping } from './fixtures';
import type { Caller, GraphQLResponse, TestGateway } from './gateway';

/**
 * The writes (docs/design.md#the-contract, docs/design.md#behaviour-that-must-hold): every input is validated before anything is written, and a
 * refusal is BAD_USER_INPUT naming the offending argument (`extensions.argumentPath`),
 * never a 500 and never a partial write. Orders and shipments follow their lifecycles;
 * consent is an append-only history whose latest record rules from the next request.
 *
 * What their tests share: the callers, the documents, and helpers that make customers
 * and orders through the API itself.
 */

export const STOREFRONT: Caller = { role: 'STOREFRONT' };
export const ORDER_PROCESSOR: Caller = { role: 'ORDER_PROCESSOR' };
export const SUPPORT: Caller = { role: 'SUPPORT_AGENT', purpose: 'CUSTOMER_CARE' };
export const MARKETING: Caller = { role: 'MARKETING' };
export const GHN: Caller = { role: 'CARRIER', carrierId: 'ghn' };
export const VIETTEL_POST: Caller = { role: 'CARRIER', carrierId: 'viettel-post' };

export const REGISTER = `
  mutation($input: RegisterCustomerInput!) {
    registerCustomer(input: $input) { id createdAt consents { topic status channel policyVersion grantedAt withdrawnAt } }
  }`;
export const PLACE_ORDER = `
  mutation($input: PlaceOrderInput!) {
    placeOrder(input: $input) { id code status totalVnd placedAt items { sku name quantity unitPriceVnd } }
  }`;
export const UPDATE_ORDER_STATUS = `
  mutation($orderId: ID!, $status: OrderStatus!) { updateOrderStatus(orderId: $orderId, status: $status) { id status } }`;
export const ASSIGN_CARRIER = `
  mutation($orderId: ID!, $carrierId: String!, $trackingNumber: String!) {
    assignCarrier(orderId: $orderId, carrierId: $carrierId, trackingNumber: $trackingNumber) {
      id status shipment { carrierId trackingNumber status }
    }
  }`;
export const UPDATE_DELIVERY_STATUS = `
  mutation($orderId: ID!, $status: DeliveryStatus!) { updateDeliveryStatus(orderId: $orderId, status: $status) { id status } }`;
const CONSENT_FIELDS = 'topic status channel policyVersion grantedAt withdrawnAt';
export const GRANT_CONSENT = `
  mutation($customerId: ID!, $topic: ConsentTopic!, $channel: ConsentChannel!) {
    grantConsent(customerId: $customerId, topic: $topic, channel: $channel) { ${CONSENT_FIELDS} }
  }`;
export const WITHDRAW_CONSENT = `
  mutation($customerId: ID!, $topic: ConsentTopic!, $channel: ConsentChannel!) {
    withdrawConsent(customerId: $customerId, topic: $topic, channel: $channel) { ${CONSENT_FIELDS} }
  }`;

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
export const UNKNOWN_ID = '6f1c2a7e-0b8d-4c3e-9a51-2d7f0e4b8c19';

/** An order that passes every check, for the customer given. */
export function newOrder(customerId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { customerId, items: [item()], shipping: shipping(), ...overrides };
}

/** BAD_USER_INPUT (at the path, when given), no data, nothing masked or leaked from SQL. */
export function expectBadInput(response: GraphQLResponse, argumentPath?: (string | number)[]): void {
  expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  expect([200, 400]).toContain(response.status);
  if (argumentPath) expect(response.errors?.[0].extensions?.argumentPath).toEqual(argumentPath);
  for (const value of Object.values(response.data ?? {})) expect(value).toBeNull();
  expect(JSON.stringify(response.errors)).not.toMatch(
    /QueryFailedError|invalid input syntax|INSERT INTO|SELECT |stacktrace/i,
  );
}

export function expectForbidden(response: GraphQLResponse): void {
  expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  expect(response.data ?? null).toBeNull();
}

/** Helpers bound to the suite's gateway; each makes what it needs through the API. */
export function writesThrough(gateway: () => TestGateway) {
  async function register(overrides: Record<string, unknown> = {}, caller: Caller = STOREFRONT): Promise<any> {
    const response = await gateway().query(caller, REGISTER, { input: newCustomer(overrides) });
    expect(response.errors).toBeUndefined();
    return response.data.registerCustomer;
  }

  async function place(customerId: string, overrides: Record<string, unknown> = {}): Promise<any> {
    const response = await gateway().query(STOREFRONT, PLACE_ORDER, { input: newOrder(customerId, overrides) });
    expect(response.errors).toBeUndefined();
    return response.data.placeOrder;
  }

  async function run(caller: Caller, query: string, variables: Record<string, unknown> = {}): Promise<any> {
    const response = await gateway().query(caller, query, variables);
    expect(response.errors).toBeUndefined();
    return response.data;
  }

  /** An order of a new customer, confirmed and handed to the carrier given. */
  async function orderWithCarrier(carrierId: string): Promise<{ orderId: string; customerId: string }> {
    const customer = await register();
    const order = await place(customer.id);
    await run(ORDER_PROCESSOR, UPDATE_ORDER_STATUS, { orderId: order.id, status: 'CONFIRMED' });
    await run(ORDER_PROCESSOR, ASSIGN_CARRIER, { orderId: order.id, carrierId, trackingNumber: `T-${order.code}` });
    return { orderId: order.id, customerId: customer.id };
  }

  async function orderState(
    orderId: string,
  ): Promise<{ status: string; shipment: { status: string | null; carrierId: string | null } }> {
    const data = await run(
      ORDER_PROCESSOR,
      `query($id: ID!) { order(id: $id) { status shipment { status carrierId } } }`,
      {
        id: orderId,
      },
    );
    return data.order;
  }

  async function deliveryIds(carrier: Caller): Promise<string[]> {
    const data = await run(carrier, `{ deliveries(first: 100) { edges { node { id } } } }`, {});
    return data.deliveries.edges.map((e: any) => e.node.id);
  }

  async function audience(topic: string): Promise<string[]> {
    const data = await run(
      MARKETING,
      `query($topic: ConsentTopic!) { marketingAudience(topic: $topic, first: 100) { edges { node { id } } } }`,
      {
        topic,
      },
    );
    return data.marketingAudience.edges.map((e: any) => e.node.id);
  }

  async function consentRows(
    customerId: string,
  ): Promise<{ topic: string; status: string; channel: string; actor_id: string }[]> {
    return gateway().database.dataSource.query(
      'SELECT topic, status, channel, actor_id FROM consent_records WHERE customer_id = $1 ORDER BY id',
      [customerId],
    );
  }

  return { register, place, run, orderWithCarrier, orderState, deliveryIds, audience, consentRows };
}
