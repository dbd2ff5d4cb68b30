import type { EntityManager } from 'typeorm';
import { withdrawEveryTopic } from '../consents/consent.store';
import { Customer } from '../customers/customer.entity';
import { lockCustomer } from '../customers/customer.store';
import { PROTECTED_FIELDS } from '../policy';
import { RuleViolation } from '../rule-violation';

/**
 * Empties the recipient (name, phone, address) of the shipments whose order ids the
 * SQL `orderIds` selects, once each. Returns how many were emptied. Orders keep their
 * codes, items, money and dates: erasure drops the person, not the sale.
 */
export async function eraseRecipients(
  db: EntityManager,
  orderIds: { sql: string; parameters: unknown[] },
  now: Date,
): Promise<number> {
  const erasedAt = `$${orderIds.parameters.length + 1}`;
  // For an UPDATE, TypeORM's postgres driver answers [rows, number of rows changed].
  const [, affected]: [unknown[], number] = await db.query(
    `UPDATE shipments
        SET recipient_name = NULL, recipient_phone = NULL, street = NULL, ward = NULL, district = NULL,
            province = NULL, erased_at = ${erasedAt}
      WHERE erased_at IS NULL AND order_id IN (${orderIds.sql})`,
    [...orderIds.parameters, now],
  );
  return affected;
}

export interface ErasureReceipt {
  customerId: string;
  erasedAt: Date;
  erasedBy: string;
  /** The field coordinates whose values no longer exist. */
  fields: string[];
  shipmentsErased: number;
  /** Orders kept, without the person: codes, items, money and dates. */
  ordersKept: number;
}

/**
 * Erases a customer's personal data (call inside a transaction). Refused while an order
 * is open, since it could no longer be delivered; refused a second time.
 */
export async function eraseCustomer(
  db: EntityManager,
  customerId: string,
  by: { actorId: string; policyVersion: string },
  now: Date,
): Promise<ErasureReceipt> {
  const customer = await lockCustomer(db, customerId);
  if (!customer) throw new RuleViolation('customerId', 'no customer with this id');
  if (customer.erasedAt)
    throw new RuleViolation('customerId', `was already erased on ${customer.erasedAt.toISOString()}`);
  if (customer.hasOpenOrders) {
    throw new RuleViolation('customerId', 'has open orders: they must be delivered or cancelled first');
  }
  await withdrawEveryTopic(db, {
    customerId,
    channel: 'SUPPORT',
    actorId: by.actorId,
    policyVersion: by.policyVersion,
  });
  await db.update(
    Customer,
    { id: customerId },
    { fullName: null, email: null, phone: null, erasedAt: now, deregisteredAt: customer.deregisteredAt ?? now },
  );
  const shipmentsErased = await eraseRecipients(
    db,
    { sql: 'SELECT id FROM orders WHERE customer_id = $1', parameters: [customerId] },
    now,
  );
  const [{ orders }] = await db.query('SELECT count(*)::int AS orders FROM orders WHERE customer_id = $1', [
    customerId,
  ]);
  return {
    customerId,
    erasedAt: now,
    erasedBy: by.actorId,
    fields: Object.keys(PROTECTED_FIELDS),
    shipmentsErased,
    ordersKept: orders,
  };
}
