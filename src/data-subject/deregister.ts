import type { EntityManager } from 'typeorm';
import { withdrawEveryTopic } from '../consents/consent.store';
import type { ConsentChannel, ConsentReason } from '../consents/consent-vocabulary';
import { Customer } from '../customers/customer.entity';
import { requireCustomer } from '../customers/customer.store';

/**
 * "Cancel my registration" (P6): every consent is withdrawn and the customer is marked
 * deregistered; from then on the policy releases their data only to finish the orders
 * that were already open, and new orders are refused. Idempotent.
 */
export async function deregisterCustomer(
  db: EntityManager,
  customerId: string,
  by: { actorId: string; channel: ConsentChannel; policyVersion: string; reason?: ConsentReason },
  now: Date,
): Promise<Customer> {
  const customer = await requireCustomer(db, customerId);
  if (customer.deregisteredAt) return customer;
  await withdrawEveryTopic(db, { customerId, ...by });
  await db.update(Customer, { id: customerId }, { deregisteredAt: now });
  return db.findOneByOrFail(Customer, { id: customerId });
}
