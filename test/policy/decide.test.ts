import {
  DEFAULT_RETENTION,
  decide,
  decideMatch,
  decideReach,
  decideUse,
  REACH,
  type Entry,
  PROTECTED_FIELDS,
  PURPOSES,
  ROLES,
  type Decision,
  type Principal,
  type ProtectedField,
  type Purpose,
  type Role,
  type SubjectFacts,
} from '../../src/policy';

const FIELDS = Object.keys(PROTECTED_FIELDS) as ProtectedField[];

/** Short codes for the expected matrix below. */
const CODE: Record<string, string> = {
  ALLOW: 'OK',
  PURPOSE_NOT_ALLOWED: 'PNA',
  PURPOSE_REQUIRED: 'PR',
  CONSENT_REQUIRED: 'CR',
  OUT_OF_SCOPE: 'OOS',
  RETENTION_EXPIRED: 'RE',
  DISCLOSURE_LIMIT: 'DL',
  ONE_SUBJECT_AT_A_TIME: '1SUB',
};

function code(decision: Decision): string {
  return CODE[decision.allowed ? 'ALLOW' : decision.reason];
}

function principal(role: Role): Principal {
  return role === 'CARRIER' ? { id: 'p', role, carrierId: 'ghn' } : { id: 'p', role };
}

/** The subject as favourable as it can be, so that only role × purpose × field decides. */
const FAVOURABLE: SubjectFacts = {
  consentGranted: true,
  shipment: { carrierId: 'ghn', active: true, orderClosedAt: null },
};

const NOW = new Date('2026-11-25T12:00:00Z');
const CLOCK = { now: NOW, retention: DEFAULT_RETENTION };
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 24 * 60 * 60 * 1000);

/**
 * Every role × declared purpose ('-' for no X-Purpose) × protected field, written out
 * by hand from DESIGN.md §2. Columns: Customer.fullName, Customer.email, Customer.phone,
 * Shipment.recipientName, Shipment.recipientPhone, Shipment.address.
 */
