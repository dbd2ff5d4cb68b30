import type { EntityManager } from 'typeorm';
import { keysetPage, keysetPagesPerParent, type Keyset, type Page } from '../db/keyset';
import type { BudgetWindow, DisclosureRecord } from './disclosure-terms';
import type { Principal } from '../policy';
import { AuditEvent } from './audit-event.entity';

/**
 * The request's uses of personal data, and the budget they spend, in one statement:
 * customers that no longer fit the principal's budget are written as withheld
 * (DISCLOSURE_LIMIT) instead, and returned, so that their values never leave.
 */
export async function recordDisclosures(
  db: EntityManager,
  request: { requestId: string; principal: Principal },
  records: readonly DisclosureRecord[],
  budget: BudgetWindow | undefined,
): Promise<Set<string>> {
  const [{ refused }]: { refused: string[] }[] = await db.query(
    `SELECT record_disclosures($1::jsonb, $2, $3) AS refused`,
    [
      JSON.stringify({
        requestId: request.requestId,
        principal: request.principal.id,
        role: request.principal.role,
        records,
      }),
      budget?.limit ?? null,
      budget?.since ?? null,
    ],
  );
  return new Set(refused);
}

/**
 * Counts these customers against the principal's budget before they are used (a search
 * must know before it returns them); returns those that do not fit. Atomic per
 * principal, like `recordDisclosures`.
 */
export async function reserveDisclosures(
  db: EntityManager,
  principalId: string,
  budget: BudgetWindow | undefined,
  customerIds: readonly string[],
): Promise<Set<string>> {
  if (!budget || customerIds.length === 0) return new Set();
  const [{ refused }]: { refused: string[] }[] = await db.query(
    `SELECT reserve_disclosures($1, $2, $3, $4::uuid[]) AS refused`,
    [principalId, budget.limit, budget.since, customerIds],
  );
  return new Set(refused);
}

export interface AuditFilter {
  customerId?: string;
  principalId?: string;
  from?: Date;
  to?: Date;
}

export function auditEventsPage(db: EntityManager, filter: AuditFilter, page: Page): Promise<AuditEvent[]> {
  const qb = db.createQueryBuilder(AuditEvent, 'a');
  if (filter.customerId) {
    // The array test is what the trail's GIN index answers; the view then unnests the row.
    qb.andWhere('a.customer_ids @> CAST(:customerIds AS uuid[]) AND a.customer_id = :customerId', {
      customerIds: [filter.customerId],
      customerId: filter.customerId,
    });
  }
  if (filter.principalId) qb.andWhere('a.principal_id = :principalId', { principalId: filter.principalId });
  if (filter.from) qb.andWhere('a.occurred_at >= :from', { from: filter.from });
  if (filter.to) qb.andWhere('a.occurred_at < :to', { to: filter.to });
  return keysetPage(qb, 'a', 'occurred_at', page);
}

export function auditKey(event: AuditEvent): Keyset {
  return { at: event.occurredAt, id: event.id };
}

/** What was released, matched or sent to each of several customers: the data subject's view of the trail. */
export function releasesOfCustomers(
  db: EntityManager,
  customerIds: readonly string[],
  page: Page,
): Promise<Map<string, AuditEvent[]>> {
  return keysetPagesPerParent(
    db,
    db
      .createQueryBuilder(AuditEvent, 'a')
      .where(`a.decision IN ('RELEASED', 'MATCHED', 'SENT')`)
      .andWhere('a.customer_ids && CAST(:parentIds AS uuid[])', { parentIds: customerIds }),
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
