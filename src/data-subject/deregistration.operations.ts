import type { EntityManager } from 'typeorm';
import { withdrawEveryTopic } from '../consents/consent.store';
import type { ConsentChannel, ConsentReason } from '../consents/consent-vocabulary';
import { Customer } from '../customers/customer.entity';
import { requireCustomer } from '../customers/customer.store';

/** Who asks for the cancellation, recorded with it and with each withdrawal it causes. */
export interface Deregistration {
  actorId: string;
  channel: ConsentChannel;
  policyVersion: string;
  /** Through an unsubscribe link: who issued the link. */
  linkIssuedBy?: string | null;
  /** Why, when the system withdraws on its own (inactivity). */
  reason?: ConsentReason;
}

/**
 * "Cancel my registration" (design: P6): every consent is withdrawn and the customer is marked
 * deregistered, with who asked and through which channel; from then on the policy
 * releases their data only to finish the orders that were already open, and new orders
 * are refused. Idempotent: a second cancellation changes nothing, not even who is recorded.
 */
export async function deregisterCustomer(
  db: EntityManager,
  customerId: string,
  by: Deregistration,
  now: Date,
): Promise<Customer> {
  const customer = await requireCustomer(db, customerId);
  if (customer.deregisteredAt) return customer;
  await withdrawEveryTopic(db, { customerId, ...by });
  await db.update(
    Customer,
    { id: customerId },
    { deregisteredAt: now, deregisteredBy: by.actorId, deregistrationChannel: by.channel },
  );
  return db.findOneByOrFail(Customer, { id: customerId });
}
