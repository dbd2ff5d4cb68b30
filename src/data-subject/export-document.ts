import type { PolicySubject } from '../audit/disclosure-terms';
import { propertyOf, protectedFieldsOf, type ProtectedField, type SubjectType } from '../policy';
import type { SubjectData } from './data-subject.type';

/** Whether one protected value may go into the document; asked once per value, so that each is audited. */
export type Reveal = (field: ProtectedField, row: PolicySubject) => boolean;

/**
 * Every protected field of the row, read from the policy rather than listed here, so
 * that a field made protected is in the person's copy of their data without an edit.
 */
function personalValues(subjectType: SubjectType, row: PolicySubject, reveal: Reveal): Record<string, unknown> {
  return Object.fromEntries(
    protectedFieldsOf(subjectType).map((field) => {
      const value: unknown = reveal(field, row) ? Reflect.get(row, propertyOf(field)) : null;
      return [propertyOf(field), value];
    }),
  );
}

/**
 * The data-subject access document: profile, orders with shipping, consent trail and
 * disclosures. Personal values are spread last, so that one also listed as plain data
 * is still released only through `reveal`.
 */
export function exportDocument(subject: SubjectData, reveal: Reveal) {
  const { customer } = subject;
  return {
    customer: {
      id: customer.id,
      createdAt: customer.createdAt,
      deregisteredAt: customer.deregisteredAt,
      erasedAt: customer.erasedAt,
      ...personalValues('Customer', customer, reveal),
    },
    orders: subject.orders.map(({ order, items, shipment }) => ({
      code: order.code,
      status: order.status,
      placedAt: order.placedAt,
      closedAt: order.closedAt,
      totalVnd: order.totalVnd,
      items: items.map(({ sku, name, quantity, unitPriceVnd }) => ({ sku, name, quantity, unitPriceVnd })),
      shipment: shipment && {
        carrierId: shipment.carrierId,
        trackingNumber: shipment.trackingNumber,
        status: shipment.status,
        deliveredAt: shipment.deliveredAt,
        ...personalValues('Shipment', shipment, reveal),
      },
    })),
    consentHistory: subject.consentHistory.map(({ topic, status, channel, policyVersion, actorId, recordedAt }) => ({
      topic,
      status,
      channel,
      policyVersion,
      recordedBy: actorId,
      recordedAt,
    })),
    disclosures: subject.disclosures.map(({ occurredAt, principalId, role, purpose, fields }) => ({
      occurredAt,
      principalId,
      role,
      purpose,
      fields,
    })),
  };
}
