import { DEFAULT_RETENTION, decide, decideSend, ROLES, type Principal, type SubjectFacts } from '../../src/policy';
import { FIELDS, code, principal, NOW, CLOCK, daysAgo, OPEN_ACCESS_REQUEST } from './decisions';

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
        expect(
          code(decide(principal(role), undefined, field, { shipment, openRequests: [OPEN_ACCESS_REQUEST] }, CLOCK)),
        ).toBe('OK');
    }
  });

  test('marketing reads no name, no email and no phone, consent or not: the gateway sends for it', () => {
    const marketing = principal('MARKETING');
    for (const facts of [{ consentGranted: true }, { consentGranted: false }, {}]) {
      for (const field of ['Customer.fullName', 'Customer.email', 'Customer.phone'] as const) {
        expect(code(decide(marketing, 'MARKETING', field, facts, CLOCK))).toBe('PNA');
      }
    }
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
      const underCase = { ...recipientOf(daysAgo(400), true), openRequests: [OPEN_ACCESS_REQUEST] };
      expect(code(decide(officer, undefined, 'Shipment.recipientPhone', underCase, CLOCK))).toBe('OK');
      const erasedLater = { deregistered: true, hasOpenOrders: false, openRequests: [OPEN_ACCESS_REQUEST] };
      expect(code(decide(officer, undefined, 'Customer.email', erasedLater, CLOCK))).toBe('OK');
    });

    test('a deregistered customer is served only for orders already open, and only to process and deliver them', () => {
      const withOpenOrder = { deregistered: true, hasOpenOrders: true };
      const withoutOpenOrder = { deregistered: true, hasOpenOrders: false };
      expect(code(decide(principal('ORDER_PROCESSOR'), undefined, 'Customer.phone', withOpenOrder, CLOCK))).toBe('OK');
      expect(code(decide(principal('ORDER_PROCESSOR'), undefined, 'Customer.phone', withoutOpenOrder, CLOCK))).toBe(
        'RE',
      );
      expect(code(decide(principal('SUPPORT_AGENT'), undefined, 'Customer.phone', withOpenOrder, CLOCK))).toBe('RE');
      // What rests on consent ends with the registration, open order or not.
      expect(code(decideSend('CAMPAIGN', { erased: false, deregistered: true, consentGranted: true }))).toBe('RE');
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
