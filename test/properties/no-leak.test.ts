import fc from 'fast-check';
import { CONSENT_STATUSES } from '../../src/consents/consent-vocabulary';
import { ACTIVE_DELIVERY_STATUSES, DELIVERY_STATUSES } from '../../src/orders/order-lifecycle';
import {
  CONSENT_TOPICS,
  DEFAULT_RETENTION,
  decide,
  PURPOSES,
  ROLES,
  type ConsentTopic,
  type ProtectedField,
  type Purpose,
  type Role,
  type SubjectFacts,
} from '../../src/policy';
import { describeOnEachDatabase } from '../support/gateway';

/**
 * The confidentiality proof: for random principals, declared purposes, consent states,
 * shipment states and queries over the contract, no personal value appears anywhere in
 * a response (data or errors) unless the policy core allows that exact principal,
 * purpose, field and subject. The oracle reads the facts straight from the tables.
 */

const CARRIERS = ['ghn', 'viettel-post'] as const;

const QUERIES = {
  customers: `{ customers{ edges { node { id fullName email phone
      orders { edges { node { shipment { recipientName recipientPhone address { street } } } } } } } } }`,
  customer: `query($customerId: ID!) { customer(id: $customerId) { fullName email phone } }`,
  orders: `{ orders{ edges { node { customer { fullName email phone }
      shipment { carrierId recipientName recipientPhone address { street } } } } } }`,
  order: `query($orderId: ID!) { order(id: $orderId) { customer { email phone } shipment { recipientPhone address { street } } } }`,
  deliveries: `{ deliveries{ edges { node { customer { email } shipment { recipientName recipientPhone address { street } } } } } }`,
  audience: `query($topic: ConsentTopic!) { marketingAudience(topic: $topic) { edges { node { fullName email phone
      orders { edges { node { shipment { recipientPhone } } } } } } } }`,
  search: `query($search: String!) { customers(search: $search) { edges { node { id email } } } }`,
} as const;

type QueryName = keyof typeof QUERIES;

interface Secret {
  value: string;
  field: ProtectedField;
  customerId: string;
  orderId?: string;
}

