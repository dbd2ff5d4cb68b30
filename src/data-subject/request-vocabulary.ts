/** Where a data-subject request stands, derived from its history. */
export const REQUEST_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'CLOSED'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** What a request's history records: each is one row, never changed. */
export type RequestEvent = 'OPENED' | 'ACKNOWLEDGED' | 'USED' | 'CLOSED';
