import type { DataSource, QueryRunner } from 'typeorm';
import { deregisteredRetentionCutoff, shippingRetentionCutoff, type PolicyClock } from '../policy';
import { dropExpiredAuditPartitions, ensureAuditPartitions, type DroppedPartition } from '../audit/audit-partitions';
import { eraseCustomer, eraseRecipients } from './erasure.operations';
import { inBatchTransaction } from './batch';
import { deregisterInactive, lapseConsents, SYSTEM_ACTOR } from './lapse';

/** The actor recorded for what the sweep does. */
export const SWEEPER = SYSTEM_ACTOR;
/** pg advisory lock key: one sweep at a time across every replica. */
const SWEEP_LOCK = "hashtext('petto-retention-sweep')";
const BATCH = 500;

export interface SweepReport {
  /** False when another replica was already sweeping; nothing was done. */
  ran: boolean;
  shipmentsErased: number;
  customersAnonymised: number;
  /** Marketing consents past CONSENT_MAX_AGE_DAYS, withdrawn (SYSTEM, LAPSED). */
  consentsLapsed: number;
  /** Customers inactive for RETENTION_INACTIVE_DAYS, deregistered (SYSTEM, INACTIVITY). */
  customersDeregistered: number;
  /** Months of the audit trail dropped, past AUDIT_RETENTION_MONTHS. */
  auditPartitionsDropped: DroppedPartition[];
}

export type SweepProgress = (phase: 'shipping' | 'customers' | 'audit', done: number, total: number) => void;

/** Shipments of orders closed before the cutoff whose recipient is still there. */
const EXPIRED_SHIPMENTS = `
  SELECT s.order_id FROM shipments s JOIN orders o ON o.id = s.order_id
   WHERE s.erased_at IS NULL AND o.closed_at < $1`;

/** Deregistered, not yet erased, nothing open, and the last of it longer ago than the window. */
const EXPIRED_DEREGISTRATIONS = `
  SELECT c.id FROM customers c
   WHERE c.erased_at IS NULL AND c.deregistered_at IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.closed_at IS NULL)
     AND GREATEST(c.deregistered_at, (SELECT max(o.closed_at) FROM orders o WHERE o.customer_id = c.id)) < $1`;

async function countOf(runner: QueryRunner, sql: string, cutoff: Date): Promise<number> {
  const [{ n }] = await runner.query(`SELECT count(*)::int AS n FROM (${sql}) expired`, [cutoff]);
  return n;
}

/**
 * The retention sweep (design: P5, P6): erases the shipping contact data of orders closed longer
 * ago than the shipping window, lets stale consents lapse and deregisters inactive
 * customers (lapse.ts), then anonymises deregistered customers whose orders are
 * all closed, once the deregistration window has passed; last, it makes the audit
 * trail's coming months and drops the months past the audit window. Idempotent; work is done in
 * batches, each its own transaction; a PostgreSQL advisory lock keeps two replicas from
 * sweeping at once. `clock.now` is a parameter so tests move time instead of waiting.
 */
export async function sweepRetention(
  dataSource: DataSource,
  { clock, policyVersion }: { clock: PolicyClock; policyVersion: string },
  progress: SweepProgress = () => {},
): Promise<SweepReport> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock(${SWEEP_LOCK}) AS locked`);
    if (!locked) {
      const nothing = { shipmentsErased: 0, customersAnonymised: 0, consentsLapsed: 0, customersDeregistered: 0 };
      return { ran: false, ...nothing, auditPartitionsDropped: [] };
    }
    try {
      return { ran: true, ...(await sweepUnderLock(runner, clock, policyVersion, progress)) };
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(${SWEEP_LOCK})`);
    }
  } finally {
    await runner.release();
  }
}

async function sweepUnderLock(runner: QueryRunner, clock: PolicyClock, policyVersion: string, progress: SweepProgress) {
  const shippingCutoff = shippingRetentionCutoff(clock);
  const shippingTotal = await countOf(runner, EXPIRED_SHIPMENTS, shippingCutoff);
  let shipmentsErased = 0;
  progress('shipping', 0, shippingTotal);
  for (;;) {
    const erased = await inBatchTransaction(runner, async (db) => {
      const batch: { order_id: string }[] = await db.query(`${EXPIRED_SHIPMENTS} LIMIT ${BATCH}`, [shippingCutoff]);
      const orderIds = batch.map((row) => row.order_id);
      return eraseRecipients(db, orderIds, clock.now);
    });
    if (erased === 0) break;
    shipmentsErased += erased;
    progress('shipping', shipmentsErased, shippingTotal);
  }

  const consentsLapsed = await lapseConsents(runner, clock, policyVersion);
  const customersDeregistered = await deregisterInactive(runner, clock, policyVersion);
  const customersCutoff = deregisteredRetentionCutoff(clock);
  const customerIds: string[] = (await runner.query(EXPIRED_DEREGISTRATIONS, [customersCutoff])).map(
    (row: { id: string }) => row.id,
  );
  progress('customers', 0, customerIds.length);
  let customersAnonymised = 0;
  for (const customerId of customerIds) {
    await inBatchTransaction(runner, (db) =>
      eraseCustomer(db, customerId, { actorId: SWEEPER, policyVersion }, clock.now),
    );
    customersAnonymised += 1;
    progress('customers', customersAnonymised, customerIds.length);
  }

  await ensureAuditPartitions(runner, clock.now);
  const auditPartitionsDropped = await inBatchTransaction(runner, (db) =>
    dropExpiredAuditPartitions(db, clock.now, clock.retention.auditMonths, SWEEPER),
  );
  progress('audit', auditPartitionsDropped.length, auditPartitionsDropped.length);
  return { shipmentsErased, customersAnonymised, consentsLapsed, customersDeregistered, auditPartitionsDropped };
}
