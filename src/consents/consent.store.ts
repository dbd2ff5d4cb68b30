import type { EntityManager } from 'typeorm';
import type { ConsentTopic } from '../policy';
import { ConsentRecord } from './consent-record.entity';
import type { Consent } from './consent.type';
import type { ConsentChannel, ConsentStatus } from './consent-vocabulary';

export interface ConsentChange {
  customerId: string;
  topic: ConsentTopic;
  status: ConsentStatus;
  channel: ConsentChannel;
  actorId: string;
  policyVersion: string;
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
