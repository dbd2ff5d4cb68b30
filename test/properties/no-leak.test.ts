import fc from 'fast-check';
import { CONSENT_STATUSES, type ConsentStatus } from '../../src/consents/consent-vocabulary';
import { verifyUnsubscribeToken } from '../../src/consents/unsubscribe-links';
import { DELIVERY_STATUSES } from '../../src/orders/order-lifecycle';
import {
  CONSENT_TOPICS,
  DEFAULT_RETENTION,
  decide,
  decideReach,
  isProtectedField,
  PURPOSES,
  resolvePurpose,
  ROLE_RULES,
  ROLES,
  type ConsentTopic,
  type Entry,
  type PolicyClock,
  type Principal,
  type Purpose,
  type SubjectFacts,
} from '../../src/policy';
import { describeOnEachDatabase, TEST_SECRET, type GraphQLResponse } from '../support/gateway';
import {
  CARRIERS,
  type Shape,
  SHAPES,
  QUERY_NAMES,
  SEARCHES,
  AUDIENCES,
  TERM_KINDS,
  type CustomerRow,
  type Secret,
  plain,
  termOf,
  readTerm,
  strings,
  customerNodes,
  sorted,
  readFacts,
  prepareWorld,
} from './no-leak-world';

/**
 * The confidentiality proof: for random principals, declared purposes, worlds (consent,
 * deregistration, order and shipment states) and uses of personal data over the
 * contract (reads, searches, unsubscribe links, consent state), nothing about a subject
 * leaves unless the policy core allows that exact principal, purpose, use and subject,
 * and every use that did happen is in the audit trail of its request. The oracle reads
 * the facts straight from the tables and asks only the policy core (never the gateway's
 * resolvers or stores) what follows from them.
 */

