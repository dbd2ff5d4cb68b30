import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CASE_BOUND_RECORD_DISCLOSURES } from './case-bound-disclosures';
import { RECORD_DISCLOSURES } from './disclosure-budget-functions';

/**
 * Data-subject requests as cases (Law 91/2025/QH15, Decree 356/2025):
 * - `data_subject_requests` records each request as received, with its legal deadlines;
 *   its history (`data_subject_request_events`: opened, acknowledged, used, closed) is
 *   append-only, and the current state is derived from it. The customer id is kept as
 *   given: a request about someone the shop does not know is still a request to answer.
 * - the audit trail names the case a use was made under, and records corrections
 *   (CORRECTED, with the fields changed);
 * - consent records say why the system withdrew a topic (INACTIVITY, LAPSED, OBJECTION);
 * - customers keep which privacy notice they accepted, when and where.
 */
export class DataSubjectRequests1764800000000 implements MigrationInterface {
  name = 'DataSubjectRequests1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await createRequests(db);
    await createRequestHistory(db);
    await caseBoundAuditTrail(db);
    await consentReasons(db);
    await db.query(`
      ALTER TABLE customers
        ADD COLUMN privacy_notice_version text,
        ADD COLUMN privacy_notice_accepted_at timestamptz(3),
        ADD COLUMN privacy_notice_channel text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE customers DROP COLUMN privacy_notice_version, DROP COLUMN privacy_notice_accepted_at,
        DROP COLUMN privacy_notice_channel`);
    await db.query(`ALTER TABLE consent_records DROP COLUMN reason`);
    await db.query(`ALTER TABLE consent_records DROP CONSTRAINT consent_records_channel_check`);
    await db.query(`
      ALTER TABLE consent_records ADD CONSTRAINT consent_records_channel_check
        CHECK (channel IN ('CHECKOUT', 'ACCOUNT', 'EMAIL_LINK', 'HOTLINE', 'SUPPORT'))`);
    await db.query(`DROP FUNCTION record_disclosures(jsonb, integer, timestamptz)`);
    await db.query(RECORD_DISCLOSURES);
    await db.query(`DROP VIEW audit_events`);
    await db.query(AUDIT_EVENTS_VIEW.replace(', t.case_id', ''));
    await db.query(`ALTER TABLE audit_trail DROP CONSTRAINT audit_trail_decision_check`);
    await db.query(`
      ALTER TABLE audit_trail ADD CONSTRAINT audit_trail_decision_check
        CHECK (decision IN ('RELEASED', 'MATCHED', 'WITHHELD'))`);
    await db.query(`ALTER TABLE audit_trail DROP COLUMN case_id`);
    await db.query(`DROP VIEW data_subject_request_states`);
    await db.query(`DROP TABLE data_subject_request_events`);
    await db.query(`DROP TABLE data_subject_requests`);
    await db.query(`DROP FUNCTION refuse_request_rewrite()`);
  }
}

const KINDS = `('ACCESS', 'COPY', 'CORRECTION', 'ERASURE', 'RESTRICTION', 'OBJECTION', 'WITHDRAW_CONSENT', 'DEREGISTRATION')`;
const CHANNELS = `('CHECKOUT', 'ACCOUNT', 'EMAIL_LINK', 'HOTLINE', 'SUPPORT', 'SYSTEM')`;

/**
 * A request never changes once received; only its note, which may quote the person, is
 * emptied when the person is erased.
 */
async function createRequests(db: QueryRunner): Promise<void> {
  await db.query(`
      CREATE TABLE data_subject_requests (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id     uuid NOT NULL,
        kind            text NOT NULL CHECK (kind IN ${KINDS}),
        channel         text NOT NULL CHECK (channel IN ${CHANNELS}),
        note            text CHECK (length(note) <= 2000),
        received_at     timestamptz(3) NOT NULL,
        acknowledge_by  timestamptz(3) NOT NULL,
        due_by          timestamptz(3) NOT NULL,
        opened_by       text NOT NULL
      )`);
  await db.query(`CREATE INDEX data_subject_requests_customer_idx ON data_subject_requests (customer_id)`);
  await db.query(`CREATE INDEX data_subject_requests_page_idx ON data_subject_requests (received_at DESC, id DESC)`);
  await db.query(`
      CREATE FUNCTION refuse_request_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.note IS NULL
           AND (NEW.id, NEW.customer_id, NEW.kind, NEW.channel, NEW.received_at, NEW.acknowledge_by,
                NEW.due_by, NEW.opened_by)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.customer_id, OLD.kind, OLD.channel, OLD.received_at, OLD.acknowledge_by,
                OLD.due_by, OLD.opened_by) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
      END $$`);
  await db.query(`
      CREATE TRIGGER data_subject_requests_append_only
        BEFORE UPDATE OR DELETE ON data_subject_requests
        FOR EACH ROW EXECUTE FUNCTION refuse_request_rewrite()`);
}

