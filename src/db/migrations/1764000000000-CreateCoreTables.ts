import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customers, their consent history, orders with items, and shipments. Timestamps keep
 * millisecond precision so that keyset cursors (which carry JavaScript dates) compare
 * exactly. The SQL runs on PostgreSQL 15 and on PGlite (PostgreSQL 18).
 */
export class CreateCoreTables1764000000000 implements MigrationInterface {
  name = 'CreateCoreTables1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await createCustomers(db);
    await createConsentRecords(db);
    await createOrders(db);
    await createShipments(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE shipments`);
    await db.query(`DROP TABLE order_items`);
    await db.query(`DROP TABLE orders`);
    await db.query(`DROP SEQUENCE order_code_seq`);
    await db.query(`DROP TABLE consent_records`);
    await db.query(`DROP FUNCTION refuse_history_rewrite CASCADE`);
    await db.query(`DROP TABLE customers`);
  }
}

/** Customers, one per email, paged newest first. */
async function createCustomers(db: QueryRunner): Promise<void> {
  await db.query(`
      CREATE TABLE customers (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        full_name   text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
        email       text NOT NULL CHECK (email = lower(email)),
        phone       text NOT NULL CHECK (phone ~ '^\\+84[0-9]{9,10}$'),
        created_at  timestamptz(3) NOT NULL DEFAULT clock_timestamp()
      )`);
  await db.query(`CREATE UNIQUE INDEX customers_email_key ON customers (email)`);
  await db.query(`CREATE INDEX customers_phone_idx ON customers (phone)`);
  await db.query(`CREATE INDEX customers_page_idx ON customers (created_at DESC, id DESC)`);
}

/**
 * Append-only: the current consent of a customer for a topic is its latest row.
 * `refuse_history_rewrite` is the trigger every append-only table uses.
 */
async function createConsentRecords(db: QueryRunner): Promise<void> {
  await db.query(`
      CREATE TABLE consent_records (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        customer_id     uuid NOT NULL REFERENCES customers (id),
        topic           text NOT NULL CHECK (topic IN ('PROMOTIONS', 'PET_CARE_ADVICE', 'NEWSLETTER', 'GREETINGS')),
        status          text NOT NULL CHECK (status IN ('GRANTED', 'WITHDRAWN')),
        channel         text NOT NULL CHECK (channel IN ('CHECKOUT', 'ACCOUNT', 'EMAIL_LINK', 'HOTLINE', 'SUPPORT')),
        policy_version  text NOT NULL,
        actor_id        text NOT NULL,
        recorded_at     timestamptz(3) NOT NULL DEFAULT clock_timestamp()
      )`);
  await db.query(
    `CREATE INDEX consent_records_latest_idx ON consent_records (customer_id, topic, recorded_at DESC, id DESC)`,
  );
  await db.query(`CREATE INDEX consent_records_topic_idx ON consent_records (topic, customer_id)`);
  await db.query(`
      CREATE FUNCTION refuse_history_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
      END $$`);
  await db.query(`
      CREATE TRIGGER consent_records_append_only
        BEFORE UPDATE OR DELETE ON consent_records
        FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`);
}

/** Orders with their readable codes (PT000001, …) and their items. */
async function createOrders(db: QueryRunner): Promise<void> {
  await db.query(`CREATE SEQUENCE order_code_seq`);
  await db.query(`
      CREATE TABLE orders (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code         text NOT NULL UNIQUE DEFAULT ('PT' || lpad(nextval('order_code_seq')::text, 6, '0')),
        customer_id  uuid NOT NULL REFERENCES customers (id),
        status       text NOT NULL CHECK (status IN ('PLACED', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED')),
        total_vnd    integer NOT NULL CHECK (total_vnd >= 0),
        placed_at    timestamptz(3) NOT NULL DEFAULT clock_timestamp()
      )`);
  await db.query(`CREATE INDEX orders_page_idx ON orders (placed_at DESC, id DESC)`);
  await db.query(`CREATE INDEX orders_status_page_idx ON orders (status, placed_at DESC, id DESC)`);
  await db.query(`CREATE INDEX orders_customer_page_idx ON orders (customer_id, placed_at DESC, id DESC)`);

  await db.query(`
      CREATE TABLE order_items (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id        uuid NOT NULL REFERENCES orders (id),
        position        integer NOT NULL,
        sku             text NOT NULL,
        name            text NOT NULL,
        quantity        integer NOT NULL CHECK (quantity > 0),
        unit_price_vnd  integer NOT NULL CHECK (unit_price_vnd >= 0),
        UNIQUE (order_id, position)
      )`);
}

/** One row per order: the shipping block given at checkout, and the carrier once assigned. */
async function createShipments(db: QueryRunner): Promise<void> {
  await db.query(`
      CREATE TABLE shipments (
        order_id         uuid PRIMARY KEY REFERENCES orders (id),
        recipient_name   text NOT NULL,
        recipient_phone  text NOT NULL,
        street           text NOT NULL,
        ward             text NOT NULL,
        district         text NOT NULL,
        province         text NOT NULL,
        carrier_id       text,
        tracking_number  text,
        status           text CHECK (status IN ('ASSIGNED', 'PICKED_UP', 'IN_TRANSIT', 'FAILED', 'DELIVERED', 'RETURNED')),
        assigned_at      timestamptz(3),
        delivered_at     timestamptz(3),
        CHECK ((carrier_id IS NULL) = (status IS NULL))
      )`);
  await db.query(
    `CREATE INDEX shipments_carrier_active_idx ON shipments (carrier_id, order_id)
         WHERE status IN ('ASSIGNED', 'PICKED_UP', 'IN_TRANSIT', 'FAILED')`,
  );
}
