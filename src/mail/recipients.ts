import type { DataSource } from 'typeorm';
import { fixedTopicOf, type ConsentTopic, type RecipientFacts } from '../policy';
import { STANDING_COLUMNS, standingOfRow, type StandingRow } from '../customers/customer.store';
import { selectList } from '../db/raw-sql';
import type { ClaimedMessage } from './claims';

/** What sending one message needs to know, read in one statement for a whole batch at the moment of sending. */
export interface Recipient {
  facts: RecipientFacts;
  email: string | null;
  fullName: string | null;
  /** The topic whose consent the message rests on: the campaign's, or the kind's own. */
  topic: ConsentTopic | null;
  order: { code: string; totalVnd: number; trackingNumber: string | null } | null;
  campaign: { subject: string; text: string | null; html: string | null } | null;
}

interface RecipientRow extends StandingRow {
  id: string;
  email: string | null;
  full_name: string | null;
  erased: boolean;
  topic: ConsentTopic | null;
  consent_granted: boolean | null;
  order_code: string | null;
  total_vnd: number | null;
  tracking_number: string | null;
  order_still_open: boolean | null;
  subject: string | null;
  text_template: string | null;
  html_template: string | null;
}

const RECIPIENTS = `
  WITH asked AS (
    SELECT m.*, coalesce(k.topic, CASE WHEN m.kind = 'THANK_YOU' THEN $2 END) AS topic
      FROM outbox_messages m LEFT JOIN campaigns k ON k.id = m.campaign_id
     WHERE m.id = ANY($1))
  SELECT a.id, c.email, c.full_name, c.erased_at IS NOT NULL AS erased,
         ${selectList(STANDING_COLUMNS)}, a.topic,
         (SELECT r.status FROM consent_records r WHERE r.customer_id = c.id AND r.topic = a.topic
           ORDER BY r.recorded_at DESC, r.id DESC LIMIT 1) = 'GRANTED' AS consent_granted,
         o.code AS order_code, o.total_vnd, s.tracking_number,
         CASE WHEN a.notice IS NOT NULL THEN o.closed_at IS NULL OR a.closes_order END AS order_still_open,
         k.subject, k.text_template, k.html_template
    FROM asked a
    JOIN customers c ON c.id = a.customer_id
    LEFT JOIN orders o ON o.id = a.order_id
    LEFT JOIN shipments s ON s.order_id = a.order_id
    LEFT JOIN campaigns k ON k.id = a.campaign_id`;

function recipientOf(row: RecipientRow): Recipient {
  return {
    facts: {
      erased: row.erased,
      ...standingOfRow(row),
      ...(row.topic ? { consentGranted: row.consent_granted === true } : {}),
      ...(row.order_still_open === null ? {} : { orderStillOpen: row.order_still_open }),
    },
    email: row.email,
    fullName: row.full_name,
    topic: row.topic,
    order:
      row.order_code === null
        ? null
        : { code: row.order_code, totalVnd: row.total_vnd ?? 0, trackingNumber: row.tracking_number },
    campaign: row.subject === null ? null : { subject: row.subject, text: row.text_template, html: row.html_template },
  };
}

/** Each claimed message's recipient as things stand now, by message id. */
export async function readRecipients(
  dataSource: DataSource,
  messages: readonly ClaimedMessage[],
): Promise<Map<string, Recipient>> {
  const rows: RecipientRow[] = await dataSource.query(RECIPIENTS, [
    messages.map((message) => message.id),
    fixedTopicOf('THANK_YOU') ?? null,
  ]);
  return new Map(rows.map((row) => [row.id, recipientOf(row)]));
}
