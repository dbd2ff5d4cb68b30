import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail learns one more decision, SENT: the gateway handed a person's address
 * to the mail server for one message (one row per attempt), under the message's purpose.
 * It runs after DataSubjectRequests1764800000000, which sets the trail's decisions anew.
 */
export class MessagesInTheTrail1764800000700 implements MigrationInterface {
  name = 'MessagesInTheTrail1764800000700';

  async up(db: QueryRunner): Promise<void> {
    await setTrailDecisions(db, ['RELEASED', 'MATCHED', 'WITHHELD', 'CORRECTED', 'SENT']);
  }

  async down(db: QueryRunner): Promise<void> {
    await setTrailDecisions(db, ['RELEASED', 'MATCHED', 'WITHHELD', 'CORRECTED']);
  }
}

/** The trail's decisions; its column CHECK was named audit_trail_decision_check by PostgreSQL. */
async function setTrailDecisions(db: QueryRunner, decisions: string[]): Promise<void> {
  await db.query(`ALTER TABLE audit_trail DROP CONSTRAINT audit_trail_decision_check`);
  const list = decisions.map((decision) => `'${decision}'`).join(', ');
  await db.query(`ALTER TABLE audit_trail ADD CONSTRAINT audit_trail_decision_check CHECK (decision IN (${list}))`);
}
