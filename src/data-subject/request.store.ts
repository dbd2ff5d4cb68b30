import type { EntityManager } from 'typeorm';
import type { ConsentChannel } from '../consents/consent-vocabulary';
import { keysetPage, keysetPagesPerParent, type Keyset, type Page } from '../db/keyset';
import { deadlinesOf, type DeadlineRules, type RequestKind } from '../policy';
import { RuleViolation } from '../rule-violation';
import { OVERDUE } from './overdue';
import { DataSubjectRequest, DataSubjectRequestEvent } from './request.entity';
import type { RequestEvent, RequestStatus } from './request-vocabulary';

export interface RequestReceipt {
  customerId: string;
  kind: RequestKind;
  channel: ConsentChannel;
  note?: string | null;
}

/** Records a request as received now, with its legal deadlines, and its first history entry. */
export async function openRequest(
  db: EntityManager,
  receipt: RequestReceipt,
  actorId: string,
  now: Date,
  deadlines: DeadlineRules,
): Promise<string> {
  const { acknowledgeBy, dueBy } = deadlinesOf(receipt.kind, now, deadlines);
  const [{ id }]: { id: string }[] = await db.query(
    `INSERT INTO data_subject_requests
       (customer_id, kind, channel, note, received_at, acknowledge_by, due_by, opened_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [receipt.customerId, receipt.kind, receipt.channel, receipt.note ?? null, now, acknowledgeBy, dueBy, actorId],
  );
  await appendRequestEvent(db, id, 'OPENED', null, actorId, now);
  return id;
}

export async function appendRequestEvent(
  db: EntityManager,
  requestId: string,
  event: RequestEvent,
  detail: string | null,
  actorId: string,
  now: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO data_subject_request_events (request_id, event, detail, actor_id, occurred_at)
     VALUES ($1, $2, $3, $4, $5)`,
    [requestId, event, detail, actorId, now],
  );
}

/**
 * The request, its row locked so that changes to one request are serialised; refused at
 * `id` when there is none.
 */
export async function requireRequest(db: EntityManager, id: string): Promise<DataSubjectRequest> {
  const [locked] = await db.query('SELECT id FROM data_subject_requests WHERE id = $1 FOR UPDATE', [id]);
  if (!locked) throw new RuleViolation('id', 'no data-subject request with this id');
  return db.findOneByOrFail(DataSubjectRequest, { id });
}

/** Acknowledges the request (once; again is a no-op). A closed request is refused. */
export async function acknowledgeRequest(db: EntityManager, id: string, actorId: string, now: Date) {
  const request = await requireRequest(db, id);
  if (request.closedAt) throw new RuleViolation('id', 'the request is closed');
  if (!request.acknowledgedAt) await appendRequestEvent(db, id, 'ACKNOWLEDGED', null, actorId, now);
  return db.findOneByOrFail(DataSubjectRequest, { id });
}

/** Closes the request with its outcome; the access it gave ends with it. Closing twice is refused. */
export async function closeRequest(db: EntityManager, id: string, outcome: string, actorId: string, now: Date) {
  const request = await requireRequest(db, id);
  if (request.closedAt) throw new RuleViolation('id', 'the request is already closed');
  await appendRequestEvent(db, id, 'CLOSED', outcome, actorId, now);
  return db.findOneByOrFail(DataSubjectRequest, { id });
}

export interface RequestFilter {
  status?: RequestStatus;
  /** With `overdue`: whether past a deadline at this moment. */
  overdueAt?: { now: Date; overdue: boolean };
}

const STATUS_CONDITIONS: Record<RequestStatus, string> = {
  OPEN: 'r.closed_at IS NULL AND r.acknowledged_at IS NULL',
  ACKNOWLEDGED: 'r.closed_at IS NULL AND r.acknowledged_at IS NOT NULL',
  CLOSED: 'r.closed_at IS NOT NULL',
};

/** Newest first; limit + 1 rows so the caller knows whether more follow. */
export function requestsPage(db: EntityManager, filter: RequestFilter, page: Page): Promise<DataSubjectRequest[]> {
  const qb = db.createQueryBuilder(DataSubjectRequest, 'r');
  if (filter.status) qb.andWhere(STATUS_CONDITIONS[filter.status]);
  if (filter.overdueAt) {
    qb.andWhere(filter.overdueAt.overdue ? OVERDUE : `NOT ${OVERDUE}`, { now: filter.overdueAt.now });
  }
  return keysetPage(qb, 'r', 'received_at', page);
}

/** The same page of requests for each of several customers, in one statement. */
export function requestsOfCustomers(
  db: EntityManager,
  customerIds: readonly string[],
  page: Page,
): Promise<Map<string, DataSubjectRequest[]>> {
  return keysetPagesPerParent(db, db.createQueryBuilder(DataSubjectRequest, 'r'), {
    alias: 'r',
    parentColumn: 'customer_id',
    timeColumn: 'received_at',
    parentIds: customerIds,
    page,
    parentOf: (request) => request.customerId,
  });
}

export function requestKey(request: DataSubjectRequest): Keyset {
  return { at: request.receivedAt, id: request.id };
}

/** The histories of these requests, oldest entry first. */
export async function requestHistories(
  db: EntityManager,
  requestIds: readonly string[],
): Promise<Map<string, DataSubjectRequestEvent[]>> {
  const rows: { request_id: string; event: string; detail: string | null; actor_id: string; occurred_at: Date }[] =
    await db.query(
      `SELECT request_id, event, detail, actor_id, occurred_at FROM data_subject_request_events
        WHERE request_id = ANY($1) ORDER BY occurred_at, id`,
      [requestIds],
    );
  const byRequest = new Map<string, DataSubjectRequestEvent[]>();
  for (const row of rows) {
    const history = byRequest.get(row.request_id) ?? [];
    history.push({ event: row.event, detail: row.detail, actorId: row.actor_id, occurredAt: row.occurred_at });
    byRequest.set(row.request_id, history);
  }
  return byRequest;
}
