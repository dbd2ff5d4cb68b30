import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway sends Petto's emails itself, so the people who run a purpose never hold
 * the address:
 * - `campaigns`: what MARKETING scheduled (topic, subject, templates, when); the templates
 *   are dropped once every message of the campaign is settled;
 * - `outbox_messages`: one row per message, written in the transaction of the change that
 *   causes it. It names the recipient by customer id only: the address, the name and the
 *   body are read and rendered at the moment of sending, and never stored here. A worker
 *   claims due rows with `FOR UPDATE SKIP LOCKED` (several replicas may run it) and leases
 *   them until `next_attempt_at`.
 * The audit trail's SENT decision comes in MessagesInTheTrail1764800000700, after the
 * data-subject requests' migration has rewritten the trail's decisions.
 */
export class MailOutbox1764700000000 implements MigrationInterface {
  name = 'MailOutbox1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE campaigns (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        topic          text NOT NULL CHECK (topic IN
                         ('PROMOTIONS', 'OFFERS', 'PET_CARE_ADVICE', 'NEWSLETTER', 'THANK_YOU', 'GREETINGS')),
        subject        text NOT NULL,
        text_template  text,
        html_template  text,
        send_at        timestamptz(3) NOT NULL,
        scheduled_by   text NOT NULL,
        scheduled_role text NOT NULL,
        finished_at    timestamptz(3),
        created_at     timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX campaigns_created_idx ON campaigns (created_at, id)`);
    await db.query(`
      CREATE TABLE outbox_messages (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind            text NOT NULL CHECK (kind IN ('CAMPAIGN', 'ORDER_NOTICE', 'THANK_YOU')),
        customer_id     uuid NOT NULL REFERENCES customers (id),
        campaign_id     uuid REFERENCES campaigns (id),
        order_id        uuid REFERENCES orders (id),
        notice          text,
        closes_order    boolean NOT NULL DEFAULT false,
        caused_by       text NOT NULL,
        caused_role     text NOT NULL,
        status          text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'SKIPPED', 'FAILED')),
        skip_reason     text,
        attempts        integer NOT NULL DEFAULT 0,
        last_error      text,
        claim           uuid,
        next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
        last_attempt_at timestamptz(3),
        settled_at      timestamptz(3),
        created_at      timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((kind = 'CAMPAIGN') = (campaign_id IS NOT NULL)),
        CHECK ((kind = 'ORDER_NOTICE') = (notice IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX outbox_due_idx ON outbox_messages (next_attempt_at) WHERE status = 'PENDING'`);
    await db.query(`CREATE INDEX outbox_campaign_idx ON outbox_messages (campaign_id, status)`);
    await db.query(`CREATE INDEX outbox_customer_idx ON outbox_messages (customer_id) WHERE status = 'PENDING'`);
    await db.query(`CREATE INDEX outbox_attempts_idx ON outbox_messages (last_attempt_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE outbox_messages`);
    await db.query(`DROP TABLE campaigns`);
  }
}
