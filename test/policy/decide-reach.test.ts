import {
  DEFAULT_RETENTION,
  decide,
  decideMatch,
  decideReach,
  REACH,
  type Entry,
  ROLES,
  type Decision,
  type ProtectedField,
  type Role,
  type SubjectFacts,
} from '../../src/policy';
import { FIELDS, code, principal, FAVOURABLE, CLOCK, daysAgo } from './decisions';

describe('policy decision: reach', () => {
  /**
   * Which role may take which entry into personal data, under its own purpose, written
   * out by hand from docs/design.md#the-model: the row scope it gets, or '-' where it may not.
   * Columns: STOREFRONT ORDER_PROCESSOR CARRIER SUPPORT_AGENT MARKETING ANALYST PRIVACY_OFFICER.
   */
  const EXPECTED_REACH = `
Query.customer            -   -   -   ANY ANY ANY ANY
Query.customers           -   -   -   ANY -   ANY ANY
Query.marketingAudience   -   -   -   -   AUD -   -
Query.order               -   RET OWN ANY -   ANY ANY
Query.orders              -   RET OWA ANY -   ANY ANY
Query.deliveries          -   -   OWA -   -   -   -
Query.auditEvents         -   -   -   -   -   -   ANY
Query.exportCustomerData  -   -   -   -   -   -   ANY
Order.customer            -   ANY -   ANY -   ANY ANY
Customer.orders           -   -   -   ANY -   ANY ANY
Customer.consents         ANY ANY -   ANY AUD ANY ANY
Customer.consentHistory   ANY ANY -   ANY AUD ANY ANY
Customer.unsubscribeUrl   -   -   -   -   AUD -   -
Customer.disclosures      -   -   -   -   -   -   ANY
Query.dataSubjectRequests -   -   -   -   -   -   ANY
Customer.dataSubjectRequests -   -   -   -   -   -   ANY
DataSubjectRequest.customer -   -   -   ANY -   -   ANY
Query.customersOnOldNotice -   -   -   -   -   -   ANY
`;
  const filterCode = (decision: ReturnType<typeof decideReach>): string => {
    if (!decision.allowed) return '-';
    const { filter } = decision;
    if (filter.consentToTopicGranted) return 'AUD';
    if (filter.closedSince) return 'RET';
    if (filter.carrierId) return filter.activeDeliveriesOnly ? 'OWA' : 'OWN';
    return 'ANY';
  };
  const rows = EXPECTED_REACH.trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));

  test('covers every entry', () => {
    expect(rows.map(([entry]) => entry)).toEqual(Object.keys(REACH));
  });

  test.each(rows)('%s', (entry, ...expected) => {
    const actual = ROLES.map((role) => filterCode(decideReach(principal(role), undefined, entry as Entry, CLOCK)));
    expect(actual).toEqual(expected);
  });

  test('a row filter is data: the carrier’s id, and the retention cutoff from the clock', () => {
    expect(decideReach(principal('CARRIER'), undefined, 'Query.deliveries', CLOCK)).toEqual({
      allowed: true,
      filter: { carrierId: 'ghn', activeDeliveriesOnly: true },
      purpose: 'SHIPPING',
    });
    expect(decideReach(principal('ORDER_PROCESSOR'), undefined, 'Query.orders', CLOCK)).toEqual({
      allowed: true,
      filter: { closedSince: daysAgo(DEFAULT_RETENTION.shippingDays) },
      purpose: 'ORDER_PROCESSING',
    });
  });

  test('an entry bound to a purpose refuses another one with PURPOSE_NOT_ALLOWED', () => {
    expect(code(decideReach(principal('SUPPORT_AGENT'), undefined, 'Customer.unsubscribeUrl', CLOCK) as Decision)).toBe(
      'PNA',
    );
    expect(
      code(decideReach(principal('PRIVACY_OFFICER'), 'CUSTOMER_CARE', 'Query.exportCustomerData', CLOCK) as Decision),
    ).toBe('PNA');
  });

  test('a link needs the consent of that subject and spends the budget; consent state needs the audience', () => {
    const marketing = principal('MARKETING');
    const link = (facts: SubjectFacts) =>
      code(decideReach(marketing, undefined, 'Customer.unsubscribeUrl', CLOCK, facts) as Decision);
    expect(link({ consentGranted: true })).toBe('OK');
    expect(link({ consentGranted: false })).toBe('CR');
    expect(link({ consentGranted: true, disclosureLimitReached: true })).toBe('DL');
    expect(code(decideReach(marketing, undefined, 'Customer.consents', CLOCK, {}) as Decision)).toBe('OOS');
    // What rests on consent ends with the registration, even if a consent record said otherwise.
    expect(link({ consentGranted: true, deregistered: true })).toBe('RE');
    const consentState = { consentGranted: true, deregistered: true };
    expect(code(decideReach(marketing, undefined, 'Customer.consents', CLOCK, consentState) as Decision)).toBe('RE');
  });

  test('the carrier with no carrierId reaches no order', () => {
    expect(code(decideReach({ id: 'x', role: 'CARRIER' }, undefined, 'Query.order', CLOCK) as Decision)).toBe('OOS');
  });
});

describe('policy decision: matching and one subject at a time', () => {
  test('under DATA_SUBJECT_REQUEST contact fields go only to a subject looked up by itself', () => {
    const officer = principal('PRIVACY_OFFICER');
    for (const field of FIELDS) {
      expect(code(decide(officer, undefined, field, { ...FAVOURABLE, reachedAmongMany: true }, CLOCK))).toBe('1SUB');
      expect(code(decide(officer, undefined, field, { ...FAVOURABLE, reachedAmongMany: false }, CLOCK))).toBe('OK');
    }
    expect(
      code(decide(principal('SUPPORT_AGENT'), undefined, 'Customer.email', { reachedAmongMany: true }, CLOCK)),
    ).toBe('OK');
  });

  test('a search matches exactly the customer states a read would be allowed for', () => {
    const states = (role: Role, field: ProtectedField) => {
      const match = decideMatch(principal(role), undefined, field, CLOCK);
      return match.allowed ? match.states : code(match as Decision);
    };
    // A restricted customer is never matched: a search serves no purpose a restriction leaves open.
    const all = [
      { deregistered: false, hasOpenOrders: false, restricted: false },
      { deregistered: false, hasOpenOrders: true, restricted: false },
      { deregistered: true, hasOpenOrders: false, restricted: false },
      { deregistered: true, hasOpenOrders: true, restricted: false },
    ];
    expect(states('SUPPORT_AGENT', 'Customer.email')).toEqual(all.slice(0, 2));
    expect(states('ORDER_PROCESSOR', 'Customer.phone')).toEqual([...all.slice(0, 2), all[3]]);
    expect(states('ANALYST', 'Customer.email')).toBe('PNA');
    expect(states('PRIVACY_OFFICER', 'Customer.email')).toBe('1SUB');
    // Marketing reads no contact field (the gateway sends for it), so it matches by none.
    expect(states('MARKETING', 'Customer.email')).toBe('PNA');
  });
});
