import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { DenialReason, MessageKind, Role } from '../policy';
import type { OrderNotice } from './order-notices';

/** A message a worker has leased for one attempt. */
export interface ClaimedMessage {
  id: string;
  kind: MessageKind;
  customerId: string;
  campaignId: string | null;
  orderId: string | null;
  notice: OrderNotice | null;
  closesOrder: boolean;
  causedBy: string;
  causedRole: Role;
  attempts: number;
}

export interface Claim {
  /** Written on the rows while leased: a settle that does not carry it changes nothing. */
  token: string;
  messages: ClaimedMessage[];
}

export interface ClaimLimits {
  batchSize: number;
  ratePerMinute: number;
  /** How long a claimed message is left to its worker before another may take it up again. */
  leaseSeconds: number;
}

/**
 * Leases due messages, at most `batchSize` and no more than the rate leaves this minute,
 * counted over every replica's attempts. Claims are serialised by an advisory lock (so two
 * replicas cannot both spend the same minute), and rows another transaction holds are
 * skipped rather than waited for.
 */
export async function claimDueMessages(dataSource: DataSource, limits: ClaimLimits): Promise<Claim> {
  const token = randomUUID();
  const messages = await dataSource.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('petto-outbox-claims', 0))`);
    const [{ recent }]: { recent: number }[] = await tx.query(
      `SELECT count(*)::int AS recent FROM outbox_messages WHERE last_attempt_at > clock_timestamp() - interval '1 minute'`,
    );
    const room = Math.min(limits.batchSize, limits.ratePerMinute - recent);
    if (room <= 0) return [];
    // For an UPDATE, TypeORM's postgres driver answers [rows, number of rows changed].
    const [claimed]: [ClaimedMessage[], number] = await tx.query(
      `UPDATE outbox_messages m
          SET claim = $1, attempts = m.attempts + 1, last_attempt_at = clock_timestamp(),
              next_attempt_at = clock_timestamp() + $3 * interval '1 second'
        WHERE m.id IN (SELECT id FROM outbox_messages
                        WHERE status = 'PENDING' AND next_attempt_at <= clock_timestamp()
                        ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING m.id, m.kind, m.customer_id AS "customerId", m.campaign_id AS "campaignId",
                  m.order_id AS "orderId", m.notice, m.closes_order AS "closesOrder",
                  m.caused_by AS "causedBy", m.caused_role AS "causedRole", m.attempts`,
      [token, room, limits.leaseSeconds],
    );
    return claimed;
  });
  return { token, messages };
}

/** One decision about one message, for the audit trail: never the address, only that it was used. */
export interface MessageUse {
  message: ClaimedMessage;
  purpose: string;
  field: string;
  decision: 'SENT' | 'WITHHELD';
  reason: DenialReason | null;
}

/** The uses in one statement; the message id stands where a request's id would. */
export async function auditMessageUses(db: EntityManager, uses: readonly MessageUse[]): Promise<void> {
  if (uses.length === 0) return;
  await db.query(
    `INSERT INTO audit_trail (request_id, principal_id, role, purpose, customer_ids, fields, decision, reason)
     SELECT r.id, r.principal, r.role, r.purpose, ARRAY[r.customer], ARRAY[r.field], r.decision, r.reason
       FROM jsonb_to_recordset($1::jsonb)
         AS r(id uuid, principal text, role text, purpose text, customer uuid, field text, decision text, reason text)`,
    [
      JSON.stringify(
        uses.map(({ message, purpose, field, decision, reason }) => ({
          id: message.id,
          principal: message.causedBy,
          role: message.causedRole,
          purpose,
          customer: message.customerId,
          field,
          decision,
          reason,
        })),
      ),
    ],
  );
}

/** Messages the policy refused at the moment of sending: settled, never sent. */
export async function markSkipped(
  db: EntityManager,
  token: string,
  skipped: readonly { id: string; reason: DenialReason }[],
): Promise<void> {
  if (skipped.length === 0) return;
  await db.query(
    `UPDATE outbox_messages m SET status = 'SKIPPED', skip_reason = s.reason, settled_at = clock_timestamp(), claim = NULL
       FROM jsonb_to_recordset($2::jsonb) AS s(id uuid, reason text)
      WHERE m.id = s.id AND m.claim = $1`,
    [token, JSON.stringify(skipped)],
  );
}

/** Messages the mail server took, settled in one statement. */
export async function markSent(dataSource: DataSource, token: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await dataSource.query(
    `UPDATE outbox_messages SET status = 'SENT', settled_at = clock_timestamp(), claim = NULL, last_error = NULL
      WHERE id = ANY($1) AND claim = $2`,
    [ids, token],
  );
}

/**
 * A failed attempt: tried again after `retrySeconds`, or given up once `finalAttempt`.
 * `error` is a code (ECONNECTION, 550), never the server's text, which may quote the address.
 */
export async function markFailedAttempt(
  dataSource: DataSource,
  token: string,
  id: string,
  failure: { error: string; retrySeconds: number; finalAttempt: boolean },
): Promise<void> {
  await dataSource.query(
    `UPDATE outbox_messages
        SET last_error = $3, claim = NULL,
            status = CASE WHEN $4 THEN 'FAILED' ELSE 'PENDING' END,
            settled_at = CASE WHEN $4 THEN clock_timestamp() END,
            next_attempt_at = clock_timestamp() + $5 * interval '1 second'
      WHERE id = $1 AND claim = $2`,
    [id, token, failure.error, failure.finalAttempt, failure.retrySeconds],
  );
}

/**
 * Campaigns with no message left to send are finished, and their templates (the bodies)
 * dropped: only the metadata and the counts remain.
 */
export async function finishCampaigns(dataSource: DataSource, campaignIds: readonly string[]): Promise<void> {
  if (campaignIds.length === 0) return;
  await dataSource.query(
    `UPDATE campaigns k SET text_template = NULL, html_template = NULL, finished_at = clock_timestamp()
      WHERE k.id = ANY($1) AND k.finished_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM outbox_messages m WHERE m.campaign_id = k.id AND m.status = 'PENDING')`,
    [campaignIds],
  );
}
