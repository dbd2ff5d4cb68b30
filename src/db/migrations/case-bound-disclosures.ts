/*
 * `record_disclosures` as migration 1764800000000 (DataSubjectRequests) makes it: the
 * function of disclosure-budget-functions.ts, writing each record's case too (the
 * data-subject request a use was made under, when there was one).
 */
export const CASE_BOUND_RECORD_DISCLOSURES = `
      CREATE FUNCTION record_disclosures(request jsonb, lim integer, since timestamptz)
      RETURNS uuid[] LANGUAGE plpgsql AS $$
      DECLARE
        refused uuid[];
      BEGIN
        SELECT reserve_disclosures(request->>'principal', lim, since, coalesce(array_agg(c::uuid), '{}'))
          INTO refused
          FROM jsonb_array_elements(request->'records') r, jsonb_array_elements_text(r->'customerIds') c
         WHERE r->>'decision' IN ('RELEASED', 'MATCHED');
        INSERT INTO audit_trail (request_id, principal_id, role, purpose, customer_ids, fields, decision, reason, case_id)
        SELECT (request->>'requestId')::uuid, request->>'principal', request->>'role', r.purpose,
               split.customer_ids, r.fields, split.decision, split.reason, r."caseId"
          FROM jsonb_to_recordset(request->'records')
                 AS r(purpose text, "customerIds" uuid[], fields text[], decision text, reason text, "caseId" uuid)
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
