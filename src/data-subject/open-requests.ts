import { isRequestKind, type OpenRequest } from '../policy';

/*
 * The person's open data-subject requests, read with the rows whose personal data they
 * govern: one SQL expression per row, parsed back into the facts the policy asks about.
 */

/** A request is open until its history records it closed. */
export const REQUEST_IS_OPEN = `NOT EXISTS (SELECT 1 FROM data_subject_request_events e
                  WHERE e.request_id = r.id AND e.event = 'CLOSED')`;

/** `id:KIND,id:KIND` of the open requests of the customer whose id is `customerIdSql`, oldest first; NULL when none. */
export function openRequestsSql(customerIdSql: string): string {
  return `(SELECT string_agg(r.id::text || ':' || r.kind, ',' ORDER BY r.received_at, r.id)
             FROM data_subject_requests r
            WHERE r.customer_id = ${customerIdSql} AND ${REQUEST_IS_OPEN})`;
}

/** The open requests in the form `openRequestsSql` reads them. */
export function parseOpenRequests(list: string | null | undefined): OpenRequest[] {
  if (!list) return [];
  return list.split(',').flatMap((entry) => {
    const [id, kind] = entry.split(':');
    return isRequestKind(kind) ? [{ id, kind }] : [];
  });
}
