import type { EntityManager } from 'typeorm';
import { CONSENT_TOPICS, type ConsentTopic } from '../policy';
import { ConsentRecord } from './consent-record.entity';
import type { Consent } from './consent.type';
import type { ConsentChannel, ConsentReason, ConsentStatus } from './consent-vocabulary';

export interface ConsentChange {
  customerId: string;
  topic: ConsentTopic;
  status: ConsentStatus;
  channel: ConsentChannel;
  actorId: string;
  /** Set when the change comes through an unsubscribe link: who issued the link. */
  linkIssuedBy?: string | null;
  policyVersion: string;
  /** Set when the gateway, not the person, withdraws: why. */
  reason?: ConsentReason | null;
}

/** Current consent per topic for each customer, in one statement. */
export async function currentConsents(
  db: EntityManager,
  customerIds: readonly string[],
): Promise<Map<string, Consent[]>> {
  const rows: {
    customer_id: string;
    topic: ConsentTopic;
    status: ConsentStatus;
    channel: ConsentChannel;
    policy_version: string;
    recorded_at: Date;
    granted_at: Date | null;
  }[] = await db.query(
    `SELECT DISTINCT ON (customer_id, topic)
            customer_id, topic, status, channel, policy_version, recorded_at,
            max(recorded_at) FILTER (WHERE status = 'GRANTED') OVER (PARTITION BY customer_id, topic) AS granted_at
       FROM consent_records
      WHERE customer_id = ANY($1)
      ORDER BY customer_id, topic, recorded_at DESC, id DESC`,
    [customerIds],
  );
  const byCustomer = new Map<string, Consent[]>();
  for (const row of rows) {
    const consents = byCustomer.get(row.customer_id) ?? [];
    consents.push({
      topic: row.topic,
      status: row.status,
      channel: row.channel,
      policyVersion: row.policy_version,
      grantedAt: row.granted_at,
      withdrawnAt: row.status === 'WITHDRAWN' ? row.recorded_at : null,
    });
    byCustomer.set(row.customer_id, consents);
  }
  return byCustomer;
}

/**
 * Appends a grant or withdrawal unless it is already the current state (idempotent).
 * A first withdrawal is recorded too: an explicit refusal is worth proving.
 * The caller holds a lock on the customer row, so concurrent changes for one customer
 * are serialised and the latest record is the truth.
 */
export async function recordConsent(db: EntityManager, change: ConsentChange): Promise<void> {
  const [latest] = await db.query(
    `SELECT status FROM consent_records
      WHERE customer_id = $1 AND topic = $2
      ORDER BY recorded_at DESC, id DESC LIMIT 1`,
    [change.customerId, change.topic],
  );
  if (latest?.status === change.status) return;
  await db.insert(ConsentRecord, change);
}

/** Withdraws every topic the customer currently grants (deregistration, unsubscribe from all). */
export async function withdrawEveryTopic(
  db: EntityManager,
  change: Omit<ConsentChange, 'topic' | 'status'>,
): Promise<ConsentTopic[]> {
  const current = (await currentConsents(db, [change.customerId])).get(change.customerId) ?? [];
  const granted = current.filter((consent) => consent.status === 'GRANTED').map((consent) => consent.topic);
  for (const topic of CONSENT_TOPICS.filter((t) => granted.includes(t))) {
    await recordConsent(db, { ...change, topic, status: 'WITHDRAWN' });
  }
  return granted;
}

/** The full trail of each customer's consent records, newest first. */
export async function consentHistories(db: EntityManager, customerIds: readonly string[]): Promise<ConsentRecord[]> {
  return db
    .createQueryBuilder(ConsentRecord, 'r')
    .where('r.customer_id = ANY(:customerIds)', { customerIds })
    .orderBy('r.recorded_at', 'DESC')
    .addOrderBy('r.id', 'DESC')
    .getMany();
}
