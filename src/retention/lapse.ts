import type { QueryRunner } from 'typeorm';
import { recordConsent } from '../consents/consent.store';
import { SYSTEM_CHANNEL } from '../consents/consent-vocabulary';
import { lockCustomer } from '../customers/customer.store';
import { deregisterCustomer } from '../data-subject/deregistration.operations';
import { consentLapseCutoff, inactivityCutoff, type ConsentTopic, type PolicyClock } from '../policy';
import { inBatchTransaction } from './batch';

/*
 * Purposes that end on their own (design: P5): consent to a topic not given again within
 * CONSENT_MAX_AGE_DAYS lapses, and a customer with no order and no account activity for
 * RETENTION_INACTIVE_DAYS is deregistered (and later anonymised on the deregistration
 * schedule). Both are recorded in the consent history on channel SYSTEM, with the reason.
 */

/** The topics whose current record is a grant older than the cutoff. */
const LAPSED_GRANTS = `
  SELECT latest.customer_id, latest.topic FROM (
    SELECT DISTINCT ON (customer_id, topic) customer_id, topic, status, recorded_at
      FROM consent_records ORDER BY customer_id, topic, recorded_at DESC, id DESC) latest
   WHERE latest.status = 'GRANTED' AND latest.recorded_at < $1`;

/** Registered, nothing open, and nothing they did (order, consent, request, sign-up) since the cutoff. */
const INACTIVE_CUSTOMERS = `
  SELECT c.id FROM customers c
   WHERE c.erased_at IS NULL AND c.deregistered_at IS NULL
     AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.closed_at IS NULL)
     AND GREATEST(c.created_at, c.privacy_notice_accepted_at,
           (SELECT max(greatest(o.placed_at, o.closed_at)) FROM orders o WHERE o.customer_id = c.id),
           (SELECT max(r.recorded_at) FROM consent_records r WHERE r.customer_id = c.id AND r.channel <> 'SYSTEM'),
           (SELECT max(q.received_at) FROM data_subject_requests q WHERE q.customer_id = c.id)) < $1`;

export const SYSTEM_ACTOR = 'retention-sweep';

export async function lapseConsents(runner: QueryRunner, clock: PolicyClock, policyVersion: string): Promise<number> {
  const lapsed: { customer_id: string; topic: ConsentTopic }[] = await runner.query(LAPSED_GRANTS, [
    consentLapseCutoff(clock),
  ]);
  for (const { customer_id: customerId, topic } of lapsed) {
    await inBatchTransaction(runner, async (db) => {
      if (!(await lockCustomer(db, customerId))) return;
      await recordConsent(db, {
        customerId,
        topic,
        status: 'WITHDRAWN',
        channel: SYSTEM_CHANNEL,
        reason: 'LAPSED',
        actorId: SYSTEM_ACTOR,
        policyVersion,
      });
    });
  }
  return lapsed.length;
}

export async function deregisterInactive(
  runner: QueryRunner,
  clock: PolicyClock,
  policyVersion: string,
): Promise<number> {
  const inactive: { id: string }[] = await runner.query(INACTIVE_CUSTOMERS, [inactivityCutoff(clock)]);
  for (const { id } of inactive) {
    await inBatchTransaction(runner, (db) =>
      deregisterCustomer(
        db,
        id,
        { actorId: SYSTEM_ACTOR, channel: SYSTEM_CHANNEL, policyVersion, reason: 'INACTIVITY' },
        clock.now,
      ),
    );
  }
  return inactive.length;
}
