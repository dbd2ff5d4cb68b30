import type { EntityManager } from 'typeorm';
import { Customer } from '../customers/customer.entity';
import { nameWords, normalizeEmail, normalizeName, normalizeVietnamesePhone } from '../customers/contact';
import { isUniqueViolation } from '../db/errors';
import type { ProtectedField } from '../policy';
import { RuleViolation } from '../rule-violation';

export interface Correction {
  fullName?: string;
  email?: string;
  phone?: string;
  applyToOpenOrders: boolean;
}

type ContactChanges = { fullName?: string; email?: string; phone?: string };

/** The corrected values in their stored form, only those that differ from what is stored. */
function changesOf(customer: Customer, correction: Correction): ContactChanges {
  const changes: ContactChanges = {};
  if (correction.fullName !== undefined) {
    const fullName = normalizeName(correction.fullName);
    if (fullName !== customer.fullName) changes.fullName = fullName;
  }
  if (correction.email !== undefined) {
    const email = normalizeEmail(correction.email);
    if (email !== customer.email) changes.email = email;
  }
  if (correction.phone !== undefined) {
    const phone = normalizeVietnamesePhone(correction.phone);
    if (phone === null) throw new Error('correctCustomer called with an unvalidated phone');
    if (phone !== customer.phone) changes.phone = phone;
  }
  return changes;
}

/**
 * Corrects a customer's contact data (call inside a transaction, the customer locked).
 * The words a search compares follow the name. Open orders keep the recipient given at
 * checkout unless asked. Returns the field coordinates whose values changed.
 */
export async function correctCustomer(
  db: EntityManager,
  customer: Customer,
  correction: Correction,
): Promise<ProtectedField[]> {
  const changes = changesOf(customer, correction);
  const changed: ProtectedField[] = [];
  if (changes.fullName !== undefined) changed.push('Customer.fullName');
  if (changes.email !== undefined) changed.push('Customer.email');
  if (changes.phone !== undefined) changed.push('Customer.phone');
  if (changed.length === 0) return changed;
  try {
    const words = changes.fullName === undefined ? {} : { nameWords: nameWords(changes.fullName) };
    await db.update(Customer, { id: customer.id }, { ...changes, ...words });
  } catch (error) {
    if (isUniqueViolation(error, 'customers_email_key')) throw new RuleViolation('email', 'is already registered');
    throw error;
  }
  if (correction.applyToOpenOrders && (changes.fullName !== undefined || changes.phone !== undefined)) {
    const [, affected]: [unknown, number] = await db.query(
      `UPDATE shipments s SET recipient_name = COALESCE($2, s.recipient_name), recipient_phone = COALESCE($3, s.recipient_phone)
         FROM orders o
        WHERE o.id = s.order_id AND o.customer_id = $1 AND o.closed_at IS NULL AND s.erased_at IS NULL`,
      [customer.id, changes.fullName ?? null, changes.phone ?? null],
    );
    if (affected > 0 && changes.fullName !== undefined) changed.push('Shipment.recipientName');
    if (affected > 0 && changes.phone !== undefined) changed.push('Shipment.recipientPhone');
  }
  return changed;
}