describeOnEachDatabase('no personal data is used unless the policy allows it', (gateway) => {
  let customers: CustomerRow[];
  let customerIds: string[];
  let orderIds: string[];
  let secrets: Secret[];

  beforeAll(async () => {
    ({ customers, customerIds, orderIds, secrets } = await prepareWorld(gateway().database.dataSource));
  });

  test('random principals, purposes, worlds and uses', async () => {
    const seen = { released: 0, matched: 0, linked: 0, consentsToMarketing: 0 };
    const world = fc.record({
      // One status per customer (4) and topic.
      consents: fc.array(fc.constantFrom(...CONSENT_STATUSES), {
        minLength: 4 * CONSENT_TOPICS.length,
        maxLength: 4 * CONSENT_TOPICS.length,
      }),
      // The data-subject request open for each customer, if any: what the privacy officer acts
      // under, a restriction that withholds the customer from the other purposes, an objection to marketing.
      requests: fc.array(fc.constantFrom(null, 'ACCESS', 'CORRECTION', 'RESTRICTION', 'OBJECTION'), {
        minLength: 4,
        maxLength: 4,
      }),
      // Mostly registered, so that searches have someone to match.
      deregistered: fc.array(fc.oneof({ arbitrary: fc.constant(false), weight: 2 }, fc.constant(true)), {
        minLength: 4,
        maxLength: 4,
      }),
      // Open, closed within the shipping retention window, or closed past it.
      orders: fc.array(fc.constantFrom('OPEN', 'CLOSED_RECENTLY', 'CLOSED_LONG_AGO'), { minLength: 4, maxLength: 4 }),
      shipments: fc.array(
        fc.record({ carrierId: fc.constantFrom(null, ...CARRIERS), status: fc.constantFrom(...DELIVERY_STATUSES) }),
        { minLength: 4, maxLength: 4 },
      ),
    });
    const request = fc.record({
      query: fc.oneof(...QUERY_NAMES.map((name) => ({ arbitrary: fc.constant(name), weight: SHAPES[name].weight }))),
      anyRole: fc.constantFrom(...ROLES),
      fittingRole: fc.option(fc.oneof(fc.constant(0), fc.nat()), { nil: undefined }),
      carrierId: fc.constantFrom(...CARRIERS),
      purpose: fc.oneof(fc.constant(undefined), fc.constant('HELD' as const), fc.constantFrom(...PURPOSES)),
      topic: fc.constantFrom(...CONSENT_TOPICS),
      linkTopic: fc.oneof(fc.constant('ASKED' as const), fc.constant(null), fc.constantFrom(...CONSENT_TOPICS)),
      subject: fc.nat(3),
      term: fc.record({ kind: fc.constantFrom(...TERM_KINDS), subject: fc.nat(3), cut: fc.nat(), mask: fc.nat() }),
    });

    await fc.assert(
      fc.asyncProperty(world, fc.array(request, { minLength: 1, maxLength: 3 }), async (state, requests) => {
        const db = gateway().database.dataSource;
        // The world, set whole each run so no run depends on the ones before it. The consent
        // history is append-only: a fresh record per customer and topic becomes the current one.
        await db.query(
          `INSERT INTO consent_records (customer_id, topic, status, channel, policy_version, actor_id)
           SELECT c, t, s, 'ACCOUNT', '2024-01', 'property-test'
             FROM unnest($1::uuid[], $2::text[], $3::text[]) AS x(c, t, s)`,
          [
            customerIds.flatMap((id) => CONSENT_TOPICS.map(() => id)),
            customerIds.flatMap(() => [...CONSENT_TOPICS]),
            // Deregistering withdraws every topic (deregisterCustomer, eraseCustomer), and no grant
            // is recorded after it: a deregistered customer's history ends in withdrawals.
            customerIds.flatMap((_, c) =>
              CONSENT_TOPICS.map((_, t) =>
                state.deregistered[c] ? 'WITHDRAWN' : state.consents[c * CONSENT_TOPICS.length + t],
              ),
            ),
          ],
        );
        await db.query(
          `UPDATE customers c SET deregistered_at = CASE WHEN x.gone THEN now() END
             FROM unnest($1::uuid[], $2::boolean[]) AS x(id, gone) WHERE c.id = x.id`,
          [customerIds, state.deregistered],
        );
        // A closed order is a final one (the schema ties closed_at to the status).
        await db.query(
          `UPDATE orders o SET status = CASE WHEN x.days < 0 THEN 'CONFIRMED' ELSE 'DELIVERED' END,
                  closed_at = CASE WHEN x.days < 0 THEN NULL ELSE now() - x.days * interval '1 day' END
             FROM unnest($1::uuid[], $2::int[]) AS x(id, days) WHERE o.id = x.id`,
          [orderIds, state.orders.map((o) => ({ OPEN: -1, CLOSED_RECENTLY: 1, CLOSED_LONG_AGO: 40 })[o])],
        );
        await db.query(
          `UPDATE shipments s SET carrier_id = NULLIF(x.carrier, ''), status = NULLIF(x.status, '')
             FROM unnest($1::uuid[], $2::text[], $3::text[]) AS x(id, carrier, status) WHERE s.order_id = x.id`,
          [
            orderIds,
            state.shipments.map((s) => s.carrierId ?? ''),
            state.shipments.map((s) => (s.carrierId === null ? '' : s.status)),
          ],
        );
        // Requests are append-only too: last run's are closed, this run's opened.
        await db.query(
          `INSERT INTO data_subject_request_events (request_id, event, actor_id, occurred_at)
           SELECT r.id, 'CLOSED', 'property-test', now() FROM data_subject_requests r
            WHERE NOT EXISTS (SELECT 1 FROM data_subject_request_events e WHERE e.request_id = r.id AND e.event = 'CLOSED')`,
        );
        await db.query(
          `INSERT INTO data_subject_requests (customer_id, kind, channel, received_at, acknowledge_by, due_by, opened_by)
           SELECT x.c, x.k, 'HOTLINE', now(), now() + interval '2 days', now() + interval '10 days', 'property-test'
             FROM unnest($1::uuid[], $2::text[]) AS x(c, k) WHERE x.k IS NOT NULL`,
          [customerIds, state.requests],
        );
        const facts = await readFacts(db);

        for (const asked of requests) {
          const shape: Shape = SHAPES[asked.query];
          const role =
            asked.fittingRole === undefined ? asked.anyRole : shape.roles[asked.fittingRole % shape.roles.length];
          const principal: Principal =
            role === 'CARRIER'
              ? { id: `test-${asked.carrierId}`, role, carrierId: asked.carrierId }
              : { id: `test-${role.toLowerCase()}`, role };
          const purpose: Purpose | undefined = asked.purpose === 'HELD' ? ROLE_RULES[role].purposes[0] : asked.purpose;
          const linkTopic = asked.linkTopic === 'ASKED' ? asked.topic : asked.linkTopic;
          const term = termOf(asked.term.kind, customers[asked.term.subject], asked.term.cut, asked.term.mask);

          const response: GraphQLResponse = await gateway().query(
            { role, carrierId: principal.carrierId, purpose },
            shape.text,
            {
              customerId: customerIds[asked.subject],
              orderId: orderIds[asked.subject],
              topic: asked.topic,
              linkTopic,
              search: term,
            },
          );
          expect(response.requestId).toEqual(expect.any(String));
          const audit: {
            customer_id: string | null;
            decision: string;
            reason: string | null;
            fields: string[];
            principal_id: string;
          }[] = await db.query(
            'SELECT customer_id, decision, reason, fields, principal_id FROM audit_events WHERE request_id = $1',
            [response.requestId],
          );
          const context = { query: asked.query, role, purpose, carrierId: principal.carrierId, term, linkTopic };

          // The oracle: the facts as the tables hold them, and the policy core's decision.
          const clock: PolicyClock = { now: new Date(), retention: DEFAULT_RETENTION };
          const customerFacts = (customerId: string) => {
            const found = facts.customers.get(customerId);
            if (!found) throw new Error(`no facts for customer ${customerId}`);
            return found;
          };
          const granted = (customerId: string, topic: ConsentTopic | null) => {
            const consents = customerFacts(customerId).consents;
            return topic === null ? [...consents.values()].includes('GRANTED') : consents.get(topic) === 'GRANTED';
          };
          const reachedAmongMany = shape.root === 'MANY';
          const inAudience = (customerId: string) => AUDIENCES.has(asked.query) && granted(customerId, asked.topic);
          const factsOf = (secret: Secret): SubjectFacts => {
            if (secret.orderId) {
              const shipment = facts.shipments.get(secret.orderId);
              if (!shipment) throw new Error(`no facts for shipment ${secret.orderId}`);
              const { deregistered, openRequests, ...rest } = shipment;
              return { shipment: rest, deregistered, openRequests, reachedAmongMany };
            }
            const { deregistered, hasOpenOrders, openRequests } = customerFacts(secret.customerId);
            const consentGranted = inAudience(secret.customerId);
            return { deregistered, hasOpenOrders, openRequests, consentGranted, reachedAmongMany };
          };
          const allowed = (secret: Secret) => decide(principal, purpose, secret.field, factsOf(secret), clock).allowed;
          const audited = (customerId: string, decision: string, field: string) =>
            audit.some((a) => a.customer_id === customerId && a.decision === decision && a.fields.includes(field));
          const auditedFor = (decision: string, field: string) =>
            sorted(
              audit.filter((a) => a.decision === decision && a.fields.includes(field)).map((a) => a.customer_id ?? ''),
            );

          // Every audit row names the caller.
          for (const row of audit)
            expect({ ...context, auditedAs: row.principal_id }).toEqual({ ...context, auditedAs: principal.id });

          // Released: every personal value in the response (data or errors) is one the policy
          // allows for that principal, purpose and subject, and its release is in the ledger.
          const inResponse = new Set(strings(response));
          for (const secret of secrets) {
            if (!inResponse.has(secret.value)) continue;
            expect({ ...context, leaked: secret.field, of: secret.customerId, allowed: allowed(secret) }).toEqual({
              ...context,
              leaked: secret.field,
              of: secret.customerId,
              allowed: true,
            });
            expect({ ...context, released: secret.field, of: secret.customerId, audited: true }).toEqual({
              ...context,
              released: secret.field,
              of: secret.customerId,
              audited: audited(secret.customerId, 'RELEASED', secret.field),
            });
            seen.released += 1;
          }
          // The ledger's releases of contact fields are all ones the policy allows.
          for (const row of audit.filter((a) => a.decision === 'RELEASED')) {
            for (const field of row.fields.filter(isProtectedField)) {
              const some = secrets.some((s) => s.field === field && s.customerId === row.customer_id && allowed(s));
              expect({ ...context, ledgerReleased: field, of: row.customer_id, allowed: some }).toEqual({
                ...context,
                ledgerReleased: field,
                of: row.customer_id,
                allowed: true,
              });
            }
          }
          const errors = JSON.stringify(response.errors ?? []);
          // Error messages echo no value, in any of its forms (the example number they give is nobody's).
          for (const c of customers) {
            for (const form of [c.email, c.phone.slice(3), plain(c.fullName)]) {
              expect({ ...context, errorsEcho: errors.includes(form) && form }).toEqual({
                ...context,
                errorsEcho: false,
              });
            }
          }
          for (const secret of secrets) expect(errors).not.toContain(secret.value);

          // Matched: a search returns exactly the subjects whose whole value the term is and
          // whom the policy lets this request match as one of many; each match is audited.
          if (SEARCHES.has(asked.query)) {
            const reading = readTerm(term);
            const mayEnter = decideReach(principal, purpose, 'Query.customers', clock).allowed;
            const mayMatch = customers
              .filter((c) => mayEnter && reading.valid && reading.matches(c))
              .filter((c) => {
                const { deregistered, hasOpenOrders, openRequests } = customerFacts(c.id);
                const subject = {
                  deregistered,
                  hasOpenOrders,
                  openRequests,
                  reachedAmongMany: true,
                  consentGranted: false,
                };
                return decide(principal, purpose, reading.field, subject, clock).allowed;
              })
              .map((c) => c.id);
            const edges: { node: { id: string } }[] = response.data?.customers?.edges ?? [];
            const returned = edges.map((edge) => edge.node.id);
            expect({ ...context, matched: sorted(returned) }).toEqual({ ...context, matched: sorted(mayMatch) });
            expect({ ...context, matchesAudited: auditedFor('MATCHED', reading.field) }).toEqual({
              ...context,
              matchesAudited: sorted(returned),
            });
            // Not even considered: the store matches only subjects in states the policy allows, so a
            // refused match (audited as WITHHELD) can only be one past the budget.
            const considered = audit
              .filter((a) => a.customer_id !== null && a.reason !== 'DISCLOSURE_LIMIT')
              .map((a) => a.customer_id ?? '');
            expect({ ...context, consideredOutsidePolicy: considered.filter((id) => !mayMatch.includes(id)) }).toEqual({
              ...context,
              consideredOutsidePolicy: [],
            });
            if (mayEnter && !reading.valid) {
              const refusedAsBadInput = (response.errors ?? []).some((e) => e.extensions?.code === 'BAD_USER_INPUT');
              expect({ ...context, refusedAsBadInput }).toEqual({ ...context, refusedAsBadInput: true });
            }
            // Errors never echo a whole value searched for (pieces may well occur in their fixed wording).
            if (reading.valid && term.trim().length >= 4) expect(errors).not.toContain(term.trim());
            seen.matched += returned.length;
          } else {
            expect({ ...context, matchedOutsideSearch: audit.filter((a) => a.decision === 'MATCHED') }).toEqual({
              ...context,
              matchedOutsideSearch: [],
            });
          }

          const nodes = customerNodes(response.data, new Set(customerIds));
          const linked: string[] = [];
          for (const node of nodes) {
            const id = node.id as string;
            const { deregistered, hasOpenOrders, openRequests } = customerFacts(id);

            // Linked: a link is minted only under MARKETING for a registered subject who
            // currently grants the topic (some topic, when none is named), and it names the minter.
            if ('unsubscribeUrl' in node) {
              const consentGranted = granted(id, linkTopic);
              const subject = { deregistered, hasOpenOrders, openRequests, consentGranted };
              const actsUnder = resolvePurpose(principal, purpose);
              // The policy core, and the rule said again without it (design: P6, deregistered means no marketing).
              const mayLink =
                decideReach(principal, purpose, 'Customer.unsubscribeUrl', clock, subject).allowed &&
                actsUnder.allowed &&
                actsUnder.purpose === 'MARKETING' &&
                consentGranted &&
                !deregistered;
              const url = node.unsubscribeUrl;
              expect({ ...context, linkFor: id, consentGranted, deregistered, minted: url !== null }).toEqual({
                ...context,
                linkFor: id,
                consentGranted,
                deregistered,
                minted: mayLink,
              });
              if (typeof url === 'string') {
                const link = await verifyUnsubscribeToken(TEST_SECRET, new URL(url).searchParams.get('token'));
                expect(link).toEqual(
                  expect.objectContaining({ customerId: id, topic: linkTopic ?? undefined, issuedBy: principal.id }),
                );
                linked.push(id);
              }
            }

            // Consent state: MARKETING sees it only for subjects reached through the topic's audience.
            for (const entry of ['Customer.consents', 'Customer.consentHistory'] as const satisfies Entry[]) {
              const key = entry.slice('Customer.'.length);
              if (!(key in node)) continue;
              const list = node[key] as { topic: ConsentTopic; status?: ConsentStatus }[];
              const subject = { deregistered, hasOpenOrders, openRequests, consentGranted: inAudience(id) };
              const mayRead = decideReach(principal, purpose, entry, clock, subject).allowed;
              const shown = list.length > 0;
              expect({ ...context, entry, of: id, shown }).toEqual({ ...context, entry, of: id, shown: mayRead });
              // Said again without the policy core, so that a wrong rule in the core cannot hide it.
              if (role === 'MARKETING') {
                expect({ ...context, entry, of: id, shownOutsideAudience: shown && !inAudience(id) }).toEqual({
                  ...context,
                  entry,
                  of: id,
                  shownOutsideAudience: false,
                });
              }
              if (entry === 'Customer.consents' && list.length > 0) {
                const current = Object.fromEntries(customerFacts(id).consents);
                expect(Object.fromEntries(list.map((c) => [c.topic, c.status]))).toEqual(current);
              }
              if (role === 'MARKETING' && list.length > 0) seen.consentsToMarketing += 1;
            }
          }
          // Every minted link is in the ledger as a release under the caller, and only those.
          expect({ ...context, linksAudited: auditedFor('RELEASED', 'Customer.unsubscribeUrl') }).toEqual({
            ...context,
            linksAudited: sorted(linked),
          });
          seen.linked += linked.length;
        }
      }),
      { numRuns: 150 },
    );
    // Not vacuous: some runs did release values, match subjects, mint links and show consent to marketing.
    expect(seen.released).toBeGreaterThan(0);
    expect(seen.matched).toBeGreaterThan(0);
    expect(seen.linked).toBeGreaterThan(0);
    expect(seen.consentsToMarketing).toBeGreaterThan(0);
  });
});
