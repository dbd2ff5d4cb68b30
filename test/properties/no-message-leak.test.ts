import fc from 'fast-check';
import { CONSENT_STATUSES } from '../../src/consents/consent-vocabulary';
import { ORDER_NOTICES, CLOSING_NOTICES } from '../../src/mail/order-notices';
import type { MailWorker } from '../../src/mail/worker';
import { CONSENT_TOPICS, decideSend, MESSAGE_RULES, type MessageKind, type RecipientFacts } from '../../src/policy';
import { describeOnEachDatabase } from '../support/gateway';
import { TestSmtpServer, mailWorker } from '../support/mail';

interface Queued {
  id: string;
  kind: MessageKind;
  customer_id: string;
  email: string;
  erased: boolean;
  deregistered: boolean;
  consent_granted: boolean | null;
  order_still_open: boolean | null;
}

/**
 * The ledger of sent messages: each message the gateway hands to the mail server is a
 * use of the recipient's address, so none may go to a subject the policy would not let
 * the message's purpose use it for. Random worlds (consent per topic, deregistration,
 * erasure, orders open or closed) are set AFTER the messages were queued, as happens when
 * people withdraw between scheduling and sending; the oracle reads the facts straight
 * from the tables and asks only the policy core. Every message, sent or not, is audited.
 */