const EXPECTED_MATRIX = `
STOREFRONT      -                    PNA PNA PNA PNA PNA PNA
STOREFRONT      ORDER_PROCESSING     PNA PNA PNA PNA PNA PNA
STOREFRONT      SHIPPING             PNA PNA PNA PNA PNA PNA
STOREFRONT      CUSTOMER_CARE        PNA PNA PNA PNA PNA PNA
STOREFRONT      MARKETING            PNA PNA PNA PNA PNA PNA
STOREFRONT      DATA_SUBJECT_REQUEST PNA PNA PNA PNA PNA PNA
ORDER_PROCESSOR -                    OK  OK  OK  OK  OK  OK
ORDER_PROCESSOR ORDER_PROCESSING     OK  OK  OK  OK  OK  OK
ORDER_PROCESSOR SHIPPING             PNA PNA PNA PNA PNA PNA
ORDER_PROCESSOR CUSTOMER_CARE        PNA PNA PNA PNA PNA PNA
ORDER_PROCESSOR MARKETING            PNA PNA PNA PNA PNA PNA
ORDER_PROCESSOR DATA_SUBJECT_REQUEST PNA PNA PNA PNA PNA PNA
CARRIER         -                    PNA PNA PNA OK  OK  OK
CARRIER         ORDER_PROCESSING     PNA PNA PNA PNA PNA PNA
CARRIER         SHIPPING             PNA PNA PNA OK  OK  OK
CARRIER         CUSTOMER_CARE        PNA PNA PNA PNA PNA PNA
CARRIER         MARKETING            PNA PNA PNA PNA PNA PNA
CARRIER         DATA_SUBJECT_REQUEST PNA PNA PNA PNA PNA PNA
SUPPORT_AGENT   -                    OK  OK  OK  OK  OK  OK
SUPPORT_AGENT   ORDER_PROCESSING     PNA PNA PNA PNA PNA PNA
SUPPORT_AGENT   SHIPPING             PNA PNA PNA PNA PNA PNA
SUPPORT_AGENT   CUSTOMER_CARE        OK  OK  OK  OK  OK  OK
SUPPORT_AGENT   MARKETING            PNA PNA PNA PNA PNA PNA
SUPPORT_AGENT   DATA_SUBJECT_REQUEST PNA PNA PNA PNA PNA PNA
MARKETING       -                    OK  OK  PNA PNA PNA PNA
MARKETING       ORDER_PROCESSING     PNA PNA PNA PNA PNA PNA
MARKETING       SHIPPING             PNA PNA PNA PNA PNA PNA
MARKETING       CUSTOMER_CARE        PNA PNA PNA PNA PNA PNA
MARKETING       MARKETING            OK  OK  PNA PNA PNA PNA
MARKETING       DATA_SUBJECT_REQUEST PNA PNA PNA PNA PNA PNA
ANALYST         -                    PNA PNA PNA PNA PNA PNA
ANALYST         ORDER_PROCESSING     PNA PNA PNA PNA PNA PNA
ANALYST         SHIPPING             PNA PNA PNA PNA PNA PNA
ANALYST         CUSTOMER_CARE        PNA PNA PNA PNA PNA PNA
ANALYST         MARKETING            PNA PNA PNA PNA PNA PNA
ANALYST         DATA_SUBJECT_REQUEST PNA PNA PNA PNA PNA PNA
PRIVACY_OFFICER -                    OK  OK  OK  OK  OK  OK
PRIVACY_OFFICER ORDER_PROCESSING     PNA PNA PNA PNA PNA PNA
PRIVACY_OFFICER SHIPPING             PNA PNA PNA PNA PNA PNA
PRIVACY_OFFICER CUSTOMER_CARE        PNA PNA PNA PNA PNA PNA
PRIVACY_OFFICER MARKETING            PNA PNA PNA PNA PNA PNA
PRIVACY_OFFICER DATA_SUBJECT_REQUEST OK  OK  OK  OK  OK  OK
`;

const expectedRows = EXPECTED_MATRIX.trim()
  .split('\n')
  .map((line) => line.trim().split(/\s+/));

describe('policy decision: the role × purpose × field matrix', () => {
  test('covers every role and every declared purpose, and names the fields in order', () => {
    expect(FIELDS).toEqual([
      'Customer.fullName',
      'Customer.email',
      'Customer.phone',
      'Shipment.recipientName',
      'Shipment.recipientPhone',
      'Shipment.address',
    ]);
    const combinations = ROLES.flatMap((role) => ['-', ...PURPOSES].map((purpose) => `${role} ${purpose}`));
    expect(expectedRows.map(([role, purpose]) => `${role} ${purpose}`)).toEqual(combinations);
  });

  test.each(expectedRows)('%s declaring %s', (role, declared, ...expected) => {
    const purpose = declared === '-' ? undefined : (declared as Purpose);
    const actual = FIELDS.map((field) => code(decide(principal(role as Role), purpose, field, FAVOURABLE, CLOCK)));
    expect(actual).toEqual(expected);
    // The subject-independent part agrees wherever it can already tell.
    const use = FIELDS.map((field) => code(decideUse(principal(role as Role), purpose, field)));
    expect(use).toEqual(expected);
  });
});

