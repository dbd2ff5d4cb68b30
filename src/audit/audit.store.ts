import type { EntityManager } from 'typeorm';
import { keysetPage, keysetPagesPerParent, type Keyset, type Page } from '../db/keyset';
import type { DisclosureRecord } from '../disclosure/request-disclosures';
import type { Principal } from '../policy';
import { AuditEvent } from './audit-event.entity';

/** Appends a request's disclosure records in one statement. */
export async function appendAuditEvents(
  db: EntityManager,
  request: { requestId: string; principal: Principal },
  records: readonly DisclosureRecord[],
): Promise<void> {
  const rows = records.map((record) => ({
    request_id: request.requestId,
    principal_id: request.principal.id,
    role: request.principal.role,
    purpose: record.purpose,
    customer_id: record.customerId,
    fields: record.fields,
    decision: record.decision,
    reason: record.reason,
  }));
  await db.query(
    `INSERT INTO audit_events (request_id, principal_id, role, purpose, customer_id, fields, decision, reason)
     SELECT request_id, principal_id, role, purpose, customer_id, fields, decision, reason
       FROM jsonb_to_recordset($1::jsonb) AS e(request_id uuid, principal_id text, role text, purpose text,
                                               customer_id uuid, fields text[], decision text, reason text)`,
    [JSON.stringify(rows)],
  );
}

/** Distinct customers whose data was released to the principal, or matched by its searches, since `since`. */
export async function customersReleasedTo(db: EntityManager, principalId: string, since: Date): Promise<Set<string>> {
  const rows: { customer_id: string }[] = await db.query(
    `SELECT DISTINCT customer_id FROM audit_events
      WHERE principal_id = $1 AND decision IN ('RELEASED', 'MATCHED') AND occurred_at > $2
        AND customer_id IS NOT NULL`,
    [principalId, since],
  );
  return new Set(rows.map((row) => row.customer_id));
}

export interface AuditFilter {
  customerId?: string;
  principalId?: string;
  from?: Date;
  to?: Date;
}

export function auditEventsPage(db: EntityManager, filter: AuditFilter, page: Page): Promise<AuditEvent[]> {
  const qb = db.createQueryBuilder(AuditEvent, 'a');
  if (filter.customerId) qb.andWhere('a.customer_id = :customerId', { customerId: filter.customerId });
  if (filter.principalId) qb.andWhere('a.principal_id = :principalId', { principalId: filter.principalId });
  if (filter.from) qb.andWhere('a.occurred_at >= :from', { from: filter.from });
  if (filter.to) qb.andWhere('a.occurred_at < :to', { to: filter.to });
  return keysetPage(qb, 'a', 'occurred_at', page);
}

export function auditKey(event: AuditEvent): Keyset {
  return { at: event.occurredAt, id: event.id };
}

/** What was released or matched about each of several customers: the data subject's view of the trail. */
export function releasesOfCustomers(
  db: EntityManager,
  customerIds: readonly string[],
  page: Page,
): Promise<Map<string, AuditEvent[]>> {
  return keysetPagesPerParent(
    db,
    db.createQueryBuilder(AuditEvent, 'a').where(`a.decision IN ('RELEASED', 'MATCHED')`),
    {
      alias: 'a',
      parentColumn: 'customer_id',
      timeColumn: 'occurred_at',
      parentIds: customerIds,
      page,
      parentOf: (event) => event.customerId as string,
    },
  );
}
