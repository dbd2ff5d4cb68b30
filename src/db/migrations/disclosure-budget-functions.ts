/*
 * The disclosure budget's two SQL functions, as migration 1764500000000 (AuditTrailAtScale)
 * creates them. A later migration that changes them writes its own copy.
 */

/**
 * Of these customers, those the principal may not be given now: past the limit of
 * distinct customers in the window. The others are counted (or counted again, which
 * keeps them in the window). Serialised per principal for the rest of the transaction.
 */
export const RESERVE_DISCLOSURES = `
      CREATE FUNCTION reserve_disclosures(principal text, lim integer, since timestamptz, wanted uuid[])
      RETURNS uuid[] LANGUAGE plpgsql AS $$
      DECLARE
        used integer;
        fitting uuid[];
      BEGIN
        IF lim IS NULL OR cardinality(wanted) = 0 THEN
          RETURN '{}';
        END IF;
        PERFORM pg_advisory_xact_lock(hashtextextended('petto-budget:' || principal, 0));
        DELETE FROM disclosure_budgets WHERE principal_id = principal AND last_used_at <= since;
        SELECT count(*) INTO used FROM disclosure_budgets WHERE principal_id = principal;
        WITH asked AS (
          SELECT w.customer_id, min(w.position) AS position,
                 EXISTS (SELECT 1 FROM disclosure_budgets b
                          WHERE b.principal_id = principal AND b.customer_id = w.customer_id) AS counted
            FROM unnest(wanted) WITH ORDINALITY AS w(customer_id, position)
           GROUP BY w.customer_id),
        ranked AS (
          SELECT customer_id, counted,
                 row_number() OVER (PARTITION BY counted ORDER BY position) AS n
            FROM asked)
        SELECT coalesce(array_agg(customer_id), '{}') INTO fitting
          FROM ranked WHERE counted OR n <= lim - used;
        INSERT INTO disclosure_budgets (principal_id, customer_id, last_used_at)
        SELECT principal, f, clock_timestamp() FROM unnest(fitting) AS f
        ON CONFLICT (principal_id, customer_id) DO UPDATE SET last_used_at = excluded.last_used_at;
        RETURN ARRAY(SELECT DISTINCT w FROM unnest(wanted) AS w WHERE w <> ALL (fitting));
      END $$`;

/**
 * The request's uses in one statement: the budget reserved for what it releases or
 * matches, and the trail written, with what did not fit withheld (DISCLOSURE_LIMIT).
 * Returns the customers that did not fit, whose values the response must not carry.
 */
export const RECORD_DISCLOSURES = `
      CREATE FUNCTION record_disclosures(request jsonb, lim integer, since timestamptz)
      RETURNS uuid[] LANGUAGE plpgsql AS $$
      DECLARE
        refused uuid[];
      BEGIN
        SELECT reserve_disclosures(request->>'principal', lim, since, coalesce(array_agg(c::uuid), '{}'))
          INTO refused
          FROM jsonb_array_elements(request->'records') r, jsonb_array_elements_text(r->'customerIds') c
         WHERE r->>'decision' IN ('RELEASED', 'MATCHED');
        INSERT INTO audit_trail (request_id, principal_id, role, purpose, customer_ids, fields, decision, reason)
        SELECT (request->>'requestId')::uuid, request->>'principal', request->>'role', r.purpose,
               split.customer_ids, r.fields, split.decision, split.reason
          FROM jsonb_to_recordset(request->'records')
                 AS r(purpose text, "customerIds" uuid[], fields text[], decision text, reason text)
          CROSS JOIN LATERAL (
            SELECT ARRAY(SELECT c FROM unnest(r."customerIds") c WHERE c <> ALL (refused)) AS customer_ids,
                   r.decision, r.reason
            UNION ALL
            SELECT ARRAY(SELECT c FROM unnest(r."customerIds") c WHERE c = ANY (refused)),
                   'WITHHELD', 'DISCLOSURE_LIMIT'
             WHERE r.decision IN ('RELEASED', 'MATCHED') AND r."customerIds" && refused
          ) AS split
         WHERE cardinality(split.customer_ids) > 0 OR cardinality(r."customerIds") = 0;
        RETURN refused;
      END $$`;