describeOnEachDatabase('no personal value leaves unless the policy allows it', (gateway) => {
  let customerIds: string[];
  let orderIds: string[];
  let closedAt: (Date | null)[];
  let secrets: Secret[];

  beforeAll(async () => {
    const db = gateway().database.dataSource;
    // Recipients distinct from the customers, so every value has exactly one owner field.
    await db.query(`UPDATE shipments s SET recipient_name = 'Người nhận ' || o.code,
        recipient_phone = '+8470' || right(o.code, 7), street = 'Số ' || o.code || ' Đường Thử'
      FROM orders o WHERE o.id = s.order_id`);
    const customers = await db.query('SELECT id, full_name, email, phone FROM customers ORDER BY id');
    const shipments = await db.query(
      'SELECT s.order_id, o.customer_id, o.closed_at, s.recipient_name, s.recipient_phone, s.street FROM shipments s JOIN orders o ON o.id = s.order_id ORDER BY s.order_id',
    );
    customerIds = customers.map((c: any) => c.id);
    orderIds = shipments.map((s: any) => s.order_id);
    closedAt = shipments.map((s: any) => s.closed_at);
    secrets = [
      ...customers.flatMap((c: any) => [
        { value: c.full_name, field: 'Customer.fullName' as const, customerId: c.id },
        { value: c.email, field: 'Customer.email' as const, customerId: c.id },
        { value: c.phone, field: 'Customer.phone' as const, customerId: c.id },
      ]),
      ...shipments.flatMap((s: any) => [
        {
          value: s.recipient_name,
          field: 'Shipment.recipientName' as const,
          customerId: s.customer_id,
          orderId: s.order_id,
        },
        {
          value: s.recipient_phone,
          field: 'Shipment.recipientPhone' as const,
          customerId: s.customer_id,
          orderId: s.order_id,
        },
        { value: s.street, field: 'Shipment.address' as const, customerId: s.customer_id, orderId: s.order_id },
      ]),
    ];
  });

  /** Every string anywhere in the response. */
  function strings(value: unknown): string[] {
    if (typeof value === 'string') return [value];
    if (value === null || typeof value !== 'object') return [];
    return Object.values(value).flatMap(strings);
  }

  test('random principals, purposes, worlds and queries', async () => {
    let releasedSomething = 0;
    const world = fc.record({
      consents: fc.array(fc.constantFrom(...CONSENT_STATUSES), { minLength: 16, maxLength: 16 }),
      shipments: fc.array(
        fc.record({ carrierId: fc.constantFrom(null, ...CARRIERS), status: fc.constantFrom(...DELIVERY_STATUSES) }),
        { minLength: 4, maxLength: 4 },
      ),
    });
    const request = fc.record({
      role: fc.constantFrom(...ROLES),
      carrierId: fc.constantFrom(...CARRIERS),
      purpose: fc.option(fc.constantFrom(...PURPOSES), { nil: undefined }),
      query: fc.constantFrom(...(Object.keys(QUERIES) as QueryName[])),
      topic: fc.constantFrom(...CONSENT_TOPICS),
      subject: fc.nat(3),
    });

    await fc.assert(
      fc.asyncProperty(world, request, async (state, asked) => {
        const db = gateway().database.dataSource;
        // The world: a consent record per customer and topic, a carrier and state per shipment.
        await db.query(
          `INSERT INTO consent_records (customer_id, topic, status, channel, policy_version, actor_id)
           SELECT c, t, s, 'ACCOUNT', '2024-01', 'property-test'
             FROM unnest($1::uuid[], $2::text[], $3::text[]) AS x(c, t, s)`,
          [
            customerIds.flatMap((id) => CONSENT_TOPICS.map(() => id)),
            customerIds.flatMap(() => [...CONSENT_TOPICS]),
            state.consents,
          ],
        );
        for (const [index, shipment] of state.shipments.entries()) {
          await db.query('UPDATE shipments SET carrier_id = $2, status = $3 WHERE order_id = $1', [
            orderIds[index],
            shipment.carrierId,
            shipment.carrierId === null ? null : shipment.status,
          ]);
        }

        const principal =
          asked.role === 'CARRIER'
            ? { id: `test-${asked.carrierId}`, role: asked.role, carrierId: asked.carrierId }
            : { id: `test-${asked.role.toLowerCase()}`, role: asked.role };
        const subject = secrets.find(
          (s) => s.field === 'Customer.email' && s.customerId === customerIds[asked.subject],
        );
        const response = await gateway().query(
          {
            role: asked.role as Role,
            carrierId: asked.role === 'CARRIER' ? asked.carrierId : undefined,
            purpose: asked.purpose,
          },
          QUERIES[asked.query],
          {
            customerId: customerIds[asked.subject],
            orderId: orderIds[asked.subject],
            topic: asked.topic,
            search: subject?.value,
          },
        );

        // The oracle: the facts as the tables hold them, and the policy core's decision.
        const consented = (customerId: string, topic: ConsentTopic) =>
          state.consents[customerIds.indexOf(customerId) * CONSENT_TOPICS.length + CONSENT_TOPICS.indexOf(topic)] ===
          'GRANTED';
        const factsOf = (secret: Secret): SubjectFacts => {
          if (secret.orderId) {
            const shipment = state.shipments[orderIds.indexOf(secret.orderId)];
            return {
              shipment: {
                carrierId: shipment.carrierId,
                active: shipment.carrierId !== null && ACTIVE_DELIVERY_STATUSES.includes(shipment.status),
                orderClosedAt: closedAt[orderIds.indexOf(secret.orderId)],
              },
              deregistered: false,
            };
          }
          return {
            consentGranted: asked.query === 'audience' && consented(secret.customerId, asked.topic),
            deregistered: false,
          };
        };
        const allowed = (secret: Secret) =>
          decide(principal, asked.purpose as Purpose | undefined, secret.field, factsOf(secret), {
            now: new Date(),
            retention: DEFAULT_RETENTION,
          }).allowed;

        const seen = new Set(strings(response));
        for (const secret of secrets) {
          if (!seen.has(secret.value)) continue;
          // Searching by a value echoes nothing: it is sent, never returned, unless it may be read.
          expect({ leaked: secret.field, of: secret.customerId, allowed: allowed(secret) }).toEqual({
            leaked: secret.field,
            of: secret.customerId,
            allowed: true,
          });
          releasedSomething += 1;
        }
        expect(JSON.stringify(response.errors ?? [])).not.toMatch(/@example\.vn|\+84\d{9}/);
      }),
      { numRuns: 60 },
    );
    // The property is not vacuous: some runs did release personal data.
    expect(releasedSomething).toBeGreaterThan(0);
  });
});
