import type { MigrationInterface, QueryRunner } from 'typeorm';
import { RECORD_DISCLOSURES, RESERVE_DISCLOSURES } from './disclosure-budget-functions';

/**
 * The audit trail and the disclosure budget at the scale of a busy carrier.
 *
 * - `audit_trail` holds one row per request, decision, reason and field set, with the
 *   customers in an array (GIN-indexed): a carrier page of 50 recipients is one row, not
 *   50. Its key is time-ordered, and it is partitioned by month so that retention drops
 *   whole partitions (the only deletion the trail allows, itself recorded in
 *   `audit_trail_drops`). `audit_events` becomes a view with one row per customer, the
 *   shape the privacy officer's queries and the GraphQL type read.
 * - `disclosure_budgets` holds, per principal, the customers it was given or matched in
 *   the window, so that the budget costs O(limit) to read, not a scan of the trail.
 * - `record_disclosures` reserves the budget and writes the trail in one statement: one
 *   round trip, serialised per principal by a transaction-level advisory lock, so that
 *   concurrent requests cannot overshoot the budget, on PostgreSQL and on PGlite.
 */
export class AuditTrailAtScale1764500000000 implements MigrationInterface {
  name = 'AuditTrailAtScale1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await createAuditTrail(db);
    await partitionByMonth(db);
    await moveAuditEvents(db);
    await createDisclosureBudgets(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION record_disclosures(jsonb, integer, timestamptz)`);
    await db.query(`DROP FUNCTION reserve_disclosures(text, integer, timestamptz, uuid[])`);
    await db.query(`DROP TABLE disclosure_budgets`);
    await db.query(`DROP VIEW audit_events`);
    await db.query(`
      CREATE TABLE audit_events AS
      SELECT id, request_id, principal_id, role, purpose, customer_id, fields, decision, reason, occurred_at
        FROM (SELECT gen_random_uuid() AS id, t.*, c.customer_id
                FROM audit_trail t LEFT JOIN LATERAL unnest(t.customer_ids) AS c(customer_id) ON true) moved`);
    await db.query(`DROP TABLE audit_trail_drops`);
    await db.query(`DROP FUNCTION ensure_audit_partitions(timestamptz, timestamptz)`);
    await db.query(`DROP TABLE audit_trail`);
  }
}

/** The trail itself, append-only: no update, delete or truncate. */
async function createAuditTrail(db: QueryRunner): Promise<void> {
  await db.query(`
      CREATE TABLE audit_trail (
        id            bigint GENERATED ALWAYS AS IDENTITY,
        request_id    uuid NOT NULL,
        principal_id  text NOT NULL,
        role          text NOT NULL,
        purpose       text,
        customer_ids  uuid[] NOT NULL,
        fields        text[] NOT NULL,
        decision      text NOT NULL CHECK (decision IN ('RELEASED', 'MATCHED', 'WITHHELD')),
        reason        text CHECK ((decision = 'WITHHELD') = (reason IS NOT NULL)),
        occurred_at   timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (occurred_at, id)
      ) PARTITION BY RANGE (occurred_at)`);
  await db.query(`CREATE INDEX audit_trail_customers_idx ON audit_trail USING gin (customer_ids)`);
  await db.query(`CREATE INDEX audit_trail_principal_idx ON audit_trail (principal_id, occurred_at)`);
  await db.query(`
      CREATE TRIGGER audit_trail_append_only
        BEFORE UPDATE OR DELETE ON audit_trail
        FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`);
  await db.query(`
      CREATE TRIGGER audit_trail_no_truncate
        BEFORE TRUNCATE ON audit_trail
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite()`);
}

/**
 * One partition per calendar month (UTC), made ahead of time by the server. Row
 * triggers reach the partitions from the parent; TRUNCATE triggers do not, so each
 * partition gets its own.
 * Dropped partitions are recorded in `audit_trail_drops`, itself append-only.
 */
async function partitionByMonth(db: QueryRunner): Promise<void> {
  await db.query(`
      CREATE FUNCTION ensure_audit_partitions(since timestamptz, upto timestamptz) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        month timestamptz := date_trunc('month', since AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
        partition text;
      BEGIN
        WHILE month <= upto LOOP
          partition := 'audit_trail_' || to_char(month AT TIME ZONE 'UTC', 'YYYY_MM');
          IF to_regclass(partition) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_trail FOR VALUES FROM (%L) TO (%L)',
                           partition, month, month + interval '1 month');
            EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I
                              FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite()',
                           partition || '_no_truncate', partition);
          END IF;
          month := month + interval '1 month';
        END LOOP;
      END $$`);

  await db.query(`
      CREATE TABLE audit_trail_drops (
        partition    text NOT NULL,
        ended_before timestamptz NOT NULL,
        rows_dropped bigint NOT NULL,
        dropped_by   text NOT NULL,
        dropped_at   timestamptz(3) NOT NULL DEFAULT clock_timestamp()
      )`);
  await db.query(`
      CREATE TRIGGER audit_trail_drops_append_only
        BEFORE UPDATE OR DELETE ON audit_trail_drops
        FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`);
}

/**
 * The events written so far move over, one row each, into partitions made for them.
 * `audit_events` becomes a view of the trail with one row per customer.
 */
async function moveAuditEvents(db: QueryRunner): Promise<void> {
  await db.query(`
      SELECT ensure_audit_partitions(coalesce(min(occurred_at), now()), now() + interval '2 months')
        FROM audit_events`);
  await db.query(`
      INSERT INTO audit_trail (request_id, principal_id, role, purpose, customer_ids, fields, decision, reason, occurred_at)
      SELECT request_id, principal_id, role, purpose,
             CASE WHEN customer_id IS NULL THEN '{}'::uuid[] ELSE ARRAY[customer_id] END,
             fields, decision, reason, occurred_at
        FROM audit_events ORDER BY occurred_at, id`);
  await db.query(`DROP TABLE audit_events`);

  // The derived id is stable and unique per row and customer, for keyset pages.
  await db.query(`
      CREATE VIEW audit_events AS
      SELECT md5(t.id::text || ':' || coalesce(c.customer_id::text, ''))::uuid AS id,
             t.request_id, t.principal_id, t.role, t.purpose, c.customer_id, t.customer_ids,
             t.fields, t.decision, t.reason, t.occurred_at
        FROM audit_trail t
        LEFT JOIN LATERAL unnest(t.customer_ids) AS c(customer_id) ON true`);
}

/** The budget table, filled from the last day of the trail, and the functions that spend it. */
async function createDisclosureBudgets(db: QueryRunner): Promise<void> {
  await db.query(`
      CREATE TABLE disclosure_budgets (
        principal_id     text NOT NULL,
        customer_id      uuid NOT NULL,
        last_used_at     timestamptz(3) NOT NULL,
        PRIMARY KEY (principal_id, customer_id)
      )`);
  await db.query(`CREATE INDEX disclosure_budgets_window_idx ON disclosure_budgets (principal_id, last_used_at)`);
  await db.query(`
      INSERT INTO disclosure_budgets (principal_id, customer_id, last_used_at)
      SELECT principal_id, c, max(occurred_at)
        FROM audit_trail, unnest(customer_ids) AS c
       WHERE decision IN ('RELEASED', 'MATCHED') AND occurred_at > now() - interval '1 day'
       GROUP BY principal_id, c`);
  await db.query(RESERVE_DISCLOSURES);
  await db.query(RECORD_DISCLOSURES);
}
