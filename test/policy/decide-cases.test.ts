import {
  decide,
  decideSend,
  decideAction,
  decideCaseUse,
  decideReach,
  PURPOSES,
  REQUEST_KINDS,
  ROLES,
  type Action,
  type CaseUse,
  type Purpose,
  type RequestKind,
  type Role,
  type SubjectFacts,
  withdrawsConsentOnReceipt,
} from '../../src/policy';
import { CLOCK, code, FIELDS, principal } from './decisions';

/** The subject with one open request of this kind (or none). */
const withRequest = (kind?: RequestKind): SubjectFacts => ({
  consentGranted: true,
  shipment: { carrierId: 'ghn', active: true, orderClosedAt: null },
  openRequests: kind ? [{ id: `case-${kind}`, kind }] : [],
});

describe('policy decision: the data-subject purpose is bound to an open request', () => {
  /**
   * Which open request each use under DATA_SUBJECT_REQUEST needs, written out by hand from
   * issue 12. Columns: none, then REQUEST_KINDS in order (ACCESS COPY CORRECTION ERASURE
   * RESTRICTION OBJECTION WITHDRAW_CONSENT DEREGISTRATION).
   */
  const EXPECTED = `
READ_CONTACT NOR OK  OK  OK  OK  OK  OK  OK  OK
EXPORT       NOR OK  OK  NOR NOR NOR NOR NOR NOR
ERASE        NOR NOR NOR NOR OK  NOR NOR NOR NOR
CORRECT      NOR NOR NOR OK  NOR NOR NOR NOR NOR
`;
  const rows = EXPECTED.trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
  const kinds: (RequestKind | undefined)[] = [undefined, ...REQUEST_KINDS];

  test.each(rows)('%s', (use, ...expected) => {
    const officer = principal('PRIVACY_OFFICER');
    const actual = kinds.map((kind) => {
      const decision = decideCaseUse(officer, 'DATA_SUBJECT_REQUEST', use as CaseUse, withRequest(kind));
      return decision.allowed ? 'OK' : code(decision);
    });
    expect(actual).toEqual(expected);
  });

  test('a contact-field read follows the READ_CONTACT row for every field, and names the case', () => {
    const officer = principal('PRIVACY_OFFICER');
    for (const field of FIELDS) {
      expect(code(decide(officer, undefined, field, withRequest(undefined), CLOCK))).toBe('NOR');
      expect(decide(officer, undefined, field, withRequest('CORRECTION'), CLOCK)).toEqual({
        allowed: true,
        purpose: 'DATA_SUBJECT_REQUEST',
        caseId: 'case-CORRECTION',
      });
    }
  });

  test('the oldest fitting request is the one named', () => {
    const subject: SubjectFacts = {
      openRequests: [
        { id: 'older-erasure', kind: 'ERASURE' },
        { id: 'older-access', kind: 'ACCESS' },
        { id: 'newer-copy', kind: 'COPY' },
      ],
    };
    const officer = principal('PRIVACY_OFFICER');
    expect(decideCaseUse(officer, undefined, 'EXPORT', subject)).toEqual({ allowed: true, caseId: 'older-access' });
    expect(decideCaseUse(officer, undefined, 'READ_CONTACT', subject)).toEqual({
      allowed: true,
      caseId: 'older-erasure',
    });
  });

  test('purposes not bound to a case neither need nor name one', () => {
    for (const role of ['SUPPORT_AGENT', 'ORDER_PROCESSOR'] as const) {
      expect(decideCaseUse(principal(role), undefined, 'EXPORT', withRequest(undefined))).toEqual({
        allowed: true,
        caseId: null,
      });
      expect(decide(principal(role), undefined, 'Customer.phone', withRequest('ACCESS'), CLOCK)).not.toHaveProperty(
        'caseId',
      );
    }
  });
});

describe('policy decision: actions for one person', () => {
  /**
   * Each role × declared purpose ('-' for none) × action, with an open request of the kind
   * the action would need (CORRECTION for a correction, ERASURE for an erasure) and
   * without one. Columns: CORRECT_CUSTOMER with, without; ERASE_CUSTOMER with, without;
   * OPEN_DATA_SUBJECT_REQUEST; HANDLE_DATA_SUBJECT_REQUEST.
   */
  const EXPECTED = `
STOREFRONT      -                    OK  OK  OOS OOS OK  OOS
STOREFRONT      CUSTOMER_CARE        OK  OK  OOS OOS OK  OOS
ORDER_PROCESSOR -                    OOS OOS OOS OOS OOS OOS
CARRIER         -                    OOS OOS OOS OOS OOS OOS
SUPPORT_AGENT   -                    OK  OK  OOS OOS OK  OOS
SUPPORT_AGENT   CUSTOMER_CARE        OK  OK  OOS OOS OK  OOS
SUPPORT_AGENT   DATA_SUBJECT_REQUEST PNA PNA OOS OOS OK  OOS
MARKETING       -                    OOS OOS OOS OOS OOS OOS
ANALYST         -                    OOS OOS OOS OOS OOS OOS
PRIVACY_OFFICER -                    OK  NOR OK  NOR OK  OK
PRIVACY_OFFICER DATA_SUBJECT_REQUEST OK  NOR OK  NOR OK  OK
PRIVACY_OFFICER CUSTOMER_CARE        PNA PNA PNA PNA OK  OK
`;
  const rows = EXPECTED.trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
  const outcome = (role: string, declared: string, action: Action, subject: SubjectFacts): string => {
    const purpose = declared === '-' ? undefined : (declared as Purpose);
    const decision = decideAction(principal(role as Role), purpose, action, subject);
    return decision.allowed ? 'OK' : code(decision);
  };

  test('covers every role', () => {
    expect([...new Set(rows.map(([role]) => role))]).toEqual([...ROLES]);
    expect(rows.every(([, declared]) => declared === '-' || PURPOSES.includes(declared as Purpose))).toBe(true);
  });

  test.each(rows)('%s declaring %s', (role, declared, ...expected) => {
    expect([
      outcome(role, declared, 'CORRECT_CUSTOMER', withRequest('CORRECTION')),
      outcome(role, declared, 'CORRECT_CUSTOMER', withRequest(undefined)),
      outcome(role, declared, 'ERASE_CUSTOMER', withRequest('ERASURE')),
      outcome(role, declared, 'ERASE_CUSTOMER', withRequest(undefined)),
      outcome(role, declared, 'OPEN_DATA_SUBJECT_REQUEST', withRequest(undefined)),
      outcome(role, declared, 'HANDLE_DATA_SUBJECT_REQUEST', withRequest(undefined)),
    ]).toEqual(expected);
  });

  test('an erasure under an access request is refused: the kind must fit', () => {
    expect(decideAction(principal('PRIVACY_OFFICER'), undefined, 'ERASE_CUSTOMER', withRequest('ACCESS'))).toEqual({
      allowed: false,
      reason: 'NO_OPEN_REQUEST',
    });
  });
});