describe('policy decision: facts about the subject', () => {
  const carrier: Principal = { id: 'ghn-bot', role: 'CARRIER', carrierId: 'ghn' };
  const recipientFields = FIELDS.filter((field) => field.startsWith('Shipment.'));

  test.each([
    ['its own shipment under way', { carrierId: 'ghn', active: true, orderClosedAt: null }, 'OK'],
    ["another carrier's shipment", { carrierId: 'viettel-post', active: true, orderClosedAt: null }, 'OOS'],
    ['a shipment with no carrier yet', { carrierId: null, active: false, orderClosedAt: null }, 'OOS'],
    ['its own shipment once delivered', { carrierId: 'ghn', active: false, orderClosedAt: daysAgo(1) }, 'RE'],
  ])('a carrier reading the recipient of %s: %s', (_label, shipment, expected) => {
    for (const field of recipientFields) {
      expect(code(decide(carrier, 'SHIPPING', field, { shipment }, CLOCK))).toBe(expected);
    }
  });

  test('a carrier with no carrierId reaches no shipment', () => {
    const anonymous: Principal = { id: 'x', role: 'CARRIER' };
    expect(
      code(
        decide(
          anonymous,
          'SHIPPING',
          'Shipment.recipientPhone',
          { shipment: { carrierId: 'ghn', active: true, orderClosedAt: null } },
          CLOCK,
        ),
      ),
    ).toBe('OOS');
  });

  test('shop staff keep reading a delivered or another carrier’s shipment', () => {
    const shipment = { carrierId: 'viettel-post', active: false, orderClosedAt: daysAgo(1) };
    for (const role of ['ORDER_PROCESSOR', 'SUPPORT_AGENT', 'PRIVACY_OFFICER'] as const) {
      for (const field of recipientFields)
        expect(code(decide(principal(role), undefined, field, { shipment }, CLOCK))).toBe('OK');
    }
  });

  test('marketing reads name and email only with consent, and phone never', () => {
    const marketing = principal('MARKETING');
    const withConsent = { consentGranted: true };
    const without = { consentGranted: false };
    expect(code(decide(marketing, 'MARKETING', 'Customer.email', withConsent, CLOCK))).toBe('OK');
    expect(code(decide(marketing, 'MARKETING', 'Customer.fullName', withConsent, CLOCK))).toBe('OK');
    expect(code(decide(marketing, 'MARKETING', 'Customer.email', without, CLOCK))).toBe('CR');
    expect(code(decide(marketing, 'MARKETING', 'Customer.fullName', {}, CLOCK))).toBe('CR');
    expect(code(decide(marketing, 'MARKETING', 'Customer.phone', withConsent, CLOCK))).toBe('PNA');
  });

  test('contract purposes do not depend on marketing consent', () => {
    for (const role of ['ORDER_PROCESSOR', 'SUPPORT_AGENT'] as const) {
      expect(code(decide(principal(role), undefined, 'Customer.email', { consentGranted: false }, CLOCK))).toBe('OK');
    }
  });

  test('past its disclosure budget a principal is refused whatever else allows it', () => {
    const limited = {
      consentGranted: true,
      shipment: { carrierId: 'ghn', active: true, orderClosedAt: null },
      disclosureLimitReached: true,
    };
    for (const role of ROLES) {
      for (const field of FIELDS) {
        const decision = decide(principal(role), undefined, field, limited, CLOCK);
        const otherwise = decide(
          principal(role),
          undefined,
          field,
          { ...limited, disclosureLimitReached: false },
          CLOCK,
        );
        // The budget only ever turns an allow into DISCLOSURE_LIMIT; a refusal keeps its own reason.
        expect(code(decision)).toBe(otherwise.allowed ? 'DL' : code(otherwise));
      }
    }
  });

  describe('retention (P5) and deregistration (P6)', () => {
    const recipientOf = (orderClosedAt: Date | null, deregistered = false): SubjectFacts => ({
      shipment: { carrierId: 'ghn', active: orderClosedAt === null, orderClosedAt },
      deregistered,
    });

    test.each([
      ['an open order', null, 'OK'],
      ['an order closed 29 days ago', daysAgo(29), 'OK'],
      ['an order closed 31 days ago', daysAgo(31), 'RE'],
    ])('shop staff read the recipient of %s: %s', (_label, closedAt, expected) => {
      for (const role of ['ORDER_PROCESSOR', 'SUPPORT_AGENT'] as const) {
        expect(code(decide(principal(role), undefined, 'Shipment.recipientPhone', recipientOf(closedAt), CLOCK))).toBe(
          expected,
        );
      }
    });

    test('the window is configuration', () => {
      const shortWindow = { now: NOW, retention: { ...DEFAULT_RETENTION, shippingDays: 7 } };
      expect(
        code(decide(principal('SUPPORT_AGENT'), undefined, 'Shipment.address', recipientOf(daysAgo(8)), shortWindow)),
      ).toBe('RE');
    });

    test("the person's own request is never cut off", () => {
      const officer = principal('PRIVACY_OFFICER');
      expect(code(decide(officer, undefined, 'Shipment.recipientPhone', recipientOf(daysAgo(400), true), CLOCK))).toBe(
        'OK',
      );
      expect(
        code(decide(officer, undefined, 'Customer.email', { deregistered: true, hasOpenOrders: false }, CLOCK)),
      ).toBe('OK');
    });

    test('a deregistered customer is served only for orders already open, and only to process and deliver them', () => {
      const withOpenOrder = { deregistered: true, hasOpenOrders: true };
      const withoutOpenOrder = { deregistered: true, hasOpenOrders: false };
      expect(code(decide(principal('ORDER_PROCESSOR'), undefined, 'Customer.phone', withOpenOrder, CLOCK))).toBe('OK');
      expect(code(decide(principal('ORDER_PROCESSOR'), undefined, 'Customer.phone', withoutOpenOrder, CLOCK))).toBe(
        'RE',
      );
      expect(code(decide(principal('SUPPORT_AGENT'), undefined, 'Customer.phone', withOpenOrder, CLOCK))).toBe('RE');
      expect(
        code(
          decide(
            principal('MARKETING'),
            undefined,
            'Customer.email',
            { ...withOpenOrder, consentGranted: true },
            CLOCK,
          ),
        ),
      ).toBe('RE');
      expect(
        code(decide(principal('CARRIER'), undefined, 'Shipment.recipientName', recipientOf(null, true), CLOCK)),
      ).toBe('OK');
      expect(
        code(decide(principal('ORDER_PROCESSOR'), undefined, 'Shipment.recipientName', recipientOf(null, true), CLOCK)),
      ).toBe('OK');
      expect(
        code(decide(principal('SUPPORT_AGENT'), undefined, 'Shipment.recipientName', recipientOf(null, true), CLOCK)),
      ).toBe('RE');
      expect(
        code(
          decide(
            principal('ORDER_PROCESSOR'),
            undefined,
            'Shipment.recipientName',
            recipientOf(daysAgo(1), true),
            CLOCK,
          ),
        ),
      ).toBe('RE');
    });
  });

  test('an allowing decision names the purpose it was made under', () => {
    expect(decide(principal('SUPPORT_AGENT'), undefined, 'Customer.phone', {}, CLOCK)).toEqual({
      allowed: true,
      purpose: 'CUSTOMER_CARE',
    });
  });
});

describe('policy decision: reach', () => {
  /**
   * Which role may take which entry into personal data, under its own purpose, written
   * out by hand from DESIGN.md §2: the row scope it gets, or '-' where it may not.
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
    const all = [
      { deregistered: false, hasOpenOrders: false },
      { deregistered: false, hasOpenOrders: true },
      { deregistered: true, hasOpenOrders: false },
      { deregistered: true, hasOpenOrders: true },
    ];
    expect(states('SUPPORT_AGENT', 'Customer.email')).toEqual(all.slice(0, 2));
    expect(states('ORDER_PROCESSOR', 'Customer.phone')).toEqual([...all.slice(0, 2), all[3]]);
    expect(states('ANALYST', 'Customer.email')).toBe('PNA');
    expect(states('PRIVACY_OFFICER', 'Customer.email')).toBe('1SUB');
    // Marketing has no topic in a search, so no consent to match under.
    expect(states('MARKETING', 'Customer.email')).toBe('CR');
  });
});
