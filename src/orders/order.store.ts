import { Any, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { keysetPage, keysetPagesPerParent, type Keyset, type Page } from '../db/keyset';
import type { RowFilter } from '../policy';
import { openRequestsSql, parseOpenRequests } from '../data-subject/open-requests';
import { Address } from './address';
import { ACTIVE_DELIVERY_STATUSES, type DeliveryStatus, type OrderStatus } from './order-lifecycle';
import { Order } from './order.entity';
import { OrderItem } from './order-item.entity';
import { Shipment } from './shipment.entity';

/**
 * Narrows a query on orders (alias `o`) to the rows the policy's filter lets the
 * request reach, in SQL, so that rows out of reach are never loaded.
 */
function withinReach(qb: SelectQueryBuilder<Order>, filter: RowFilter): SelectQueryBuilder<Order> {
  if (filter.closedSince) {
    qb.andWhere('(o.closed_at IS NULL OR o.closed_at >= :closedSince)', { closedSince: filter.closedSince });
  }
  if (filter.carrierId !== undefined) {
    qb.andWhere(
      `EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.carrier_id = :reachCarrierId
                 ${filter.activeDeliveriesOnly ? 'AND s.status = ANY(:activeStatuses)' : ''})`,
      { reachCarrierId: filter.carrierId, activeStatuses: ACTIVE_DELIVERY_STATUSES },
    );
  } else if (filter.activeDeliveriesOnly) {
    qb.andWhere('EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.status = ANY(:activeStatuses))', {
      activeStatuses: ACTIVE_DELIVERY_STATUSES,
    });
  }
  return qb;
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

/** One page of orders for each of several customers, in one statement. */
export function ordersOfCustomers(
  db: EntityManager,
  reach: RowFilter,
  customerIds: readonly string[],
  page: Page,
): Promise<Map<string, Order[]>> {
  return keysetPagesPerParent(db, withinReach(db.createQueryBuilder(Order, 'o'), reach), {
    alias: 'o',
    parentColumn: 'customer_id',
    timeColumn: 'placed_at',
    parentIds: customerIds,
    page,
    parentOf: (order) => order.customerId,
  });
}

export async function itemsOfOrders(db: EntityManager, orderIds: readonly string[]): Promise<OrderItem[]> {
  return db.find(OrderItem, { where: { orderId: Any([...orderIds]) }, order: { orderId: 'ASC', position: 'ASC' } });
}

interface ShipmentRow {
  order_id: string;
  customer_open_requests: string | null;
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
  customer_id: string;
  closed_at: Date | null;
  customer_deregistered: boolean;
}

/**
 * The shipments of these orders with the facts the policy needs about each, in one
 * statement with one JOIN, as plain rows: this is the hot path of every carrier page.
 */
export async function shipmentsOfOrders(db: EntityManager, orderIds: readonly string[]): Promise<Shipment[]> {
  const rows: ShipmentRow[] = await db.query(
    `SELECT s.order_id, s.recipient_name, s.recipient_phone, s.street, s.ward, s.district, s.province,
            s.carrier_id, s.tracking_number, s.status, s.assigned_at, s.cod_amount_vnd, s.delivered_at, s.erased_at,
            o.customer_id, o.closed_at, c.deregistered_at IS NOT NULL AS customer_deregistered,
            ${openRequestsSql('o.customer_id')} AS customer_open_requests
       FROM shipments s JOIN orders o ON o.id = s.order_id JOIN customers c ON c.id = o.customer_id
      WHERE s.order_id = ANY($1)`,
    [orderIds],
  );
  return rows.map((row) =>
    Object.assign(new Shipment(), {
      orderId: row.order_id,
      subjectCustomerId: row.customer_id,
      orderClosedAt: row.closed_at,
      customerDeregistered: row.customer_deregistered,
      customerOpenRequests: parseOpenRequests(row.customer_open_requests),
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
    }),
  );
}
