import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What the carrier collects at the door when the customer pays on delivery (Shipment.codAmountVnd). */
export class CashOnDelivery1764300000000 implements MigrationInterface {
  name = 'CashOnDelivery1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE shipments ADD COLUMN cod_amount_vnd integer CHECK (cod_amount_vnd >= 0)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE shipments DROP COLUMN cod_amount_vnd`);
  }
}
