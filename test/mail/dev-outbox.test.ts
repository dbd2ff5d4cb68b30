import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnsubscribeLinks } from '../../src/consents/unsubscribe-links';
import { createMailTransport } from '../../src/mail/transport';
import { MailWorker } from '../../src/mail/worker';
import { TEST_DATABASES } from '../support/databases';
import { POLICY_VERSION, TEST_SECRET, TestGateway } from '../support/gateway';
import { MAIL_FROM, WORKER_SETTINGS } from '../support/mail';
import { writesThrough } from '../support/mutations';

/**
 * Without SMTP_URL (the default of `npm start`), messages are written as .eml files in the
 * data folder, and development lists them at GET /dev/outbox. Production never serves them.
 */
describe.each(TEST_DATABASES)('the outbox without a mail server [$name]', (testDatabase) => {
  let folder: string;
  let gateway: TestGateway;
  let worker: MailWorker;
  const { register, place } = writesThrough(() => gateway);

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'petto-outbox-'));
    gateway = await TestGateway.start(await testDatabase.open(), { MAIL_OUTBOX_DIR: folder });
    const links = new UnsubscribeLinks({
      jwtSecret: TEST_SECRET,
      publicUrl: 'http://localhost:4000',
      unsubscribeLinkDays: 30,
      policyVersion: POLICY_VERSION,
    });
    const transport = createMailTransport({ from: MAIL_FROM, outboxDir: folder });
    worker = new MailWorker(gateway.database.dataSource, transport, links, WORKER_SETTINGS);
  });
  afterAll(async () => {
    await worker?.stop();
    await gateway?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  test('an order confirmation becomes <outbox id>.eml, listed at GET /dev/outbox', async () => {
    const customer = await register({ fullName: 'Trần Thị Bích' });
    const order = await place(customer.id);
    await worker.drain();
    const [{ id, email }] = await gateway.database.dataSource.query(
      `SELECT m.id, c.email FROM outbox_messages m JOIN customers c ON c.id = m.customer_id WHERE m.order_id = $1`,
      [order.id],
    );
    expect(await readdir(folder)).toContain(`${id}.eml`);

    const origin = new URL(gateway.url).origin;
    const listing = (await (await fetch(`${origin}/dev/outbox`)).json()) as { messages: any[] };
    const listed = listing.messages.find((message) => message.file === `${id}.eml`);
    expect(listed.subject).toBe(
      `Petto: đơn hàng ${order.code} đã được tiếp nhận / Order ${order.code} has been received`,
    );
    const raw = await (await fetch(`${origin}${listed.url}`)).text();
    expect(raw).toMatch(new RegExp(`^To: ${email.replace(/[.]/g, '\\.')}$`, 'm'));
    expect(raw).toMatch(new RegExp(`^Message-ID: <${id}@petto\\.test>$`, 'mi'));
    expect((await fetch(`${origin}/dev/outbox/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  });
});

describe('GET /dev/outbox in production', () => {
  test('does not exist', async () => {
    const gateway = await TestGateway.start(await TEST_DATABASES[0].open(), { NODE_ENV: 'production' });
    try {
      const response = await fetch(`${new URL(gateway.url).origin}/dev/outbox`);
      expect(response.status).toBe(404);
    } finally {
      await gateway.stop();
    }
  });
});
