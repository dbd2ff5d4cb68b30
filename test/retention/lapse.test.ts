import { DEFAULT_RETENTION, type RetentionWindows } from '../../src/policy';
import { sweepRetention } from '../../src/retention/sweep';
import { describeOnEachDatabase } from '../support/gateway';
import { GRANT_CONSENT, SUPPORT, writesThrough } from '../support/mutations';

const DAY = 24 * 60 * 60 * 1000;

describeOnEachDatabase('purposes that end on their own', (gateway) => {
  const { register, place, audience, run } = writesThrough(gateway);
  const db = () => gateway().database.dataSource;

  /** The sweep as the server runs it, at a moment the test chooses: the clock moves, nobody sleeps. */
  const sweepAt = (daysFromNow: number, retention: Partial<RetentionWindows> = {}) =>
    sweepRetention(db(), {
      clock: { now: new Date(Date.now() + daysFromNow * DAY), retention: { ...DEFAULT_RETENTION, ...retention } },
      policyVersion: '2024-01',
    });
  const history = async (id: string) =>
    (
      await run(SUPPORT, `query($id: ID!) { customer(id: $id) { consentHistory { topic status channel reason } } }`, {
        id,
      })
    ).customer.consentHistory;
  /** Makes the customer's sign-up look `days` old: the only activity that can be moved, the rest being append-only. */
  const signedUpDaysAgo = (id: string, days: number) =>
    db().query(
      `UPDATE customers SET created_at = now() - $2 * interval '1 day', privacy_notice_accepted_at = now() - $2 * interval '1 day'
        WHERE id = $1`,
      [id, days],
    );

  test('consent to a topic not given again within CONSENT_MAX_AGE_DAYS lapses, on channel SYSTEM', async () => {
    const customer = await register({ consents: ['NEWSLETTER'] });
    const windows = { consentMaxAgeDays: 365, inactiveDays: 10_000 };
    await sweepAt(364, windows);
    expect(await audience('NEWSLETTER')).toContain(customer.id);
    const report = await sweepAt(366, windows);
    expect(report.consentsLapsed).toBeGreaterThanOrEqual(1);
    expect(await audience('NEWSLETTER')).not.toContain(customer.id);
    expect((await history(customer.id))[0]).toEqual({
      topic: 'NEWSLETTER',
      status: 'WITHDRAWN',
      channel: 'SYSTEM',
      reason: 'LAPSED',
    });
    const again = await sweepAt(366, windows);
    expect((await history(customer.id)).length).toBe(2);
    expect(again.ran).toBe(true);
  });

  test('a customer with no order and no activity for RETENTION_INACTIVE_DAYS is deregistered, then anonymised', async () => {
    const [idle, active, shopping] = [await register(), await register(), await register()];
    for (const id of [idle.id, active.id, shopping.id]) await signedUpDaysAgo(id, 800);
    // A grant as old as the sign-up: the history only takes new rows, so it is written with its time.
    await db().query(
      `INSERT INTO consent_records (customer_id, topic, status, channel, policy_version, actor_id, recorded_at)
       VALUES ($1, 'PROMOTIONS', 'GRANTED', 'CHECKOUT', '2024-01', 'test', now() - interval '800 days')`,
      [idle.id],
    );
    // Recent activity keeps a customer: a consent given today, an order still open.
    await run(SUPPORT, GRANT_CONSENT, { customerId: active.id, topic: 'GREETINGS', channel: 'HOTLINE' });
    await place(shopping.id);

    // Consent lapses on its own schedule (tested above); here only inactivity applies.
    const windows = { consentMaxAgeDays: 10_000 };
    const report = await sweepAt(0, windows);
    expect(report.customersDeregistered).toBeGreaterThanOrEqual(1);
    const state = async (id: string) =>
      (await db().query('SELECT deregistered_at, erased_at, email FROM customers WHERE id = $1', [id]))[0];
    expect((await state(idle.id)).deregistered_at).toEqual(expect.any(Date));
    expect((await state(active.id)).deregistered_at).toBeNull();
    expect((await state(shopping.id)).deregistered_at).toBeNull();
    expect((await history(idle.id))[0]).toEqual({
      topic: 'PROMOTIONS',
      status: 'WITHDRAWN',
      channel: 'SYSTEM',
      reason: 'INACTIVITY',
    });

    // Then anonymised on the deregistration schedule, like any deregistered customer.
    await sweepAt(29, windows);
    expect((await state(idle.id)).erased_at).toBeNull();
    await sweepAt(31, windows);
    expect(await state(idle.id)).toEqual({
      deregistered_at: expect.any(Date),
      erased_at: expect.any(Date),
      email: null,
    });
  });

  test('the windows are configuration', async () => {
    const customer = await register();
    await signedUpDaysAgo(customer.id, 40);
    await sweepAt(0, { inactiveDays: 60 });
    const [before] = await db().query('SELECT deregistered_at FROM customers WHERE id = $1', [customer.id]);
    expect(before.deregistered_at).toBeNull();
    await sweepAt(0, { inactiveDays: 30 });
    const [after] = await db().query('SELECT deregistered_at FROM customers WHERE id = $1', [customer.id]);
    expect(after.deregistered_at).toEqual(expect.any(Date));
  });
});
