import { decideSend, isUnsubscribable, MESSAGE_RULES, type RecipientFacts } from '../../src/policy';
import { code } from './decisions';

/**
 * Sending (issue 11): the gateway uses the address itself, per recipient, at the moment
 * of sending. A campaign and a thank-you rest on the topic's consent; an order notice on
 * the contract, while its order is open.
 */
describe('policy decision: sending a person a message', () => {
  const registered: RecipientFacts = { erased: false, deregistered: false };

  test('each kind serves one purpose and uses the address', () => {
    expect(MESSAGE_RULES).toEqual({
      CAMPAIGN: { purpose: 'MARKETING', field: 'Customer.email', topic: 'OF_CAMPAIGN' },
      ORDER_NOTICE: { purpose: 'ORDER_PROCESSING', field: 'Customer.email' },
      THANK_YOU: { purpose: 'MARKETING', field: 'Customer.email', topic: 'THANK_YOU' },
    });
    expect(['CAMPAIGN', 'THANK_YOU', 'ORDER_NOTICE'].map((kind) => isUnsubscribable(kind as never))).toEqual([
      true,
      true,
      false,
    ]);
  });

  test.each([
    ['consenting', { ...registered, consentGranted: true }, 'OK'],
    ['withdrawn', { ...registered, consentGranted: false }, 'CR'],
    ['never asked', registered, 'CR'],
    ['deregistered though the record says granted', { erased: false, deregistered: true, consentGranted: true }, 'RE'],
    ['erased', { erased: true, deregistered: true, consentGranted: true }, 'RE'],
  ])('a campaign or a thank-you to someone %s: %s', (_label, facts, expected) => {
    expect(code(decideSend('CAMPAIGN', facts))).toBe(expected);
    expect(code(decideSend('THANK_YOU', facts))).toBe(expected);
  });

  test.each([
    ['an open order', { ...registered, orderStillOpen: true }, 'OK'],
    [
      'an open order, without any marketing consent',
      { ...registered, consentGranted: false, orderStillOpen: true },
      'OK',
    ],
    ['an order closed after the notice was queued', { ...registered, orderStillOpen: false }, 'RE'],
    ['an open order of a deregistered customer', { erased: false, deregistered: true, orderStillOpen: true }, 'OK'],
    ['a closed order of a deregistered customer', { erased: false, deregistered: true, orderStillOpen: false }, 'RE'],
    ['an erased customer', { erased: true, deregistered: true, orderStillOpen: true }, 'RE'],
  ])('an order notice about %s: %s', (_label, facts, expected) => {
    expect(code(decideSend('ORDER_NOTICE', facts))).toBe(expected);
  });
});
