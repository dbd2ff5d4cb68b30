import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The policy names two more kinds of marketing email than the first topics covered: offers
 * ("thư chào hàng") and thank-you letters ("thư cảm ơn"). Each is a topic of its own so a
 * customer can take one without the others.
 */
export class MoreConsentTopics1764650000000 implements MigrationInterface {
  name = 'MoreConsentTopics1764650000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE consent_records DROP CONSTRAINT consent_records_topic_check`);
    await db.query(`
      ALTER TABLE consent_records ADD CONSTRAINT consent_records_topic_check CHECK (topic IN
        ('PROMOTIONS', 'OFFERS', 'PET_CARE_ADVICE', 'NEWSLETTER', 'THANK_YOU', 'GREETINGS'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE consent_records DROP CONSTRAINT consent_records_topic_check`);
    await db.query(`
      ALTER TABLE consent_records ADD CONSTRAINT consent_records_topic_check CHECK (topic IN
        ('PROMOTIONS', 'PET_CARE_ADVICE', 'NEWSLETTER', 'GREETINGS'))`);
  }
}