describe('policy decision: restriction', () => {
  /**
   * Every role under its own purpose, every field, for a customer with an open
   * RESTRICTION request (and an access request too, so that the officer may read):
   * an order already open is still processed and shipped, nothing else is used.
   * Columns: the fields, for an open order; then the Shipment fields for a closed one.
   */
  const EXPECTED = `
ORDER_PROCESSOR RES RES RES OK  OK  OK  RES RES RES
CARRIER         PNA PNA PNA OK  OK  OK  RE  RE  RE
SUPPORT_AGENT   RES RES RES RES RES RES RES RES RES
MARKETING       PNA PNA PNA PNA PNA PNA PNA PNA PNA
PRIVACY_OFFICER OK  OK  OK  OK  OK  OK  OK  OK  OK
`;
  const restricted = (orderClosedAt: Date | null): SubjectFacts => ({
    consentGranted: true,
    hasOpenOrders: true,
    shipment: { carrierId: 'ghn', active: orderClosedAt === null, orderClosedAt },
    openRequests: [
      { id: 'r', kind: 'RESTRICTION' },
      { id: 'a', kind: 'ACCESS' },
    ],
  });
  const shipmentFields = FIELDS.filter((field) => field.startsWith('Shipment.'));

  test.each(
    EXPECTED.trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/)),
  )('%s', (role, ...expected) => {
    const asked = principal(role as Role);
    const open = FIELDS.map((field) => code(decide(asked, undefined, field, restricted(null), CLOCK)));
    const closed = shipmentFields.map((field) =>
      code(decide(asked, undefined, field, restricted(new Date(CLOCK.now.getTime() - 1000)), CLOCK)),
    );
    expect([...open, ...closed]).toEqual(expected);
  });

  test('closing the restriction gives every purpose back', () => {
    const unrestricted = { consentGranted: true, openRequests: [] };
    expect(code(decide(principal('SUPPORT_AGENT'), undefined, 'Customer.email', unrestricted, CLOCK))).toBe('OK');
    const recipient = { erased: false, deregistered: false, consentGranted: true, orderStillOpen: true };
    expect(code(decideSend('CAMPAIGN', { ...recipient, openRequests: [] }))).toBe('OK');
    expect(code(decideSend('ORDER_NOTICE', { ...recipient, openRequests: [] }))).toBe('OK');
  });

  test('no mail uses the address while it is restricted, not even about an open order', () => {
    const recipient = { erased: false, deregistered: false, consentGranted: true, orderStillOpen: true };
    for (const kind of ['CAMPAIGN', 'THANK_YOU', 'ORDER_NOTICE'] as const) {
      expect(code(decideSend(kind, { ...recipient, openRequests: [{ id: 'r', kind: 'RESTRICTION' }] }))).toBe('RES');
    }
  });
});

describe('policy decision: objection', () => {
  test('an open objection to marketing refuses it as without consent, even with a grant recorded since', () => {
    const objecting: SubjectFacts = { consentGranted: true, openRequests: [{ id: 'o', kind: 'OBJECTION' }] };
    const marketing = principal('MARKETING');
    // Marketing reads no address; the gateway's marketing mail is refused like a read would be.
    const recipient = {
      erased: false,
      deregistered: false,
      consentGranted: true,
      openRequests: objecting.openRequests,
    };
    expect(code(decideSend('CAMPAIGN', recipient))).toBe('CR');
    expect(code(decideSend('THANK_YOU', recipient))).toBe('CR');
    expect(code(decideSend('CAMPAIGN', { ...recipient, openRequests: [] }))).toBe('OK');
    expect(code(decideSend('ORDER_NOTICE', { ...recipient, orderStillOpen: true }))).toBe('OK');
    expect(decideReach(marketing, undefined, 'Customer.unsubscribeUrl', CLOCK, objecting)).toEqual({
      allowed: false,
      reason: 'CONSENT_REQUIRED',
    });
    expect(REQUEST_KINDS.filter(withdrawsConsentOnReceipt)).toEqual(['OBJECTION']);
    // Only marketing is objected to: customer care and order processing go on.
    for (const role of ['SUPPORT_AGENT', 'ORDER_PROCESSOR'] as const) {
      expect(code(decide(principal(role), undefined, 'Customer.email', objecting, CLOCK))).toBe('OK');
    }
  });
});
