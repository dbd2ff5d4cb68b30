import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { DataSource } from 'typeorm';
import { UnsubscribeLinks } from '../../src/consents/unsubscribe-links';
import { createMailTransport } from '../../src/mail/transport';
import { MailWorker, type WorkerSettings } from '../../src/mail/worker';
import { POLICY_VERSION, TEST_SECRET, type TestGateway } from './gateway';

export const PUBLIC_URL = 'https://privacy.petto.test';
export const MAIL_FROM = 'Petto <no-reply@petto.test>';

/** One message as the SMTP server received it: the envelope, and the message parsed. */
export interface ReceivedMail {
  envelopeTo: string[];
  mail: ParsedMail;
  raw: string;
}

/**
 * A real SMTP server on a free port, in this process: what the gateway's mail worker
 * hands over arrives here, exactly as a mail server would receive it. `refuse` makes it
 * answer a recipient with a temporary failure (451), as a busy server would.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  refuse: (address: string) => boolean = () => false;

  private constructor(private readonly server: SMTPServer) {}

  static async start(): Promise<TestSmtpServer> {
    let self: TestSmtpServer | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (self?.refuse(address.address)) {
          const error = Object.assign(new Error('try again later'), { responseCode: 451 });
          return callback(error);
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address);
          self?.received.push({ envelopeTo, mail: await simpleParser(raw), raw });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new TestSmtpServer(server);
    return self;
  }

  get url(): string {
    const { port } = (this.server as unknown as { server: { address(): AddressInfo } }).server.address();
    return `smtp://127.0.0.1:${port}`;
  }

  /** What was received for this address. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((received) => received.envelopeTo.includes(address));
  }

  clear(): void {
    this.received.length = 0;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export const WORKER_SETTINGS: WorkerSettings = { ratePerMinute: 100_000, maxAttempts: 3, retryBaseSeconds: 60 };

/**
 * A mail worker of the gateway, sending to the test SMTP server; the test drains it when it
 * wants mail sent. Its links point at `publicUrl`: a browser test gives the gateway's own.
 */
export function mailWorker(
  db: DataSource,
  smtp: TestSmtpServer,
  settings: Partial<WorkerSettings> = {},
  publicUrl = PUBLIC_URL,
): MailWorker {
  const links = new UnsubscribeLinks({
    jwtSecret: TEST_SECRET,
    publicUrl,
    unsubscribeLinkDays: 30,
    policyVersion: POLICY_VERSION,
  });
  const transport = createMailTransport({ smtpUrl: smtp.url, from: MAIL_FROM, outboxDir: '' });
  return new MailWorker(db, transport, links, { ...WORKER_SETTINGS, ...settings });
}

export const SCHEDULE_CAMPAIGN = `
  mutation($input: CampaignInput!) {
    scheduleCampaign(input: $input) { id topic subject status sendAt recipients sent skipped failed }
  }`;
export const CAMPAIGN = `
  query($id: ID!) { campaign(id: $id) { id topic subject status sendAt recipients sent skipped failed } }`;

/** A campaign input that passes every check; overrides make the one part a test is about. */
export function newCampaign(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    topic: 'PET_CARE_ADVICE',
    subject: 'Chăm sóc mèo mùa lạnh / Cat care in the cold season',
    text: 'Chào {{firstName}},\nMùa lạnh đến rồi.\n\nHello {{firstName}},\nThe cold season is here.',
    html: '<p>Chào <b>{{firstName}}</b>,</p><p>Hello {{fullName}}</p>',
    ...overrides,
  };
}

/** A header as it was sent (unfolded), read from the raw message rather than mailparser's interpretation. */
export function rawHeader(received: ReceivedMail, name: string): string | undefined {
  const head = received.raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
  return head.match(new RegExp(`^${name}: ?(.*)$`, 'im'))?.[1];
}

/** What a mail suite uses: the SMTP server and the worker, and a customer's address as stored. */
export interface SuiteMail {
  readonly smtp: TestSmtpServer;
  readonly worker: MailWorker;
  emailOf(customerId: string): Promise<string>;
}

/**
 * Starts an SMTP server and a worker for the suite before its tests and stops them after.
 * `publicUrl` is where the emails' links lead (a browser test gives the gateway's own).
 */
export function mailThrough(
  gateway: () => TestGateway,
  settings: Partial<WorkerSettings> = {},
  publicUrl: () => string = () => PUBLIC_URL,
): SuiteMail {
  let smtp: TestSmtpServer;
  let worker: MailWorker;
  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    worker = mailWorker(gateway().database.dataSource, smtp, settings, publicUrl());
  });
  afterAll(async () => {
    await worker?.stop();
    await smtp?.stop();
  });
  return {
    get smtp() {
      return smtp;
    },
    get worker() {
      return worker;
    },
    async emailOf(customerId) {
      const [{ email }] = await gateway().database.dataSource.query('SELECT email FROM customers WHERE id = $1', [
        customerId,
      ]);
      return email;
    },
  };
}
