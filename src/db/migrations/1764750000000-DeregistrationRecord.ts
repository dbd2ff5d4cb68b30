import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who cancelled a registration, and through which channel: a customer without any
 * granted topic leaves no consent withdrawal behind when they cancel, so the
 * cancellation itself must say who asked for it (a principal, or the unsubscribe link
 * the customer used). Neither value is personal data.
 */
export class DeregistrationRecord1764750000000 implements MigrationInterface {
  name = 'DeregistrationRecord1764750000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE customers ADD COLUMN deregistered_by text, ADD COLUMN deregistration_channel text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE customers DROP COLUMN deregistered_by, DROP COLUMN deregistration_channel`);
  }
}
