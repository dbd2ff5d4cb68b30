import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail: who was given or refused whose personal data, which fields, for
 * which purpose and when. Append-only: the same trigger as the consent history refuses
 * UPDATE and DELETE. No foreign key to customers: the trail outlives erasure.
 */
export class CreateAuditEvents1764100000000 implements MigrationInterface {
  name = 'CreateAuditEvents1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_events (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id    uuid NOT NULL,
        principal_id  text NOT NULL,
        role          text NOT NULL,
        purpose       text,
        customer_id   uuid,
        fields        text[] NOT NULL,
        decision      text NOT NULL CHECK (decision IN ('RELEASED', 'WITHHELD')),
        reason        text,
        occurred_at   timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        CHECK ((decision = 'RELEASED') = (reason IS NULL))
      )`);
    await db.query(`CREATE INDEX audit_events_page_idx ON audit_events (occurred_at DESC, id DESC)`);
    await db.query(`CREATE INDEX audit_events_customer_idx ON audit_events (customer_id, occurred_at DESC, id DESC)`);
    await db.query(`CREATE INDEX audit_events_principal_idx ON audit_events (principal_id, occurred_at DESC, id DESC)`);
    await db.query(`
      CREATE TRIGGER audit_events_append_only
        BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`);
    // Row triggers do not see TRUNCATE; the trail must survive that too.
    await db.query(`
      CREATE TRIGGER audit_events_no_truncate
        BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_events`);
  }
}
