import { openDatabase } from '../../src/db/data-source';
import { describeOnEachDatabase } from '../support/gateway';
import { MARKETING, writesThrough } from '../support/mutations';
import { CAMPAIGN, SCHEDULE_CAMPAIGN, TestSmtpServer, mailWorker, newCampaign } from '../support/mail';

/**
 * The outbox's promises: retries with back-off keep the message's identity, the rate is
 * kept across workers, and several workers (replicas) send each message once.
 */
describeOnEachDatabase('the outbox delivers each message once', (gateway) => {
  const { register, run } = writesThrough(gateway);
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
  });
  afterAll(async () => {
    await smtp?.stop();
  });
  beforeEach(() => smtp.clear());

  const db = () => gateway().database.dataSource;

  async function emailOf(customerId: string): Promise<string> {
    const [{ email }] = await db().query('SELECT email FROM customers WHERE id = $1', [customerId]);
    return email;
  }

  /** Time passing, for the outbox: every pending message is due now. */
  async function everythingDue(): Promise<void> {
    await db().query(`UPDATE outbox_messages SET next_attempt_at = now() WHERE status = 'PENDING'`);
  }

  async function pendingCount(): Promise<number> {
    const [{ n }] = await db().query(`SELECT count(*)::int AS n FROM outbox_messages WHERE status = 'PENDING'`);
    return n;
  }

  test('a refused attempt is retried later with the same Message-ID, and given up after the last attempt', async () => {
    const worker = mailWorker(db(), smtp, { maxAttempts: 3, retryBaseSeconds: 60 });
    const customer = await register({ consents: ['PET_CARE_ADVICE'] });
    const address = await emailOf(customer.id);
    const campaign = (await run(MARKETING, SCHEDULE_CAMPAIGN, { input: newCampaign() })).scheduleCampaign;
    smtp.refuse = (to) => to === address;
    await worker.drain();
    const [first] = await db().query(
      `SELECT id, status, attempts, last_error, next_attempt_at > now() + interval '50 seconds' AS later
         FROM outbox_messages WHERE campaign_id = $1 AND customer_id = $2`,
      [campaign.id, customer.id],
    );
    expect(first).toMatchObject({ status: 'PENDING', attempts: 1, last_error: 'EENVELOPE 451', later: true });
    // Not due yet: another round leaves it alone.
    await worker.drain();
    expect(smtp.to(address)).toEqual([]);

    smtp.refuse = () => false;
    await everythingDue();
    await worker.drain();
    const received = smtp.to(address);
    expect(received).toHaveLength(1);
    expect(received[0].mail.messageId).toBe(`<${first.id}@petto.test>`);

    const given = await register({ consents: ['PET_CARE_ADVICE'] });
    const givenAddress = await emailOf(given.id);
    smtp.refuse = (to) => to === givenAddress;
    const second = (await run(MARKETING, SCHEDULE_CAMPAIGN, { input: newCampaign() })).scheduleCampaign;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await everythingDue();
      await worker.drain();
    }
    smtp.refuse = () => false;
    const status = (await run(MARKETING, CAMPAIGN, { id: second.id })).campaign;
    expect(status).toMatchObject({ status: 'FINISHED', failed: 1 });
    expect(smtp.to(givenAddress)).toEqual([]);
    await worker.stop();
  });

  test('at most MAIL_RATE_PER_MINUTE messages are handed over per minute, counted across workers', async () => {
    for (let i = 0; i < 3; i += 1) await register({ consents: ['GREETINGS'] });
    await run(MARKETING, SCHEDULE_CAMPAIGN, { input: newCampaign({ topic: 'GREETINGS' }) });
    // The earlier tests' attempts fall in the same minute: the rate counts from here.
    await db().query(`UPDATE outbox_messages SET last_attempt_at = now() - interval '2 minutes'`);
    const queued = await pendingCount();
    expect(queued).toBeGreaterThanOrEqual(3);
    const one = mailWorker(db(), smtp, { ratePerMinute: 2 });
    const other = mailWorker(db(), smtp, { ratePerMinute: 2 });
    await one.drain();
    await other.drain();
    expect(smtp.received).toHaveLength(2);
    expect(await pendingCount()).toBe(queued - 2);
    // A minute later the rest may go.
    await db().query(`UPDATE outbox_messages SET last_attempt_at = now() - interval '2 minutes'`);
    const unlimited = mailWorker(db(), smtp);
    await unlimited.drain();
    expect(await pendingCount()).toBe(0);
    expect(smtp.received).toHaveLength(queued);
    await Promise.all([one.stop(), other.stop(), unlimited.stop()]);
  });

  test('two workers draining at once send each message once', async () => {
    for (let i = 0; i < 20; i += 1) await register({ consents: ['NEWSLETTER'] });
    const campaign = (await run(MARKETING, SCHEDULE_CAMPAIGN, { input: newCampaign({ topic: 'NEWSLETTER' }) }))
      .scheduleCampaign;
    // On PostgreSQL the second worker has a connection pool of its own, as another replica would.
    const replica =
      gateway().database.kind === 'postgres'
        ? await openDatabase({ url: (db().options as { url: string }).url, pgliteDir: '' })
        : undefined;
    const workers = [
      mailWorker(db(), smtp, { batchSize: 3 }),
      mailWorker(replica?.dataSource ?? db(), smtp, { batchSize: 3 }),
    ];
    await Promise.all(workers.map((worker) => worker.drain()));
    const messageIds = smtp.received.map(({ mail }) => mail.messageId);
    expect(new Set(messageIds).size).toBe(messageIds.length);
    expect(messageIds).toHaveLength(campaign.recipients);
    const status = (await run(MARKETING, CAMPAIGN, { id: campaign.id })).campaign;
    expect(status).toMatchObject({ status: 'FINISHED', sent: campaign.recipients });
    await Promise.all(workers.map((worker) => worker.stop()));
    await replica?.close();
  });
});
