import type { EntityManager } from 'typeorm';
import { fixedTopicOf, type ConsentTopic, type Principal } from '../policy';
import { CLOSING_NOTICES, type OrderNotice } from './order-notices';

/**
 * Queueing messages: rows of the outbox, written with the caller's transaction so that a
 * message exists exactly when the change that causes it is committed. A row names the
 * recipient by customer id; whether and what to send is decided when it is sent.
 */

/** Whom the audit records as the cause of a message: the principal whose change queued it. */
export type MessageCause = Pick<Principal, 'id' | 'role'>;

const LATEST_CONSENT = `(SELECT r.status FROM consent_records r
   WHERE r.customer_id = c.id AND r.topic = $TOPIC
   ORDER BY r.recorded_at DESC, r.id DESC LIMIT 1) = 'GRANTED'`;

function latestConsentGranted(topicParameter: string): string {
  return LATEST_CONSENT.replace('$TOPIC', topicParameter);
}

/** The notice of an order event; after delivery also the thank-you letter, to those who want one. */
export async function queueOrderNotice(
  db: EntityManager,
  order: { id: string; customerId: string },
  notice: OrderNotice,
  cause: MessageCause,
): Promise<void> {
  await db.query(
    `INSERT INTO outbox_messages (kind, customer_id, order_id, notice, closes_order, caused_by, caused_role)
     VALUES ('ORDER_NOTICE', $1, $2, $3, $4, $5, $6)`,
    [order.customerId, order.id, notice, CLOSING_NOTICES.includes(notice), cause.id, cause.role],
  );
  const thanksTopic = fixedTopicOf('THANK_YOU');
  if (notice !== 'DELIVERED' || thanksTopic === undefined) return;
  await db.query(
    `INSERT INTO outbox_messages (kind, customer_id, order_id, caused_by, caused_role)
     SELECT 'THANK_YOU', c.id, $2, $3, $4 FROM customers c
      WHERE c.id = $1 AND c.deregistered_at IS NULL AND ${latestConsentGranted('$5')}`,
    [order.customerId, order.id, cause.id, cause.role, thanksTopic],
  );
}

/** Who a campaign on the topic would be queued for now: registered, not erased, consenting (latest record). */
const CAMPAIGN_AUDIENCE = `c.erased_at IS NULL AND c.deregistered_at IS NULL AND ${latestConsentGranted('$TOPIC')}`;

/** How many customers a campaign on the topic would be queued for now: a count, never who. */
export async function campaignAudienceSize(db: EntityManager, topic: ConsentTopic): Promise<number> {
  const [{ size }]: { size: number }[] = await db.query(
    `SELECT count(*)::int AS size FROM customers c WHERE ${CAMPAIGN_AUDIENCE.replace('$TOPIC', '$1')}`,
    [topic],
  );
  return size;
}

/**
 * One message per customer currently in the topic's audience, due at `sendAt`, in one
 * statement. Returns how many were queued. Each is decided again when it is sent.
 */
export async function queueCampaignMessages(
  db: EntityManager,
  campaign: { id: string; topic: ConsentTopic; sendAt: Date },
  cause: MessageCause,
): Promise<number> {
  const [{ queued }]: { queued: number }[] = await db.query(
    `WITH queued AS (
       INSERT INTO outbox_messages (kind, customer_id, campaign_id, caused_by, caused_role, next_attempt_at)
       SELECT 'CAMPAIGN', c.id, $1, $2, $3, $4 FROM customers c
        WHERE ${CAMPAIGN_AUDIENCE.replace('$TOPIC', '$5')}
       RETURNING 1)
     SELECT count(*)::int AS queued FROM queued`,
    [campaign.id, cause.id, cause.role, campaign.sendAt, campaign.topic],
  );
  return queued;
}

/** Erasure: the person's messages not yet sent are removed, so that nothing is sent to them. */
export async function discardPendingMessages(db: EntityManager, customerId: string): Promise<void> {
  await db.query(`DELETE FROM outbox_messages WHERE customer_id = $1 AND status = 'PENDING'`, [customerId]);
}
