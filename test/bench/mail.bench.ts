// npm run bench:mail: how fast the gateway's mail worker hands messages to an SMTP server
// (smtp-server, in this process), and how long queueing a 10,000-recipient campaign takes
// (one transaction: the campaign and one outbox row per customer of the audience).
// Not a test: it asserts nothing and is never run by jest. BENCH_DATABASE_URL runs it on a
// throwaway database of that PostgreSQL server; BENCH_RECIPIENTS and BENCH_SEND change
// the audience and how many of its messages are sent.
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { SingleBar, Presets } from 'cli-progress';
import { scheduleCampaign } from '../../src/campaigns/campaign.store';
import { TestSmtpServer, mailWorker } from '../support/mail';
import { openBenchDatabase } from './data';

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS || 10_000);
const TO_SEND = Number(process.env.BENCH_SEND || 2_000);
const MARKETER = { id: 'bench-marketing', role: 'MARKETING' as const };

/** An audience of `count` customers who consent to NEWSLETTER, in set-based SQL. */
async function fillAudience(db: import('typeorm').DataSource, count: number): Promise<void> {
  await db.query(
    `INSERT INTO customers (full_name, name_words, email, phone)
     SELECT 'Khách Hàng Số ' || n, ARRAY['khach', 'hang', 'so', n::text], 'bench' || n || '@example.vn',
            '+8490' || lpad(n::text, 7, '0')
       FROM generate_series(1, $1) n`,
    [count],
  );
  await db.query(
    `INSERT INTO consent_records (customer_id, topic, status, channel, policy_version, actor_id)
     SELECT id, 'NEWSLETTER', 'GRANTED', 'CHECKOUT', '2024-01', 'bench' FROM customers`,
  );
}

async function main(): Promise<void> {
  const database = await openBenchDatabase(process.env.BENCH_DATABASE_URL || undefined);
  const db = database.dataSource;
  const smtp = await TestSmtpServer.start();
  try {
    process.stdout.write(`filling ${RECIPIENTS} customers who consent to NEWSLETTER on ${database.kind}…\n`);
    await fillAudience(db, RECIPIENTS);

    const queueStart = performance.now();
    const campaign = await db.transaction((tx) =>
      scheduleCampaign(
        tx,
        { topic: 'NEWSLETTER', subject: 'Bản tin / Newsletter', text: 'Chào {{firstName}}!' },
        MARKETER,
      ),
    );
    const queueMs = performance.now() - queueStart;
    process.stdout.write(`queued a ${campaign.recipients}-recipient campaign in ${queueMs.toFixed(0)} ms\n`);

    // Only the first TO_SEND are due now; the rest stay queued.
    await db.query(
      `UPDATE outbox_messages SET next_attempt_at = now() + interval '1 day'
        WHERE id NOT IN (SELECT id FROM outbox_messages ORDER BY id LIMIT $1)`,
      [TO_SEND],
    );
    const worker = mailWorker(db, smtp, { ratePerMinute: 1_000_000, batchSize: 100 });
    const bar = new SingleBar({ format: 'sending {bar} {value}/{total} messages' }, Presets.shades_classic);
    bar.start(TO_SEND, 0);
    const progress = setInterval(() => bar.update(smtp.received.length), 200);
    const sendStart = performance.now();
    await worker.drain();
    const sendSeconds = (performance.now() - sendStart) / 1000;
    clearInterval(progress);
    bar.update(smtp.received.length);
    bar.stop();
    await worker.stop();
    const perSecond = smtp.received.length / sendSeconds;
    process.stdout.write(
      `sent ${smtp.received.length} messages in ${sendSeconds.toFixed(1)} s: ${perSecond.toFixed(0)} messages/second\n`,
    );
  } finally {
    await smtp.stop();
    await database.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
