import type { MigrationInterface, QueryRunner } from 'typeorm';
import { RESERVE_DISCLOSURES } from './disclosure-budget-functions';

/**
 * A polling carrier is given the same recipients page after page. Until now each page
 * rewrote their rows in `disclosure_budgets` (a new row version and two index entries
 * per customer per request), which was most of what a released page cost the database.
 * Now a counted customer's last use is moved on at most once a minute, and rows are kept
 * a minute past the window to make up for it: a customer never leaves the window early
 * (the budget can only err towards refusing), and repeated pages write nothing.
 */
export class BudgetRefreshedOncePerMinute1764900000000 implements MigrationInterface {
  name = 'BudgetRefreshedOncePerMinute1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION reserve_disclosures(text, integer, timestamptz, uuid[])`);
    await db.query(RESERVE_DISCLOSURES_REFRESHED_ONCE_PER_MINUTE);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION reserve_disclosures(text, integer, timestamptz, uuid[])`);
    await db.query(RESERVE_DISCLOSURES);
  }
}

/**
 * Of these customers, those the principal may not be given now; the others are counted.
 * Serialised per principal for the rest of the transaction. A row is fresh when its last
 * use is within `refresh` of now: it is left as it is. A row leaves the budget when its
 * last use is older than the window plus `refresh`, so every customer stays counted for
 * at least the window after its latest use.
 */
const RESERVE_DISCLOSURES_REFRESHED_ONCE_PER_MINUTE = `
      CREATE FUNCTION reserve_disclosures(principal text, lim integer, since timestamptz, wanted uuid[])
      RETURNS uuid[] LANGUAGE plpgsql AS $$
      DECLARE
        refresh CONSTANT interval := interval '1 minute';
        used integer;
        fitting uuid[];
      BEGIN
        IF lim IS NULL OR cardinality(wanted) = 0 THEN
          RETURN '{}';
        END IF;
        PERFORM pg_advisory_xact_lock(hashtextextended('petto-budget:' || principal, 0));
        DELETE FROM disclosure_budgets WHERE principal_id = principal AND last_used_at <= since - refresh;
        SELECT count(*) INTO used FROM disclosure_budgets WHERE principal_id = principal;
        WITH asked AS (
          SELECT w.customer_id, min(w.position) AS position, min(b.last_used_at) AS last_used_at
            FROM unnest(wanted) WITH ORDINALITY AS w(customer_id, position)
            LEFT JOIN disclosure_budgets b ON b.principal_id = principal AND b.customer_id = w.customer_id
           GROUP BY w.customer_id),
        ranked AS (
          SELECT customer_id, last_used_at,
                 row_number() OVER (PARTITION BY last_used_at IS NOT NULL ORDER BY position) AS n
            FROM asked),
        kept AS (
          SELECT customer_id, last_used_at FROM ranked WHERE last_used_at IS NOT NULL OR n <= lim - used),
        counted AS (
          INSERT INTO disclosure_budgets (principal_id, customer_id, last_used_at)
          SELECT principal, customer_id, clock_timestamp() FROM kept
           WHERE last_used_at IS NULL OR last_used_at < clock_timestamp() - refresh
          ON CONFLICT (principal_id, customer_id) DO UPDATE SET last_used_at = excluded.last_used_at)
        SELECT coalesce(array_agg(customer_id), '{}') INTO fitting FROM kept;
        RETURN ARRAY(SELECT DISTINCT w FROM unnest(wanted) AS w WHERE w <> ALL (fitting));
      END $$`;
