import type { EntityManager } from 'typeorm';

/** How far ahead the trail's monthly partitions are made, so that no write ever lacks one. */
const MONTHS_AHEAD = 2;

/** Makes the trail's partitions from this month to MONTHS_AHEAD months on; idempotent. */
export async function ensureAuditPartitions(db: Pick<EntityManager, 'query'>, now: Date): Promise<void> {
  await db.query(`SELECT ensure_audit_partitions($1, $1::timestamptz + make_interval(months => $2))`, [
    now,
    MONTHS_AHEAD,
  ]);
}

export interface DroppedPartition {
  partition: string;
  endedBefore: Date;
  rowsDropped: number;
}

/**
 * Drops the trail's partitions whose month ended at least `months` months before this
 * month began: the only deletion the trail allows, and each one is itself recorded in
 * `audit_trail_drops` in the same transaction. Call inside a transaction.
 */
export async function dropExpiredAuditPartitions(
  db: EntityManager,
  now: Date,
  months: number,
  droppedBy: string,
): Promise<DroppedPartition[]> {
  const expired: { partition: string; ended_before: Date }[] = await db.query(
    `SELECT c.relname AS partition,
            to_timestamp(substring(c.relname FROM 'audit_trail_(\\d{4}_\\d{2})'), 'YYYY_MM') AT TIME ZONE 'UTC'
              + interval '1 month' AS ended_before
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'audit_trail'::regclass
        AND c.relname ~ '^audit_trail_\\d{4}_\\d{2}$'
      ORDER BY c.relname`,
  );
  const cutoff = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
  const dropped: DroppedPartition[] = [];
  for (const { partition, ended_before: endedBefore } of expired) {
    if (endedBefore > cutoff) continue;
    // The name comes from the catalogue and matched the pattern above: safe to quote.
    const [{ rows }] = await db.query(`SELECT count(*)::bigint AS rows FROM "${partition}"`);
    await db.query(
      `INSERT INTO audit_trail_drops (partition, ended_before, rows_dropped, dropped_by) VALUES ($1, $2, $3, $4)`,
      [partition, endedBefore, rows, droppedBy],
    );
    await db.query(`DROP TABLE "${partition}"`);
    dropped.push({ partition, endedBefore, rowsDropped: Number(rows) });
  }
  return dropped;
}
