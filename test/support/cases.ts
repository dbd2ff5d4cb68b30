import type { Caller, TestGateway } from './gateway';

/** What the data-subject tests share: the request documents, and helpers that open and close cases. */

export const PRIVACY_OFFICER: Caller = { role: 'PRIVACY_OFFICER', purpose: 'DATA_SUBJECT_REQUEST' };

const REQUEST_FIELDS = `id customerId kind status channel note receivedAt acknowledgeBy dueBy acknowledgedAt closedAt outcome overdue openedBy`;

export const OPEN_REQUEST = `
  mutation($input: DataSubjectRequestInput!) { openDataSubjectRequest(input: $input) { ${REQUEST_FIELDS} } }`;
export const ACKNOWLEDGE_REQUEST = `
  mutation($id: ID!) { acknowledgeDataSubjectRequest(id: $id) { ${REQUEST_FIELDS} } }`;
export const CLOSE_REQUEST = `
  mutation($id: ID!, $outcome: String!) { closeDataSubjectRequest(id: $id, outcome: $outcome) { ${REQUEST_FIELDS} } }`;

/** Opens a request of this kind for the customer (by the privacy officer unless told) and returns its id. */
export async function openCase(
  gateway: TestGateway,
  customerId: string,
  kind: string,
  caller: Caller = PRIVACY_OFFICER,
): Promise<string> {
  const response = await gateway.query(caller, OPEN_REQUEST, { input: { customerId, kind, channel: 'HOTLINE' } });
  if (response.errors) throw new Error(`opening a ${kind} request failed: ${JSON.stringify(response.errors)}`);
  return response.data.openDataSubjectRequest.id;
}

export async function closeCase(gateway: TestGateway, id: string, outcome = 'answered'): Promise<void> {
  const response = await gateway.query(PRIVACY_OFFICER, CLOSE_REQUEST, { id, outcome });
  if (response.errors) throw new Error(`closing request ${id} failed: ${JSON.stringify(response.errors)}`);
}
