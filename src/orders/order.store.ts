import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { keysetPage, keysetSql, pagesPerParentIdsSql, type Keyset, type Page } from '../db/keyset';
import { groupBy, indexBy } from '../collections';
import type { CustomerStanding } from '../customers/customer.entity';
import { STANDING_COLUMNS, standingOfRow, type StandingRow } from '../customers/customer.store';
import { plainColumns } from '../db/plain-rows';
import { positionalParameters, selectList, whereAll, type Place } from '../db/raw-sql';
import type { RowFilter } from '../policy';
import { Address } from './address';
import { ACTIVE_DELIVERY_STATUSES, type DeliveryStatus, type OrderStatus } from './order-lifecycle';
import { Order } from './order.entity';
import { OrderItem } from './order-item.entity';
import { Shipment } from './shipment.entity';

/**
 * The conditions on orders (alias `o`) that keep a statement within the policy's row
 * filter, so that rows out of reach are never loaded. `place` takes a parameter's value
 * and answers its placeholder, so the same conditions serve the query builder and raw SQL.
 */
function reachConditions(filter: RowFilter, place: Place): string[] {
  const conditions: string[] = [];
  if (filter.closedSince) conditions.push(`(o.closed_at IS NULL OR o.closed_at >= ${place(filter.closedSince)})`);
  if (filter.carrierId !== undefined || filter.activeDeliveriesOnly) {
    const carrier = filter.carrierId === undefined ? '' : ` AND s.carrier_id = ${place(filter.carrierId)}`;
    const active = filter.activeDeliveriesOnly ? ` AND s.status = ANY(${place(ACTIVE_DELIVERY_STATUSES)})` : '';
    conditions.push(`EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id${carrier}${active})`);
  }
  return conditions;
}

function withinReach(qb: SelectQueryBuilder<Order>, filter: RowFilter): SelectQueryBuilder<Order> {
  const parameters: Record<string, unknown> = {};
  const place = (value: unknown) => {
    const name = `reach${Object.keys(parameters).length}`;
    parameters[name] = value;
    return `:${name}`;
  };
  for (const condition of reachConditions(filter, place)) qb.andWhere(condition);
  return qb.setParameters(parameters);
}

export function orderKey(order: Order): Keyset {
  return { at: order.placedAt, id: order.id };
}

export async function ordersByIds(db: EntityManager, reach: RowFilter, ids: readonly string[]): Promise<Order[]> {
  return withinReach(db.createQueryBuilder(Order, 'o').where('o.id = ANY(:ids)', { ids }), reach).getMany();
}

/** Locks the order for a change, if it is within reach. */
export async function orderForUpdate(db: EntityManager, reach: RowFilter, id: string): Promise<Order | null> {
  return withinReach(db.createQueryBuilder(Order, 'o').where('o.id = :id', { id }), reach)
    .setLock('pessimistic_write')
    .getOne();
}

export async function ordersPage(
  db: EntityManager,
  reach: RowFilter,
  page: Page,
  status?: OrderStatus,
): Promise<Order[]> {
  const qb = withinReach(db.createQueryBuilder(Order, 'o'), reach);
  if (status) qb.andWhere('o.status = :status', { status });
  return keysetPage(qb, 'o', 'placed_at', page);
}

/**
 * One page of orders for each of several customers, in one statement, as plain rows: a
 * support page lists the orders of fifty customers.
 */
export async function ordersOfCustomers(
  db: EntityManager,
  reach: RowFilter,
  customerIds: readonly string[],
  page: Page,
): Promise<Map<string, Order[]>> {
  const { values, place } = positionalParameters();
  const pages = pagesPerParentIdsSql(
    {
      from: 'orders o',
      alias: 'o',
      parentColumn: 'customer_id',
      timeColumn: 'placed_at',
      conditions: [`o.customer_id = ANY(${place(customerIds)})`, ...reachConditions(reach, place)],
      page,
    },
    place,
  );
  const { select, toEntity } = plainColumns(db, Order, 'o');
  const rows: Record<string, unknown>[] = await db.query(
    `SELECT ${select} FROM orders o WHERE o.id IN (${pages}) ORDER BY o.placed_at DESC, o.id DESC`,
    values,
  );
  return groupBy(rows.map(toEntity), (order) => order.customerId);
}

/** The items of these orders, in the order the customer listed them, as plain rows (a support page lists hundreds). */
export async function itemsOfOrders(db: EntityManager, orderIds: readonly string[]): Promise<OrderItem[]> {
  const rows: OrderItem[] = await db.query(
    `SELECT id, order_id AS "orderId", position, sku, name, quantity, unit_price_vnd AS "unitPriceVnd"
       FROM order_items WHERE order_id = ANY($1) ORDER BY order_id, position`,
    [orderIds],
  );
  return rows.map((row) => Object.assign(new OrderItem(), row));
}

/** A shipment's own columns. */
interface ShipmentRow {
  order_id: string;
  recipient_name: string | null;
  recipient_phone: string | null;
  street: string;
  ward: string;
  district: string;
  province: string;
  carrier_id: string | null;
  tracking_number: string | null;
  status: DeliveryStatus | null;
  assigned_at: Date | null;
  cod_amount_vnd: number | null;
  delivered_at: Date | null;
  erased_at: Date | null;
}

