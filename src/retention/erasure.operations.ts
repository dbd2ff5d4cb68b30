import type { EntityManager } from 'typeorm';
import { withdrawEveryTopic } from '../consents/consent.store';
import { requireCustomer } from '../customers/customer.store';
import { discardPendingMessages } from '../mail/outbox';
import { personalColumns, protectedFieldsOf, SUBJECT_TABLES, type SubjectType } from '../policy';
import { RuleViolation } from '../rule-violation';

const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Table and column names are spliced into the SQL text, since parameters cannot stand
 * for them. They come from the policy, not from input, but a name that is not a plain
 * identifier is refused rather than trusted to the quotes.
 */
function quoted(identifier: string): string {
  if (!PLAIN_IDENTIFIER.test(identifier)) throw new Error(`not a plain SQL identifier: ${identifier}`);
  return `"${identifier}"`;
}

/**
 * `UPDATE <table> SET <each personal column> = NULL`, built from the policy so that a
 * column added to a field's rule is erased with no other edit; the caller appends its
 * own assignments and WHERE.
 */
function erasingUpdate(subjectType: SubjectType): string {
  const assignments = personalColumns(subjectType).map((column) => `${quoted(column)} = NULL`);
  return `UPDATE ${quoted(SUBJECT_TABLES[subjectType])} SET ${assignments.join(', ')}`;
}

/**
 * Empties the recipient (every personal column of the shipment) of these orders'
 * shipments, once each. Returns how many were emptied. Orders keep their codes, items,
 * money and dates: erasure drops the person, not the sale.
 */
export async function eraseRecipients(db: EntityManager, orderIds: readonly string[], now: Date): Promise<number> {
  // For an UPDATE, TypeORM's postgres driver answers [rows, number of rows changed].
  const [, affected]: [unknown[], number] = await db.query(
    `${erasingUpdate('Shipment')}, erased_at = $2 WHERE erased_at IS NULL AND order_id = ANY($1)`,
    [orderIds, now],
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
  const customer = await requireCustomer(db, customerId);
  if (customer.erasedAt)
    throw new RuleViolation('customerId', `was already erased on ${customer.erasedAt.toISOString()}`);
  if (customer.hasOpenOrders) {
    throw new RuleViolation('customerId', 'has open orders: they must be delivered or cancelled first');
  }
  // Nothing more is sent to the person: their messages not yet sent go with their data.
  await discardPendingMessages(db, customerId);
  await withdrawEveryTopic(db, {
    customerId,
    channel: 'SUPPORT',
    actorId: by.actorId,
    policyVersion: by.policyVersion,
  });
  await db.query(
    `${erasingUpdate('Customer')}, erased_at = $2, deregistered_at = COALESCE(deregistered_at, $2)
      WHERE id = $1`,
    [customerId, now],
  );
  // A request's note may quote the person: it goes with them (the request itself stays, as proof it was answered).
  await db.query('UPDATE data_subject_requests SET note = NULL WHERE customer_id = $1 AND note IS NOT NULL', [
    customerId,
  ]);
  const orderIds: string[] = (await db.query('SELECT id FROM orders WHERE customer_id = $1', [customerId])).map(
    (row: { id: string }) => row.id,
  );
  const shipmentsErased = await eraseRecipients(db, orderIds, now);
  return {
    customerId,
    erasedAt: now,
    erasedBy: by.actorId,
    // The same rules the UPDATEs were built from: the receipt cannot claim a field they left.
    fields: [...protectedFieldsOf('Customer'), ...protectedFieldsOf('Shipment')],
    shipmentsErased,
    ordersKept: orderIds.length,
  };
}