describeOnEachDatabase('no message goes to someone the policy would not reach', (gateway) => {
  let smtp: TestSmtpServer;
  let worker: MailWorker;
  let customerIds: string[];
  let orders: { id: string; customer_id: string }[];
  let people: { id: string; full_name: string; name_words: string[]; email: string; phone: string }[];

  beforeAll(async () => {
    const db = gateway().database.dataSource;
    smtp = await TestSmtpServer.start();
    worker = mailWorker(db, smtp);
    customerIds = (await db.query('SELECT id FROM customers ORDER BY id LIMIT 4')).map((r: { id: string }) => r.id);
    people = await db.query('SELECT id, full_name, name_words, email, phone FROM customers WHERE id = ANY($1)', [
      customerIds,
    ]);
    orders = await db.query('SELECT id, customer_id FROM orders WHERE customer_id = ANY($1) ORDER BY id', [
      customerIds,
    ]);
  });
  afterAll(async () => {
    await worker?.stop();
    await smtp?.stop();
  });

  test('random worlds: every message sent is one the policy allows, to that person, and each is audited', async () => {
    const seen = { sent: 0, skipped: 0 };
    const world = fc.record({
      consents: fc.array(fc.constantFrom(...CONSENT_STATUSES), {
        minLength: 4 * CONSENT_TOPICS.length,
        maxLength: 4 * CONSENT_TOPICS.length,
      }),
      gone: fc.array(fc.constantFrom('REGISTERED', 'REGISTERED', 'DEREGISTERED', 'ERASED'), {
        minLength: 4,
        maxLength: 4,
      }),
      ordersOpen: fc.array(fc.boolean(), { minLength: orders.length, maxLength: orders.length }),
      campaignTopics: fc.array(fc.constantFrom(...CONSENT_TOPICS), { minLength: 4, maxLength: 4 }),
      notices: fc.array(fc.constantFrom(...ORDER_NOTICES), { minLength: orders.length, maxLength: orders.length }),
    });

    await fc.assert(
      fc.asyncProperty(world, async (state) => {
        const db = gateway().database.dataSource;
        smtp.clear();
        // Queued first, the way the changes that cause them queue them.
        const queued: string[] = (
          await db.query(
            `WITH k AS (
               INSERT INTO campaigns (topic, subject, text_template, send_at, scheduled_by, scheduled_role)
               SELECT DISTINCT t, 'Tin ' || t, 'Chào {{firstName}}', now(), 'property-test', 'MARKETING'
                 FROM unnest($2::text[]) t
               RETURNING id, topic),
             campaign AS (
               INSERT INTO outbox_messages (kind, customer_id, campaign_id, caused_by, caused_role)
               SELECT 'CAMPAIGN', x.c, k.id, 'property-test', 'MARKETING'
                 FROM unnest($1::uuid[], $2::text[]) AS x(c, topic) JOIN k ON k.topic = x.topic
               RETURNING id),
             notice AS (
               INSERT INTO outbox_messages (kind, customer_id, order_id, notice, closes_order, caused_by, caused_role)
               SELECT 'ORDER_NOTICE', o.customer_id, o.id, x.notice, x.notice = ANY($5), 'property-test', 'STOREFRONT'
                 FROM unnest($3::uuid[], $4::text[]) AS x(id, notice) JOIN orders o ON o.id = x.id
               RETURNING id),
             thanks AS (
               INSERT INTO outbox_messages (kind, customer_id, order_id, caused_by, caused_role)
               SELECT 'THANK_YOU', o.customer_id, o.id, 'property-test', 'STOREFRONT' FROM orders o WHERE o.id = ANY($3)
               RETURNING id)
             SELECT id FROM campaign UNION ALL SELECT id FROM notice UNION ALL SELECT id FROM thanks`,
            [customerIds, state.campaignTopics, orders.map((o) => o.id), state.notices, [...CLOSING_NOTICES]],
          )
        ).map((row: { id: string }) => row.id);
        // Then the world changes before the worker's turn.
        await db.query(
          `INSERT INTO consent_records (customer_id, topic, status, channel, policy_version, actor_id)
           SELECT c, t, s, 'ACCOUNT', '2024-01', 'property-test' FROM unnest($1::uuid[], $2::text[], $3::text[]) AS x(c, t, s)`,
          [
            customerIds.flatMap((id) => CONSENT_TOPICS.map(() => id)),
            customerIds.flatMap(() => [...CONSENT_TOPICS]),
            customerIds.flatMap((_, c) => CONSENT_TOPICS.map((_, t) => state.consents[c * CONSENT_TOPICS.length + t])),
          ],
        );
        // Erasure empties the personal columns (the schema insists); the next run restores them.
        await db.query(
          `UPDATE customers c SET deregistered_at = CASE WHEN x.gone <> 'REGISTERED' THEN now() END,
                  erased_at = CASE WHEN x.gone = 'ERASED' THEN now() END,
                  full_name = CASE WHEN x.gone = 'ERASED' THEN NULL ELSE p.full_name END,
                  name_words = CASE WHEN x.gone = 'ERASED' THEN NULL ELSE p.name_words END,
                  email = CASE WHEN x.gone = 'ERASED' THEN NULL ELSE p.email END,
                  phone = CASE WHEN x.gone = 'ERASED' THEN NULL ELSE p.phone END
             FROM unnest($1::uuid[], $2::text[]) AS x(id, gone),
                  jsonb_to_recordset($3::jsonb) AS p(id uuid, full_name text, name_words text[], email text, phone text)
            WHERE c.id = x.id AND p.id = x.id`,
          [customerIds, state.gone, JSON.stringify(people)],
        );
        await db.query(
          `UPDATE orders o SET status = CASE WHEN x.open THEN 'CONFIRMED' ELSE 'DELIVERED' END,
                  closed_at = CASE WHEN x.open THEN NULL ELSE now() END
             FROM unnest($1::uuid[], $2::boolean[]) AS x(id, open) WHERE o.id = x.id`,
          [orders.map((o) => o.id), state.ordersOpen],
        );

        // The oracle: the facts as the tables hold them now, and the policy core's answer.
        const facts: Queued[] = await db.query(
          `SELECT m.id, m.kind, m.customer_id, c.email, c.erased_at IS NOT NULL AS erased,
                  c.deregistered_at IS NOT NULL AS deregistered,
                  (SELECT r.status FROM consent_records r
                    WHERE r.customer_id = c.id AND r.topic = coalesce(k.topic, CASE WHEN m.kind = 'THANK_YOU' THEN 'THANK_YOU' END)
                    ORDER BY r.recorded_at DESC, r.id DESC LIMIT 1) = 'GRANTED' AS consent_granted,
                  CASE WHEN m.kind = 'ORDER_NOTICE' THEN o.closed_at IS NULL OR m.closes_order END AS order_still_open
             FROM outbox_messages m JOIN customers c ON c.id = m.customer_id
             LEFT JOIN campaigns k ON k.id = m.campaign_id LEFT JOIN orders o ON o.id = m.order_id
            WHERE m.id = ANY($1)`,
          [queued],
        );
        await worker.drain();

        const received = new Map(smtp.received.map((r) => [r.mail.messageId?.slice(1).split('@')[0], r]));
        expect(smtp.received).toHaveLength(received.size);
        const audits: { request_id: string; customer_ids: string[]; fields: string[]; decision: string }[] =
          await db.query(
            'SELECT request_id, customer_ids, fields, decision FROM audit_trail WHERE request_id = ANY($1)',
            [queued],
          );
        for (const message of facts) {
          const recipient: RecipientFacts = {
            erased: message.erased,
            deregistered: message.deregistered,
            ...(MESSAGE_RULES[message.kind].topic ? { consentGranted: message.consent_granted === true } : {}),
            ...(message.order_still_open === null ? {} : { orderStillOpen: message.order_still_open }),
          };
          const allowed = decideSend(message.kind, recipient).allowed;
          const sent = received.get(message.id);
          expect([message.kind, message.id, Boolean(sent)]).toEqual([message.kind, message.id, allowed]);
          if (sent) expect(sent.envelopeTo).toEqual([message.email]);
          const audited = audits.filter((row) => row.request_id === message.id);
          expect(audited).toEqual([
            {
              request_id: message.id,
              customer_ids: [message.customer_id],
              fields: ['Customer.email'],
              decision: allowed ? 'SENT' : 'WITHHELD',
            },
          ]);
          seen[allowed ? 'sent' : 'skipped'] += 1;
        }
        expect(received.size).toBe(facts.filter((m) => received.has(m.id)).length);
      }),
      { numRuns: 25 },
    );
    // The runs reached both sides of the decision.
    expect(seen.sent).toBeGreaterThan(0);
    expect(seen.skipped).toBeGreaterThan(0);
  });
});