const SHIPMENT_COLUMNS: Record<keyof ShipmentRow, string> = {
  order_id: 's.order_id',
  recipient_name: 's.recipient_name',
  recipient_phone: 's.recipient_phone',
  street: 's.street',
  ward: 's.ward',
  district: 's.district',
  province: 's.province',
  carrier_id: 's.carrier_id',
  tracking_number: 's.tracking_number',
  status: 's.status',
  assigned_at: 's.assigned_at',
  cod_amount_vnd: 's.cod_amount_vnd',
  delivered_at: 's.delivered_at',
  erased_at: 's.erased_at',
};

/** What the policy needs to know of a shipment's order and customer. */
interface ShipmentOwner {
  order: Pick<Order, 'customerId' | 'closedAt'>;
  standing: CustomerStanding;
}

function shipmentOf(row: ShipmentRow, { order, standing }: ShipmentOwner): Shipment {
  return Object.assign(new Shipment(), {
    orderId: row.order_id,
    subjectCustomerId: order.customerId,
    orderClosedAt: order.closedAt,
    customerStanding: standing,
    recipientName: row.recipient_name,
    recipientPhone: row.recipient_phone,
    addressColumns: Object.assign(new Address(), {
      street: row.street,
      ward: row.ward,
      district: row.district,
      province: row.province,
    }),
    carrierId: row.carrier_id,
    trackingNumber: row.tracking_number,
    status: row.status,
    assignedAt: row.assigned_at,
    codAmountVnd: row.cod_amount_vnd,
    deliveredAt: row.delivered_at,
    erasedAt: row.erased_at,
  });
}

const SHIPMENTS_OF_ORDERS = `SELECT ${selectList(SHIPMENT_COLUMNS)} FROM shipments s WHERE s.order_id = ANY($1)`;

/**
 * The shipments of these orders, as plain rows, each with the policy's facts from its
 * order and from the standing of the order's customer, which `standingsOf` gives by
 * customer id (a request has mostly read them already, with the customers). Reading them
 * with the shipments would join two tables and a subquery per row, most of the
 * statement's cost on a support page. A shipment whose customer has no standing fails
 * the read: it is never decided on missing facts.
 */
export async function shipmentsOfOrders(
  db: EntityManager,
  orders: readonly Order[],
  standingsOf: (customerIds: string[]) => Promise<ReadonlyMap<string, CustomerStanding>>,
): Promise<Shipment[]> {
  const ordersById = indexBy(orders, (order) => order.id);
  const [rows, standings] = await Promise.all([
    db.query(SHIPMENTS_OF_ORDERS, [[...ordersById.keys()]]) as Promise<ShipmentRow[]>,
    standingsOf([...new Set(orders.map((order) => order.customerId))]),
  ]);
  return rows.map((row) => {
    const order = ordersById.get(row.order_id) as Order;
    const standing = standings.get(order.customerId);
    if (!standing) throw new Error(`No standing of customer ${order.customerId}, whose order's shipment was read`);
    return shipmentOf(row, { order, standing });
  });
}

/** The order's columns beside SHIPMENT_COLUMNS and the customer's STANDING_COLUMNS, on `o`. */
interface DeliveryRow extends ShipmentRow, StandingRow {
  order_code: string;
  order_status: OrderStatus;
  order_total_vnd: number;
  order_placed_at: Date;
  customer_id: string;
  closed_at: Date | null;
}

const DELIVERY_COLUMNS: Record<Exclude<keyof DeliveryRow, keyof ShipmentRow | keyof StandingRow>, string> = {
  order_code: 'o.code',
  order_status: 'o.status',
  order_total_vnd: 'o.total_vnd',
  order_placed_at: 'o.placed_at',
  customer_id: 'o.customer_id',
  closed_at: 'o.closed_at',
};

const DELIVERIES_SELECT = `
  SELECT ${selectList({ ...SHIPMENT_COLUMNS, ...DELIVERY_COLUMNS, ...STANDING_COLUMNS })}
    FROM orders o JOIN shipments s ON s.order_id = o.id JOIN customers c ON c.id = o.customer_id`;
/**
 * A carrier's page of deliveries with their shipments and the shipments' facts, in one
 * statement and as plain rows: the hot path of every carrier integration, which asks for
 * the recipient of each order it lists. Every delivery has its shipment (the reach
 * requires one). Raw SQL: building this statement with the query builder cost more CPU
 * than reading its rows.
 */
export async function deliveriesPage(
  db: EntityManager,
  reach: RowFilter,
  page: Page,
): Promise<{ orders: Order[]; shipments: Shipment[] }> {
  const { values, place } = positionalParameters();
  const { after, orderAndLimit } = keysetSql('o', 'placed_at', page, place);
  const where = whereAll([...reachConditions(reach, place), ...after]);
  const rows: DeliveryRow[] = await db.query(`${DELIVERIES_SELECT} ${where} ${orderAndLimit}`, values);
  const orders = rows.map((row) =>
    Object.assign(new Order(), {
      id: row.order_id,
      code: row.order_code,
      customerId: row.customer_id,
      status: row.order_status,
      totalVnd: row.order_total_vnd,
      placedAt: row.order_placed_at,
      closedAt: row.closed_at,
    }),
  );
  const shipments = rows.map((row, index) => shipmentOf(row, { order: orders[index], standing: standingOfRow(row) }));
  return { orders, shipments };
}
