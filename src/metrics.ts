import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { AuditDecision } from './audit/disclosure-terms';
import type { DenialReason, Role } from './policy';

/**
 * Prometheus metrics for GET /metrics. Labels carry roles, decisions and reasons,
 * never a principal, a customer or a value: the metrics are not a side channel.
 */
export const metrics = new Registry();
collectDefaultMetrics({ register: metrics });

export const requestDuration = new Histogram({
  name: 'petto_http_request_duration_seconds',
  help: 'GraphQL HTTP requests by status code',
  labelNames: ['status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metrics],
});

const disclosureRecords = new Counter({
  name: 'petto_disclosure_records_total',
  help: 'Audited disclosure records (one per subject and decision in a request)',
  labelNames: ['role', 'decision', 'reason'] as const,
  registers: [metrics],
});

/** Counts one audited record under its role, decision and reason (empty when it has none). */
/** Counts `customers` uses of one kind: one per customer, as the audit events show them. */
export function countDisclosures(
  role: Role,
  decision: AuditDecision,
  reason: DenialReason | null,
  customers: number,
): void {
  if (customers > 0) disclosureRecords.inc({ role, decision, reason: reason ?? '' }, customers);
}

export const auditWriteFailures = new Counter({
  name: 'petto_audit_write_failures_total',
  help: 'Requests whose audit write failed, so their released values were taken back',
  registers: [metrics],
});

export const retentionErasures = new Counter({
  name: 'petto_retention_erasures_total',
  help: 'What the retention sweep erased',
  labelNames: ['kind'],
  registers: [metrics],
});

export const rateLimitStoreFailures = new Counter({
  name: 'petto_rate_limit_store_failures_total',
  help: 'Requests counted in one replica because the shared rate-limit store (Redis or PostgreSQL) failed',
  labelNames: ['store'],
  registers: [metrics],
});
