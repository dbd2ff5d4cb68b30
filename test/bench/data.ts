// The bench's data: a migrated database (a fresh one of its own on PostgreSQL, an
// in-memory PGlite otherwise) filled with a shop of N customers in set-based SQL, so that
// 100,000 customers take seconds, not the hours that one registerCustomer per row would.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { nameWords } from '../../src/customers/contact';
import { openDatabase, type Database } from '../../src/db/data-source';

export const BENCH_CARRIERS = ['ghn', 'viettel-post'] as const;

/**
 * A database of the bench's own: on the server `adminUrl` names, a new database that
 * close() drops again (a bench must not fill or leave rows in someone's database); without
 * a URL, PGlite in memory.
 */
export async function openBenchDatabase(adminUrl: string | undefined): Promise<Database> {
  if (!adminUrl) return openDatabase({ pgliteDir: 'memory://' });
  const name = `petto_bench_${randomBytes(6).toString('hex')}`;
  const runAsAdmin = async (sql: string) => {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  await runAsAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), pgliteDir: 'memory://' });
  return {
    ...database,
    close: async () => {
      await database.close();
      await runAsAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** The connection string of a database opened by openBenchDatabase, for the floor's own pool. */
export function databaseUrlOf(database: Database): string | undefined {
  const options = database.dataSource.options;
  return options.type === 'postgres' ? options.url : undefined;
}

// Names are built from single-word parts, so their words (what Customer search compares)
// are the parts' words, computed once here by the gateway's own nameWords.
const FAMILY_NAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ'];
const MIDDLE_NAMES = ['Thị', 'Văn', 'Đức', 'Minh', 'Thu', 'Quốc', 'Ngọc', 'Hữu', 'Thanh', 'Gia'];
const GIVEN_NAMES = ['Lan', 'Minh', 'Hà', 'Bảo', 'Anh', 'Dũng', 'Hương', 'Tuấn', 'Linh', 'Phương', 'Sơn', 'Trang'];
const STREETS = ['Lý Thường Kiệt', 'Nguyễn Huệ', 'Trần Phú', 'Hùng Vương', 'Lê Lợi', 'Hai Bà Trưng', 'Phố Huế'];
const PLACES = [
  { ward: 'Phường Hàng Bài', district: 'Quận Hoàn Kiếm', province: 'Hà Nội' },
  { ward: 'Phường Bến Nghé', district: 'Quận 1', province: 'TP. Hồ Chí Minh' },
  { ward: 'Phường Thạch Thang', district: 'Quận Hải Châu', province: 'Đà Nẵng' },
  { ward: 'Phường Phú Hội', district: 'TP. Huế', province: 'Thừa Thiên Huế' },
];
const PRODUCTS = [
  { sku: 'ROYAL-CANIN-MINI-2KG', name: 'Royal Canin Mini Adult 2kg', priceVnd: 385_000 },
  { sku: 'WHISKAS-TUNA-1_2KG', name: 'Whiskas vị cá ngừ 1,2kg', priceVnd: 120_000 },
  { sku: 'CAT-LITTER-10L', name: 'Cát vệ sinh cho mèo 10L', priceVnd: 95_000 },
  { sku: 'DOG-LEASH-M', name: 'Dây dắt chó cỡ M', priceVnd: 150_000 },
  { sku: 'PET-SHAMPOO-500ML', name: 'Sữa tắm thú cưng 500ml', priceVnd: 89_000 },
  { sku: 'CHEW-BONE-3', name: 'Xương gặm (3 cái)', priceVnd: 45_000 },
];

/**
 * SQL text and parameters shared by the steps. Customer n (1…N) is created n × 10 minutes
 * before `base` (customer 1 is the newest); its orders are m = 2n − 1 and 2n, placed 1 and
 * 2 minutes after it. Ids are derived from n and m (md5 → uuid) so that every step is a
 * plain generate_series, without joining back to the rows of the step before.
 */
const CUSTOMER_ID = (n: string) => `md5('bench-customer-' || ${n})::uuid`;
const ORDER_ID = (m: string) => `md5('bench-order-' || ${m})::uuid`;
const CREATED_AT = (n: string) => `$1::timestamptz - ${n} * interval '10 minutes'`;
const PLACED_AT = (m: string) => `${CREATED_AT(`((${m} + 1) / 2)`)} + (2 - ${m} % 2) * interval '1 minute'`;
// $2…$7: family, middle and given names, then the same parts' words.
const FULL_NAME = (n: string) =>
  `($2::text[])[1 + ${n} % ${FAMILY_NAMES.length}] || ' ' || ($3::text[])[1 + ${n} % ${MIDDLE_NAMES.length}]
     || ' ' || ($4::text[])[1 + (${n} / 7) % ${GIVEN_NAMES.length}]`;
const NAME_WORDS = (n: string) =>
  `ARRAY[($5::text[])[1 + ${n} % ${FAMILY_NAMES.length}], ($6::text[])[1 + ${n} % ${MIDDLE_NAMES.length}],
         ($7::text[])[1 + (${n} / 7) % ${GIVEN_NAMES.length}]]`;
// E.164 mobile numbers (+849 and eight digits), distinct up to 10⁸ customers.
const PHONE = (n: string) => `'+849' || lpad(${n}::text, 8, '0')`;

/**
 * Orders come in three kinds by age: the newest fifth is under way (four in five of them
 * assigned to a carrier, alternating between the two, as ASSIGNED, PICKED_UP or IN_TRANSIT;
 * the fifth not yet assigned), older ones are delivered, one in twenty cancelled. That
 * gives each carrier about 0.16 × N active deliveries and a long tail of finished ones.
 */
const UNDER_WAY = (m: string) => `${m} <= $8::int`;
const ASSIGNED_TO_CARRIER = (m: string) =>
  `(${UNDER_WAY(m)} AND ${m} % 5 <> 0) OR (NOT ${UNDER_WAY(m)} AND ${m} % 20 <> 0)`;
const CARRIER = (m: string) => `(ARRAY['${BENCH_CARRIERS[0]}', '${BENCH_CARRIERS[1]}'])[1 + (${m} / 2) % 2]`;
const DELIVERY_STATUS = (m: string) =>
  `CASE WHEN NOT ${UNDER_WAY(m)} THEN 'DELIVERED' ELSE (ARRAY['ASSIGNED', 'PICKED_UP', 'IN_TRANSIT'])[1 + ${m} % 3] END`;
const ORDER_STATUS = (m: string) => `
  CASE WHEN NOT ${UNDER_WAY(m)} THEN (CASE WHEN ${m} % 20 = 0 THEN 'CANCELLED' ELSE 'DELIVERED' END)
       WHEN ${m} % 5 = 0 THEN 'PLACED'
       WHEN ${m} % 3 = 0 THEN 'CONFIRMED'
       ELSE 'SHIPPED' END`;
const DELIVERED_AT = (m: string) => `${PLACED_AT(m)} + interval '2 days'`;
// $9…$11: the products' SKUs, names and prices; order m has items at positions 0…m % 3.
const PRODUCT = (m: string, position: string) => `1 + (${m} + ${position}) % ${PRODUCTS.length}`;

function parameters(customers: number, base: Date): unknown[] {
  const words = (parts: string[]) => parts.map((part) => nameWords(part)[0]);
  return [
    base,
    FAMILY_NAMES,
    MIDDLE_NAMES,
    GIVEN_NAMES,
    words(FAMILY_NAMES),
    words(MIDDLE_NAMES),
    words(GIVEN_NAMES),
    Math.floor((2 * customers) / 5),
    PRODUCTS.map((p) => p.sku),
    PRODUCTS.map((p) => p.name),
    PRODUCTS.map((p) => p.priceVnd),
  ];
}

/**
 * Every step gets all the parameters ($12 is the number of customers) but uses only some
 * of $1…$11, and PostgreSQL refuses a parameter whose type it cannot tell: this prelude
 * types them all.
 */
const ALL_PARAMETERS_TYPED = `
  WITH p AS (SELECT $1::timestamptz, $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                    $8::int, $9::text[], $10::text[], $11::int[])`;

const STEPS: { name: string; sql: string }[] = [
  {
    name: 'customers',
    sql: `${ALL_PARAMETERS_TYPED}
      INSERT INTO customers (id, full_name, name_words, email, phone, created_at)
      SELECT ${CUSTOMER_ID('n')}, ${FULL_NAME('n')}, ${NAME_WORDS('n')}, 'khach' || n || '@example.vn', ${PHONE('n')},
             ${CREATED_AT('n')}
        FROM generate_series(1, $12::int) n`,
  },
  {
    name: 'consents',
    // Half the customers take the newsletter; a third gave PROMOTIONS, and half of those withdrew it later.
    sql: `${ALL_PARAMETERS_TYPED}
      INSERT INTO consent_records (customer_id, topic, status, channel, policy_version, actor_id, recorded_at)
      SELECT ${CUSTOMER_ID('n')}, c.topic, c.status, c.channel, '2024-01', 'bench', ${CREATED_AT('n')} + c.later
        FROM generate_series(1, $12::int) n
        CROSS JOIN (VALUES ('NEWSLETTER', 'GRANTED', 'CHECKOUT', 2, interval '0'),
                           ('PROMOTIONS', 'GRANTED', 'CHECKOUT', 3, interval '0'),
                           ('PROMOTIONS', 'WITHDRAWN', 'EMAIL_LINK', 6, interval '30 days'))
             AS c(topic, status, channel, every, later)
       WHERE n % c.every = 0`,
  },
  {
    name: 'orders',
    sql: `${ALL_PARAMETERS_TYPED}
      INSERT INTO orders (id, customer_id, status, total_vnd, placed_at, closed_at)
      SELECT ${ORDER_ID('m')}, ${CUSTOMER_ID('((m + 1) / 2)')}, ${ORDER_STATUS('m')},
             (SELECT sum(($11::int[])[${PRODUCT('m', 'item')}] * (item + 1))
                FROM generate_series(0, m % 3) AS item),
             ${PLACED_AT('m')},
             CASE WHEN ${UNDER_WAY('m')} THEN NULL ELSE ${DELIVERED_AT('m')} END
        FROM generate_series(1, 2 * $12::int) m`,
  },
  {
    name: 'order items',
    sql: `${ALL_PARAMETERS_TYPED}
      INSERT INTO order_items (order_id, position, sku, name, quantity, unit_price_vnd)
      SELECT ${ORDER_ID('m')}, item, ($9::text[])[${PRODUCT('m', 'item')}], ($10::text[])[${PRODUCT('m', 'item')}],
             item + 1, ($11::int[])[${PRODUCT('m', 'item')}]
        FROM generate_series(1, 2 * $12::int) m CROSS JOIN LATERAL generate_series(0, m % 3) AS item`,
  },
  {
    name: 'shipments',
    // The recipient is the customer; every other parcel is paid at the door.
    sql: `${ALL_PARAMETERS_TYPED}
      INSERT INTO shipments (order_id, recipient_name, recipient_phone, street, ward, district, province,
                             carrier_id, tracking_number, status, assigned_at, delivered_at, cod_amount_vnd)
      SELECT ${ORDER_ID('m')}, ${FULL_NAME('((m + 1) / 2)')}, ${PHONE('((m + 1) / 2)')},
             (1 + m % 250) || ' ' || (ARRAY[${STREETS.map((s) => `'${s}'`).join(', ')}])[1 + m % ${STREETS.length}],
             place.ward, place.district, place.province,
             CASE WHEN assigned THEN ${CARRIER('m')} END,
             CASE WHEN assigned THEN 'BENCH' || lpad(m::text, 9, '0') END,
             CASE WHEN assigned THEN ${DELIVERY_STATUS('m')} END,
             CASE WHEN assigned THEN ${PLACED_AT('m')} + interval '30 seconds' END,
             CASE WHEN assigned AND NOT ${UNDER_WAY('m')} THEN ${DELIVERED_AT('m')} END,
             CASE WHEN m % 2 = 0 THEN o.total_vnd END
        FROM generate_series(1, 2 * $12::int) m
        CROSS JOIN LATERAL (SELECT ${ASSIGNED_TO_CARRIER('m')} AS assigned) a
        JOIN orders o ON o.id = ${ORDER_ID('m')}
        JOIN (VALUES ${PLACES.map((p, i) => `(${i}, '${p.ward}', '${p.district}', '${p.province}')`).join(', ')})
             AS place(i, ward, district, province) ON place.i = m % ${PLACES.length}`,
  },
];

/**
 * Fills a freshly migrated, empty database with `customers` customers, their consents,
 * two orders each with items and a shipment, and refreshes the planner's statistics.
 * Prints a line per step.
 */
export async function fillDatabase(
  database: Database,
  customers: number,
  progress: (line: string) => void,
): Promise<void> {
  const values = [...parameters(customers, new Date()), customers];
  for (const step of STEPS) {
    const started = Date.now();
    await database.dataSource.query(step.sql, values);
    progress(`  filled ${step.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const started = Date.now();
  await database.dataSource.query('ANALYZE');
  progress(`  analyzed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
