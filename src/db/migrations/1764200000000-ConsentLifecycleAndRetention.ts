import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What retention, deregistration, erasure and one-click unsubscribe need: personal
 * columns that can be emptied (erasure keeps the row and its money records, drops the
 * person), the moments a customer left and an order closed, and the unsubscribe links
 * already used.
 */
export class ConsentLifecycleAndRetention1764200000000 implements MigrationInterface {
  name = 'ConsentLifecycleAndRetention1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE customers
        ALTER COLUMN full_name DROP NOT NULL,
        ALTER COLUMN email DROP NOT NULL,
        ALTER COLUMN phone DROP NOT NULL,
        ADD COLUMN deregistered_at timestamptz(3),
        ADD COLUMN erased_at timestamptz(3),
        ADD CONSTRAINT customers_erased_means_empty CHECK (
          (erased_at IS NULL) = (full_name IS NOT NULL AND email IS NOT NULL AND phone IS NOT NULL))`);

    // When an order stopped needing its shipping contact data: delivered or cancelled.
    await db.query(`ALTER TABLE orders ADD COLUMN closed_at timestamptz(3)`);
    await db.query(`
      UPDATE orders o SET closed_at = COALESCE(
        (SELECT s.delivered_at FROM shipments s WHERE s.order_id = o.id), o.placed_at)
       WHERE o.status IN ('DELIVERED', 'CANCELLED')`);
    await db.query(`
      ALTER TABLE orders ADD CONSTRAINT orders_closed_when_final CHECK (
        (status IN ('DELIVERED', 'CANCELLED')) = (closed_at IS NOT NULL))`);
    await db.query(`CREATE INDEX orders_closed_idx ON orders (closed_at) WHERE closed_at IS NOT NULL`);

    await db.query(`
      ALTER TABLE shipments
        ALTER COLUMN recipient_name DROP NOT NULL,
        ALTER COLUMN recipient_phone DROP NOT NULL,
        ALTER COLUMN street DROP NOT NULL,
        ALTER COLUMN ward DROP NOT NULL,
        ALTER COLUMN district DROP NOT NULL,
        ALTER COLUMN province DROP NOT NULL,
        ADD COLUMN erased_at timestamptz(3),
        ADD CONSTRAINT shipments_erased_means_empty CHECK (
          (erased_at IS NULL) = (recipient_name IS NOT NULL AND recipient_phone IS NOT NULL AND street IS NOT NULL
                                 AND ward IS NOT NULL AND district IS NOT NULL AND province IS NOT NULL))`);

    // An unsubscribe link works once; a second use is answered without a second record.
    await db.query(`
      CREATE TABLE unsubscribe_link_uses (
        link_id      uuid PRIMARY KEY,
        customer_id  uuid NOT NULL REFERENCES customers (id),
        used_at      timestamptz(3) NOT NULL DEFAULT clock_timestamp()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE unsubscribe_link_uses`);
    await db.query(`
      ALTER TABLE shipments DROP CONSTRAINT shipments_erased_means_empty, DROP COLUMN erased_at,
        ALTER COLUMN recipient_name SET NOT NULL, ALTER COLUMN recipient_phone SET NOT NULL,
        ALTER COLUMN street SET NOT NULL, ALTER COLUMN ward SET NOT NULL,
        ALTER COLUMN district SET NOT NULL, ALTER COLUMN province SET NOT NULL`);
    await db.query(`ALTER TABLE orders DROP CONSTRAINT orders_closed_when_final, DROP COLUMN closed_at`);
    await db.query(`
      ALTER TABLE customers DROP CONSTRAINT customers_erased_means_empty,
        DROP COLUMN erased_at, DROP COLUMN deregistered_at,
        ALTER COLUMN full_name SET NOT NULL, ALTER COLUMN email SET NOT NULL, ALTER COLUMN phone SET NOT NULL`);
  }
}
