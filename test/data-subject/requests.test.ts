import { DEFAULT_DEADLINES, type RequestKind } from '../../src/policy';
import { logger } from '../../src/logger';
import { warnOverdueRequests } from '../../src/data-subject/overdue';
import { openRequest } from '../../src/data-subject/request.store';
import {
  ACKNOWLEDGE_REQUEST,
  closeCase,
  CLOSE_REQUEST,
  openCase,
  OPEN_REQUEST,
  PRIVACY_OFFICER,
} from '../support/cases';
import { describeOnEachDatabase, errorCodes, type TestGateway } from '../support/gateway';
import { expectBadInput, ISO_DATE, STOREFRONT, SUPPORT, UNKNOWN_ID, writesThrough } from '../support/mutations';

const DAY = 24 * 60 * 60 * 1000;
const EXPORT = `query($customerId: ID!) { exportCustomerData(customerId: $customerId) { document } }`;
const CONTACT = `query($id: ID!) { customer(id: $id) { fullName email phone } }`;
const LIST = `query($status: DataSubjectRequestStatus, $overdue: Boolean) {
  dataSubjectRequests(status: $status, overdue: $overdue, first: 100) { edges { node { id kind status overdue } } } }`;

/** Every line the logger writes while `action` runs, parsed. */
async function logLines(action: () => Promise<unknown>): Promise<Record<string, any>[]> {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const level = logger.level;
  logger.level = 'trace';
  try {
    await action();
  } finally {
    logger.level = level;
    stdout.mockRestore();
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

/** Received `daysAgo` days ago, as the server would have recorded it then. */
async function openedDaysAgo(gateway: () => TestGateway, customerId: string, kind: string, daysAgo: number) {
  return gateway().database.dataSource.transaction((manager) =>
    openRequest(
      manager,
      { customerId, kind: kind as RequestKind, channel: 'HOTLINE', note: 'Khách gọi: Võ Thị Mai' },
      'test-support_agent',
      new Date(Date.now() - daysAgo * DAY),
      DEFAULT_DEADLINES,
    ),
  );
}

describeOnEachDatabase('data-subject requests as cases', (gateway) => {
  const { register } = writesThrough(gateway);

  test('/metrics counts open and overdue requests by kind, and names nobody', async () => {
    const customer = await register();
    const metricsUrl = gateway().url.replace(/\/graphql$/, '/metrics');
    const counts = async () => {
      const text = await (await fetch(metricsUrl)).text();
      const value = (name: string, kind: string) =>
        Number(new RegExp(`^${name}\\{kind="${kind}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
      return {
        text,
        open: value('petto_data_subject_requests_open', 'COPY'),
        overdue: value('petto_data_subject_requests_overdue', 'COPY'),
      };
    };
    const before = await counts();
    const late = await openedDaysAgo(gateway, customer.id, 'COPY', 30);
    await openCase(gateway(), customer.id, 'COPY');
    const after = await counts();
    expect({ open: after.open - before.open, overdue: after.overdue - before.overdue }).toEqual({
      open: 2,
      overdue: 1,
    });
    expect(after.text).not.toContain(customer.id);
    expect(after.text).not.toContain(late);
    await closeCase(gateway(), late);
    const closed = await counts();
    expect({ open: closed.open - before.open, overdue: closed.overdue - before.overdue }).toEqual({
      open: 1,
      overdue: 0,
    });
  });

  test('each overdue request is warned about by its id, with nothing of the person in the line', async () => {
    const customer = await register();
    const late = await openedDaysAgo(gateway, customer.id, 'ERASURE', 21);
    const unacknowledged = await openedDaysAgo(gateway, customer.id, 'ACCESS', 5);
    const onTime = await openedDaysAgo(gateway, customer.id, 'ACCESS', 0);
    let warned: string[] = [];
    const lines = await logLines(async () => {
      warned = await warnOverdueRequests(gateway().database.dataSource, new Date());
    });
    expect(warned).toEqual(expect.arrayContaining([late, unacknowledged]));
    expect(warned).not.toContain(onTime);
    const ours = lines.filter((line) => [late, unacknowledged].includes(line.dataSubjectRequestId));
    expect(ours.map((line) => [line.level, line.msg, line.kind])).toEqual(
      expect.arrayContaining([
        [40, 'data-subject request overdue', 'ERASURE'],
        [40, 'data-subject request overdue', 'ACCESS'],
      ]),
    );
    const text = JSON.stringify(lines);
    for (const secret of [customer.id, 'Võ Thị Mai', '@example.vn', 'Khách gọi']) expect(text).not.toContain(secret);
  });

  test('the hotline, the storefront and the privacy officer record a request, with its legal deadlines', async () => {
    const customer = await register();
    for (const caller of [SUPPORT, STOREFRONT, PRIVACY_OFFICER]) {
      const response = await gateway().query(caller, OPEN_REQUEST, {
        input: { customerId: customer.id, kind: 'ERASURE', channel: 'HOTLINE', note: 'gọi tổng đài' },
      });
      expect(response.errors).toBeUndefined();
      const request = response.data.openDataSubjectRequest;
      expect(request).toMatchObject({
        customerId: customer.id,
        kind: 'ERASURE',
        status: 'OPEN',
        channel: 'HOTLINE',
        note: 'gọi tổng đài',
        acknowledgedAt: null,
        closedAt: null,
        overdue: false,
      });
      expect(request.receivedAt).toMatch(ISO_DATE);
      // The deadlines are the policy's, from the moment of receipt: 20 days for an erasure.
      const received = new Date(request.receivedAt).getTime();
      expect(new Date(request.dueBy).getTime() - received).toBeGreaterThan(20 * DAY - DAY);
      expect(new Date(request.dueBy).getTime() - received).toBeLessThanOrEqual(21 * DAY);
      expect(new Date(request.acknowledgeBy).getTime()).toBeGreaterThan(received + DAY);
    }
    for (const role of ['ORDER_PROCESSOR', 'MARKETING', 'ANALYST', 'CARRIER'] as const) {
      const response = await gateway().query({ role, carrierId: 'ghn' }, OPEN_REQUEST, {
        input: { customerId: customer.id, kind: 'ACCESS', channel: 'HOTLINE' },
      });
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    }
  });

  test('input is checked: the kind, a customer id, no SYSTEM channel', async () => {
    const customer = await register();
    const open = (input: Record<string, unknown>) =>
      gateway().query(SUPPORT, OPEN_REQUEST, {
        input: { customerId: customer.id, kind: 'ACCESS', channel: 'HOTLINE', ...input },
      });
    expectBadInput(await open({ customerId: 'not-an-id' }), ['input', 'customerId']);
    expectBadInput(await open({ channel: 'SYSTEM' }), ['input', 'channel']);
    expectBadInput(await open({ note: 'x'.repeat(2001) }), ['input', 'note']);
    expect(errorCodes(await open({ kind: 'GOSSIP' }))).toEqual(['BAD_USER_INPUT']);
  });

  test('acknowledged and closed by the privacy officer only; the history only grows', async () => {
    const customer = await register();
    const id = await openCase(gateway(), customer.id, 'ACCESS', SUPPORT);
    expect(errorCodes(await gateway().query(SUPPORT, ACKNOWLEDGE_REQUEST, { id }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gateway().query(SUPPORT, CLOSE_REQUEST, { id, outcome: 'x' }))).toEqual(['FORBIDDEN']);

    const acknowledged = await gateway().query(PRIVACY_OFFICER, ACKNOWLEDGE_REQUEST, { id });
    expect(acknowledged.data.acknowledgeDataSubjectRequest).toMatchObject({ status: 'ACKNOWLEDGED' });
    expect(acknowledged.data.acknowledgeDataSubjectRequest.acknowledgedAt).toMatch(ISO_DATE);
    expectBadInput(await gateway().query(PRIVACY_OFFICER, CLOSE_REQUEST, { id, outcome: '   ' }), ['outcome']);
    const closed = await gateway().query(PRIVACY_OFFICER, CLOSE_REQUEST, { id, outcome: 'sent the export' });
    expect(closed.data.closeDataSubjectRequest).toMatchObject({ status: 'CLOSED', outcome: 'sent the export' });
    expectBadInput(await gateway().query(PRIVACY_OFFICER, CLOSE_REQUEST, { id, outcome: 'again' }), ['id']);
    expectBadInput(await gateway().query(PRIVACY_OFFICER, ACKNOWLEDGE_REQUEST, { id }), ['id']);
    expectBadInput(await gateway().query(PRIVACY_OFFICER, ACKNOWLEDGE_REQUEST, { id: UNKNOWN_ID }), ['id']);

    const history = await gateway().query(
      PRIVACY_OFFICER,
      `query($id: ID!) { customer(id: $id) { dataSubjectRequests { edges { node { id history { event detail actorId } } } } } }`,
      { id: customer.id },
    );
    const [node] = history.data.customer.dataSubjectRequests.edges.map((edge: any) => edge.node);
    expect(node.history).toEqual([
      { event: 'OPENED', detail: null, actorId: 'test-support_agent' },
      { event: 'ACKNOWLEDGED', detail: null, actorId: 'test-privacy_officer' },
      { event: 'CLOSED', detail: 'sent the export', actorId: 'test-privacy_officer' },
    ]);
    const db = gateway().database.dataSource;
    await expect(db.query(`DELETE FROM data_subject_request_events WHERE request_id = $1`, [id])).rejects.toThrow(
      /append-only/,
    );
    await expect(db.query(`UPDATE data_subject_requests SET kind = 'ERASURE' WHERE id = $1`, [id])).rejects.toThrow(
      /append-only/,
    );
    await expect(db.query(`DELETE FROM data_subject_requests WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
  });

  test('the list shows open and overdue requests, counted from receipt as the clock moves', async () => {
    const customer = await register();
    // Received 25 days ago: past every deadline.
    const late = await openedDaysAgo(gateway, customer.id, 'ACCESS', 25);
    const fresh = await openCase(gateway(), customer.id, 'ERASURE');
    const list = async (variables: Record<string, unknown>) => {
      const response = await gateway().query(PRIVACY_OFFICER, LIST, variables);
      expect(response.errors).toBeUndefined();
      return response.data.dataSubjectRequests.edges.map((edge: any) => edge.node);
    };
    expect(await list({ overdue: true })).toContainEqual({ id: late, kind: 'ACCESS', status: 'OPEN', overdue: true });
    expect((await list({ overdue: true })).map((r: any) => r.id)).not.toContain(fresh);
    expect((await list({ overdue: false })).map((r: any) => r.id)).toContain(fresh);
    await closeCase(gateway(), late);
    expect((await list({ overdue: true })).map((r: any) => r.id)).not.toContain(late);
    expect((await list({ status: 'CLOSED' })).map((r: any) => r.id)).toContain(late);
    expect((await list({ status: 'OPEN' })).map((r: any) => r.id)).toContain(fresh);
    for (const caller of [SUPPORT, STOREFRONT]) {
      expect(errorCodes(await gateway().query(caller, LIST, {}))).toEqual(['FORBIDDEN']);
    }
  });

  describe('the data-subject purpose acts only under an open request', () => {
    test('contact fields and the export need an open request; closing it ends access on the next request', async () => {
      const customer = await register();
      const before = await gateway().query(PRIVACY_OFFICER, CONTACT, { id: customer.id });
      expect(before.data.customer).toEqual({ fullName: null, email: null, phone: null });
      expect(errorCodes(before)).toEqual([
        'NO_OPEN_REQUEST Customer.email',
        'NO_OPEN_REQUEST Customer.fullName',
        'NO_OPEN_REQUEST Customer.phone',
      ]);
      const refusedExport = await gateway().query(PRIVACY_OFFICER, EXPORT, { customerId: customer.id });
      expect(errorCodes(refusedExport)).toEqual(['NO_OPEN_REQUEST']);
      expect(refusedExport.data).toBeNull();

      // A correction request lets the officer read, but not export: the kind must fit.
      const correction = await openCase(gateway(), customer.id, 'CORRECTION');
      const read = await gateway().query(PRIVACY_OFFICER, CONTACT, { id: customer.id });
      expect(read.errors).toBeUndefined();
      expect(read.data.customer.email).toContain('@example.vn');
      expect(errorCodes(await gateway().query(PRIVACY_OFFICER, EXPORT, { customerId: customer.id }))).toEqual([
        'NO_OPEN_REQUEST',
      ]);

      const access = await openCase(gateway(), customer.id, 'ACCESS');
      const exported = await gateway().query(PRIVACY_OFFICER, EXPORT, { customerId: customer.id });
      expect(exported.errors).toBeUndefined();
      expect(exported.data.exportCustomerData.document.customer.email).toContain('@example.vn');
      // The audit trail names the case each use was made under: the export, its access request.
      const events = await gateway().database.dataSource.query(
        `SELECT request_id, case_id FROM audit_events WHERE request_id = ANY($1) ORDER BY occurred_at`,
        [[read.requestId, exported.requestId]],
      );
      expect(events).toEqual([
        { request_id: read.requestId, case_id: correction },
        { request_id: exported.requestId, case_id: access },
      ]);

      await closeCase(gateway(), access);
      await closeCase(gateway(), correction);
      expect(errorCodes(await gateway().query(PRIVACY_OFFICER, EXPORT, { customerId: customer.id }))).toEqual([
        'NO_OPEN_REQUEST',
      ]);
      const after = await gateway().query(PRIVACY_OFFICER, CONTACT, { id: customer.id });
      expect(after.data.customer).toEqual({ fullName: null, email: null, phone: null });
    });

    test("a request for one customer opens nobody else's data", async () => {
      const [asked, other] = [await register(), await register()];
      await openCase(gateway(), asked.id, 'ACCESS');
      const response = await gateway().query(PRIVACY_OFFICER, CONTACT, { id: other.id });
      expect(response.data.customer).toEqual({ fullName: null, email: null, phone: null });
      expect(errorCodes(await gateway().query(PRIVACY_OFFICER, EXPORT, { customerId: other.id }))).toEqual([
        'NO_OPEN_REQUEST',
      ]);
    });

    test('a support agent cannot use a request to act under the data-subject purpose', async () => {
      const [asked, other] = [await register(), await register()];
      await openCase(gateway(), asked.id, 'ACCESS', SUPPORT);
      for (const customerId of [asked.id, other.id]) {
        const caller = { role: 'SUPPORT_AGENT' as const, purpose: 'DATA_SUBJECT_REQUEST' };
        expect(errorCodes(await gateway().query(caller, EXPORT, { customerId }))).toEqual(['FORBIDDEN']);
        const read = await gateway().query(caller, CONTACT, { id: customerId });
        expect(read.data.customer).toEqual({ fullName: null, email: null, phone: null });
        expect(new Set(errorCodes(read).map((code) => code.split(' ')[0]))).toEqual(new Set(['PURPOSE_NOT_ALLOWED']));
      }
    });
  });

  test('recording a request tells a caller who may not look customers up nothing about whether the id exists', async () => {
    const customer = await register();
    const reply = async (customerId: string) => {
      const response = await gateway().query(STOREFRONT, OPEN_REQUEST.replace('openedBy', 'openedBy customer { id }'), {
        input: { customerId, kind: 'ACCESS', channel: 'ACCOUNT' },
      });
      const { id, receivedAt, acknowledgeBy, dueBy, ...rest } = response.data.openDataSubjectRequest;
      expect([id, receivedAt, acknowledgeBy, dueBy].every((value) => typeof value === 'string')).toBe(true);
      return { status: response.status, rest: { ...rest, customerId: 'given' }, codes: errorCodes(response) };
    };
    const known = await reply(customer.id);
    const unknown = await reply(UNKNOWN_ID);
    expect(unknown).toEqual(known);
    expect(known.rest.customer).toBeNull();
    // The privacy officer, who may look anyone up, sees which request has no known customer.
    const list = await gateway().query(
      PRIVACY_OFFICER,
      `{ dataSubjectRequests(first: 100) { edges { node { customerId customer { id } } } } }`,
    );
    const forUnknown = list.data.dataSubjectRequests.edges.find((edge: any) => edge.node.customerId === UNKNOWN_ID);
    expect(forUnknown.node.customer).toBeNull();
  });

  test('the requests of a page of customers, with their histories, cost the same statements whatever the page size', async () => {
    for (let n = 0; n < 6; n += 1) await openCase(gateway(), (await register()).id, 'ACCESS', SUPPORT);
    const statementsFor = async (first: number) => {
      const counter = gateway().database.statements;
      const before = counter.statements;
      const response = await gateway().query(
        PRIVACY_OFFICER,
        `query($first: Int!) { customers(first: $first) { edges { node { id
           dataSubjectRequests { edges { node { id kind history { event } } } } } } } }`,
        { first },
      );
      expect(response.errors).toBeUndefined();
      expect(response.data.customers.edges).toHaveLength(first);
      return counter.statements - before;
    };
    expect(await statementsFor(6)).toBe(await statementsFor(2));
  });
});