/** The history of each request: append-only; its current state is derived in a view. */
async function createRequestHistory(db: QueryRunner): Promise<void> {
  await db.query(`
      CREATE TABLE data_subject_request_events (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        request_id   uuid NOT NULL REFERENCES data_subject_requests (id),
        event        text NOT NULL CHECK (event IN ('OPENED', 'ACKNOWLEDGED', 'USED', 'CLOSED')),
        detail       text CHECK (length(detail) <= 2000),
        actor_id     text NOT NULL,
        occurred_at  timestamptz(3) NOT NULL
      )`);
  await db.query(
    `CREATE INDEX data_subject_request_events_request_idx ON data_subject_request_events (request_id, event)`,
  );
  await db.query(`
      CREATE TRIGGER data_subject_request_events_append_only
        BEFORE UPDATE OR DELETE ON data_subject_request_events
        FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`);
  await db.query(`
      CREATE VIEW data_subject_request_states AS
      SELECT r.*,
             (SELECT min(e.occurred_at) FROM data_subject_request_events e
               WHERE e.request_id = r.id AND e.event = 'ACKNOWLEDGED') AS acknowledged_at,
             c.occurred_at AS closed_at, c.detail AS outcome
        FROM data_subject_requests r
        LEFT JOIN LATERAL (SELECT e.occurred_at, e.detail FROM data_subject_request_events e
                            WHERE e.request_id = r.id AND e.event = 'CLOSED'
                            ORDER BY e.id LIMIT 1) c ON true`);
}

const AUDIT_EVENTS_VIEW = `
      CREATE VIEW audit_events AS
      SELECT md5(t.id::text || ':' || coalesce(c.customer_id::text, ''))::uuid AS id,
             t.request_id, t.principal_id, t.role, t.purpose, c.customer_id, t.customer_ids,
             t.fields, t.decision, t.reason, t.occurred_at, t.case_id
        FROM audit_trail t
        LEFT JOIN LATERAL unnest(t.customer_ids) AS c(customer_id) ON true`;

/** The trail names the case a use was made under, and records corrections of a customer. */
async function caseBoundAuditTrail(db: QueryRunner): Promise<void> {
  await db.query(`ALTER TABLE audit_trail ADD COLUMN case_id uuid`);
  await db.query(`ALTER TABLE audit_trail DROP CONSTRAINT audit_trail_decision_check`);
  await db.query(`
      ALTER TABLE audit_trail ADD CONSTRAINT audit_trail_decision_check
        CHECK (decision IN ('RELEASED', 'MATCHED', 'WITHHELD', 'CORRECTED'))`);
  await db.query(`DROP VIEW audit_events`);
  await db.query(AUDIT_EVENTS_VIEW);
  await db.query(`DROP FUNCTION record_disclosures(jsonb, integer, timestamptz)`);
  await db.query(CASE_BOUND_RECORD_DISCLOSURES);
}

/** The system withdraws too (inactivity, lapse, an objection): its records say why. */
async function consentReasons(db: QueryRunner): Promise<void> {
  await db.query(`ALTER TABLE consent_records DROP CONSTRAINT consent_records_channel_check`);
  await db.query(
    `ALTER TABLE consent_records ADD CONSTRAINT consent_records_channel_check CHECK (channel IN ${CHANNELS})`,
  );
  await db.query(`
      ALTER TABLE consent_records
        ADD COLUMN reason text CHECK (reason IN ('INACTIVITY', 'LAPSED', 'OBJECTION'))`);
}
