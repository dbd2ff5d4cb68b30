import { randomUUID } from 'node:crypto';
import { DEFAULT_RETENTION } from '../../src/policy';
import { sweepRetention } from '../../src/retention/sweep';
import { describeOnEachDatabase, type TestGateway } from '../support/gateway';

/**
 * The trail and the budget at the scale of a busy carrier: a page of many customers is
 * one row of the trail, the budget is its own small table spent atomically per
 * principal, and the trail is kept in monthly partitions that retention drops whole.
 */
const PAGE_OF_EMAILS = `{ customers(first: 4) { edges { node { id email } } } }`;

async function trailRows(gateway: TestGateway, requestId: string | null) {
  return gateway.database.dataSource.query(
    `SELECT cardinality(customer_ids) AS customers, decision, fields FROM audit_trail WHERE request_id = $1`,
    [requestId],
  );
}

/** What GET /metrics says was released to support agents so far. */
async function releasedToAgents(gateway: TestGateway): Promise<number> {
  const text = await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
  const line = text
    .split('\n')
    .find(
      (row) =>
        row.startsWith('petto_disclosure_records_total{') &&
        row.includes('role="SUPPORT_AGENT"') &&
        row.includes('decision="RELEASED"'),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

describeOnEachDatabase('the audit trail at scale', (gateway) => {
  test('a page of customers is one row of the trail, and still one event per customer', async () => {
    const releasedBefore = await releasedToAgents(gateway());
    const response = await gateway().query({ role: 'SUPPORT_AGENT' }, PAGE_OF_EMAILS);
    // The metric counts customers, like the events, not rows of the trail.
    expect((await releasedToAgents(gateway())) - releasedBefore).toBe(4);
    expect(response.data.customers.edges).toHaveLength(4);
    expect(await trailRows(gateway(), response.requestId)).toEqual([
      { customers: 4, decision: 'RELEASED', fields: ['Customer.email'] },
    ]);
    const events = await gateway().database.dataSource.query(
      'SELECT customer_id FROM audit_events WHERE request_id = $1 ORDER BY customer_id',
      [response.requestId],
    );
    expect(events.map((e: any) => e.customer_id)).toEqual(
      response.data.customers.edges.map((e: any) => e.node.id).sort(),
    );
  });

  test('AUDIT_RETENTION_MONTHS drops whole months past the window, and records each drop', async () => {
    const db = gateway().database.dataSource;
    const now = new Date();
    const longAgo = new Date(Date.UTC(now.getUTCFullYear() - 3, now.getUTCMonth(), 15));
    const partition = `audit_trail_${longAgo.getUTCFullYear()}_${String(longAgo.getUTCMonth() + 1).padStart(2, '0')}`;
    await db.query('SELECT ensure_audit_partitions($1, $1)', [longAgo]);
    await db.query(
      `INSERT INTO audit_trail (request_id, principal_id, role, purpose, customer_ids, fields, decision, occurred_at)
       VALUES ($1, 'test-old', 'SUPPORT_AGENT', 'CUSTOMER_CARE', ARRAY[$2::uuid], ARRAY['Customer.email'], 'RELEASED', $3)`,
      [randomUUID(), randomUUID(), longAgo],
    );
    const recent = await gateway().query({ role: 'SUPPORT_AGENT' }, PAGE_OF_EMAILS);
    const before = await db.query('SELECT count(*)::int AS n FROM audit_events WHERE request_id = $1', [
      recent.requestId,
    ]);

    const report = await sweepRetention(db, {
      clock: { now, retention: { ...DEFAULT_RETENTION, auditMonths: 24 } },
      policyVersion: '2024-01',
    });

    expect(report.auditPartitionsDropped).toEqual([{ partition, endedBefore: expect.any(Date), rowsDropped: 1 }]);
    expect(await db.query('SELECT to_regclass($1) AS still', [partition])).toEqual([{ still: null }]);
    const [drop] = await db.query(
      'SELECT rows_dropped::int AS rows, dropped_by FROM audit_trail_drops WHERE partition = $1',
      [partition],
    );
    expect(drop).toEqual({ rows: 1, dropped_by: 'retention-sweep' });
    const after = await db.query('SELECT count(*)::int AS n FROM audit_events WHERE request_id = $1', [
      recent.requestId,
    ]);
    expect(after).toEqual(before);
    // The months ahead exist, so that no write waits for the sweep.
    const ahead = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1));
    const name = `audit_trail_${ahead.getUTCFullYear()}_${String(ahead.getUTCMonth() + 1).padStart(2, '0')}`;
    expect(await db.query('SELECT to_regclass($1)::text AS made', [name])).toEqual([{ made: name }]);
  });

  test('a partition cannot be emptied either', async () => {
    const now = new Date();
    const name = `audit_trail_${now.getUTCFullYear()}_${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    await expect(gateway().database.dataSource.query(`TRUNCATE ${name}`)).rejects.toThrow(/append-only/);
  });
});

describeOnEachDatabase(
  'the disclosure budget under concurrent requests',
  (gateway) => {
    test('parallel requests of one principal for different customers never release more than its budget', async () => {
      const db = gateway().database.dataSource;
      const ids: string[] = (
        await db.query(
          `INSERT INTO customers (full_name, email, phone)
           SELECT 'Khách ' || n, 'khach' || n || '@example.vn', '+8491000000' || n FROM generate_series(0, 9) n
           RETURNING id`,
        )
      ).map((row: { id: string }) => row.id);
      const responses = await Promise.all(
        ids.map((id) =>
          gateway().query({ role: 'SUPPORT_AGENT' }, `query($id: ID!) { customer(id: $id) { id email } }`, { id }),
        ),
      );
      const released = responses.filter((response) => response.data.customer.email !== null);
      expect(released).toHaveLength(2);
      for (const response of responses.filter((r) => r.data.customer.email === null)) {
        expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['DISCLOSURE_LIMIT']);
      }
      const [{ counted }] = await db.query(
        `SELECT count(*)::int AS counted FROM disclosure_budgets WHERE principal_id = 'test-support_agent'`,
      );
      expect(counted).toBe(2);
      const audited = await db.query(
        `SELECT customer_id FROM audit_events WHERE principal_id = 'test-support_agent' AND decision = 'RELEASED'`,
      );
      expect(audited.map((row: any) => row.customer_id).sort()).toEqual(
        released.map((response) => response.data.customer.id).sort(),
      );
    });
  },
  { DISCLOSURE_LIMITS: 'SUPPORT_AGENT:2' },
);

describeOnEachDatabase(
  'the disclosure budget over time',
  (gateway) => {
    const db = () => gateway().database.dataSource;
    const emailOf = async (id: string): Promise<string | null> =>
      (await gateway().query({ role: 'SUPPORT_AGENT' }, `query($id: ID!) { customer(id: $id) { email } }`, { id })).data
        .customer.email;
    const lastUse = async (id: string): Promise<Date> =>
      (
        await db().query(
          `SELECT last_used_at FROM disclosure_budgets WHERE principal_id = 'test-support_agent' AND customer_id = $1`,
          [id],
        )
      )[0].last_used_at;
    const setLastUse = (id: string, secondsAgo: number) =>
      db().query(
        `UPDATE disclosure_budgets SET last_used_at = now() - $2 * interval '1 second'
          WHERE principal_id = 'test-support_agent' AND customer_id = $1`,
        [id, secondsAgo],
      );

    test('a customer given again within the minute is not rewritten; after a minute its last use moves on', async () => {
      const [id] = (
        await db().query(
          `INSERT INTO customers (full_name, email, phone) VALUES ('Khách A', 'a@example.vn', '+84910000001') RETURNING id`,
        )
      ).map((row: { id: string }) => row.id);
      expect(await emailOf(id)).toBe('a@example.vn');
      const first = await lastUse(id);
      expect(await emailOf(id)).toBe('a@example.vn');
      expect(await lastUse(id)).toEqual(first);

      await setLastUse(id, 120);
      const twoMinutesAgo = await lastUse(id);
      expect(await emailOf(id)).toBe('a@example.vn');
      expect((await lastUse(id)).getTime()).toBeGreaterThan(twoMinutesAgo.getTime() + 60_000);
    });

    test('a customer stays counted for a minute past the window, never less, and then frees its place', async () => {
      const [earlier, other, later] = (
        await db().query(
          `INSERT INTO customers (full_name, email, phone)
           SELECT 'Khách ' || n, 'k' || n || '@example.vn', '+8492000000' || n FROM generate_series(1, 3) n RETURNING id`,
        )
      ).map((row: { id: string }) => row.id);
      // The previous test's customer leaves the budget: two places for these three.
      await db().query(`DELETE FROM disclosure_budgets WHERE principal_id = 'test-support_agent'`);
      expect(await emailOf(earlier)).toBe('k1@example.vn');
      expect(await emailOf(other)).toBe('k2@example.vn');

      // Past the 60-minute window by half a minute: still counted, so no place for a third.
      await setLastUse(earlier, 3630);
      expect(await emailOf(later)).toBeNull();

      // Past the window and the minute of refresh: its place is free again.
      await setLastUse(earlier, 3690);
      expect(await emailOf(later)).toBe('k3@example.vn');
      expect(await emailOf(earlier)).toBeNull();
    });
  },
  { DISCLOSURE_LIMITS: 'SUPPORT_AGENT:2', DISCLOSURE_WINDOW_MINUTES: '60' },
);
