import { audienceReaches, CONTRACT_AUDIENCES, ROLES } from '../../src/policy';

describe('policy: what an audience reaches', () => {
  test('the audiences: carriers are the safelisted roles, the dashboard every other role', () => {
    expect(CONTRACT_AUDIENCES.carrier).toEqual(['CARRIER']);
    expect([...CONTRACT_AUDIENCES.carrier, ...CONTRACT_AUDIENCES.dashboard].sort()).toEqual([...ROLES].sort());
  });

  test.each([
    ['Query.deliveries', true],
    ['Query.orders', true],
    ['Query.customers', false],
    ['Query.marketingAudience', false],
    ['Query.auditEvents', false],
    ['Order.customer', false],
    ['Shipment.recipientPhone', true],
    ['Customer.email', false],
    ['Mutation.updateDeliveryStatus', true],
    ['Mutation.assignCarrier', false],
    ['Mutation.unsubscribe', false],
    ['Mutation.somethingNew', false],
    ['Order.code', true],
    ['Query.me', true],
    ['Mutation.updateDeliveryStatus.status', true],
  ])('a carrier: %s → %s', (coordinate, reached) => {
    expect(audienceReaches(['CARRIER'], coordinate)).toBe(reached);
  });

  test('an entry open to a role only under a purpose it cannot declare is not reached', () => {
    // The marketing audience is MARKETING's under the MARKETING purpose; the analyst has neither.
    expect(audienceReaches(['MARKETING'], 'Customer.unsubscribeUrl')).toBe(true);
    expect(audienceReaches(['ANALYST'], 'Customer.unsubscribeUrl')).toBe(false);
  });

  test('a search argument is reached by a role whose purposes read one of the fields it matches', () => {
    expect(audienceReaches(['SUPPORT_AGENT'], 'Query.customers.search')).toBe(true);
    expect(audienceReaches(['ANALYST'], 'Query.customers.search')).toBe(false);
  });

  test('the union of roles reaches what any one of them reaches', () => {
    expect(audienceReaches(['ANALYST', 'PRIVACY_OFFICER'], 'Query.auditEvents')).toBe(true);
    expect(audienceReaches(['ANALYST', 'PRIVACY_OFFICER'], 'Mutation.eraseCustomer')).toBe(true);
    expect(audienceReaches(['ANALYST'], 'Mutation.eraseCustomer')).toBe(false);
  });
});
