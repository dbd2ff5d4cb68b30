import type { MigrationInterface, QueryRunner } from 'typeorm';
import { nameWords } from '../../customers/contact';

/**
 * Every use of personal data is a policy decision:
 * - names are searched by whole words without diacritics, so each customer keeps the
 *   words of their name (personal data, erased with it), GIN-indexed for `@>`;
 * - a search that matched a subject is audited as MATCHED (no reason, like a release);
 * - a withdrawal through an unsubscribe link records who issued the link.
 */
export class UsesOfPersonalData1764400000000 implements MigrationInterface {
  name = 'UsesOfPersonalData1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE customers ADD COLUMN name_words text[]`);
    const named: { id: string; full_name: string }[] = await db.query(
      `SELECT id, full_name FROM customers WHERE full_name IS NOT NULL`,
    );
    if (named.length > 0) {
      await db.query(
        `UPDATE customers c SET name_words = v.words
           FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, words text[])
          WHERE c.id = v.id`,
        [JSON.stringify(named.map(({ id, full_name }) => ({ id, words: nameWords(full_name) })))],
      );
    }
    await db.query(`CREATE INDEX customers_name_words_idx ON customers USING gin (name_words)`);

    await db.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_decision_check`);
    await db.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_check`);
    await db.query(`
      ALTER TABLE audit_events
        ADD CONSTRAINT audit_events_decision_check CHECK (decision IN ('RELEASED', 'MATCHED', 'WITHHELD')),
        ADD CONSTRAINT audit_events_reason_check CHECK ((decision = 'WITHHELD') = (reason IS NOT NULL))`);

    await db.query(`ALTER TABLE consent_records ADD COLUMN link_issued_by text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE consent_records DROP COLUMN link_issued_by`);
    await db.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_reason_check`);
    await db.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_decision_check`);
    await db.query(`
      ALTER TABLE audit_events
        ADD CONSTRAINT audit_events_decision_check CHECK (decision IN ('RELEASED', 'WITHHELD')),
        ADD CONSTRAINT audit_events_check CHECK ((decision = 'RELEASED') = (reason IS NULL))`);
    await db.query(`DROP INDEX customers_name_words_idx`);
    await db.query(`ALTER TABLE customers DROP COLUMN name_words`);
  }
}
