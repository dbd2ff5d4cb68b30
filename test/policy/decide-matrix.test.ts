import { decide, decideUse, PURPOSES, ROLES, type Purpose, type Role } from '../../src/policy';
import { FIELDS, code, principal, FAVOURABLE, CLOCK } from './decisions';

/**
 * Every role × declared purpose ('-' for no X-Purpose) × protected field, written out
 * by hand from docs/design.md#the-model (with issue 11: MARKETING reads no name and no
 * address, the gateway sends its campaigns). Columns: Customer.fullName, Customer.email, Customer.phone,
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
MARKETING       -                    PNA PNA PNA PNA PNA PNA
MARKETING       ORDER_PROCESSING     PNA PNA PNA PNA PNA PNA
MARKETING       SHIPPING             PNA PNA PNA PNA PNA PNA
MARKETING       CUSTOMER_CARE        PNA PNA PNA PNA PNA PNA
MARKETING       MARKETING            PNA PNA PNA PNA PNA PNA
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
