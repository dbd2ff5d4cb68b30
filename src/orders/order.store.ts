import { Any, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { keysetPage, keysetPagesPerParent, type Keyset, type Page } from '../db/keyset';
import { orderScope, type Principal } from '../policy';
import { ACTIVE_DELIVERY_STATUSES, type OrderStatus } from './order-lifecycle';
import { Order } from './order.entity';
import { OrderItem } from './order-item.entity';
import { Shipment } from './shipment.entity';

/**
 * Limits a query on orders (alias `o`) to the rows the principal's role may reach, in
 * SQL, so that rows out of scope are never loaded.
 */
function withinScope(qb: SelectQueryBuilder<Order>, principal: Principal): SelectQueryBuilder<Order> {
  switch (orderScope(principal)) {
    case 'ALL':
      return qb;
    case 'NONE':
      return qb.andWhere('false');
    case 'OWN_ACTIVE_SHIPMENTS':
      return qb.andWhere(
        `EXISTS (SELECT 1 FROM shipments s
                  WHERE s.order_id = o.id AND s.carrier_id = :scopeCarrierId AND s.status = ANY(:activeStatuses))`,
        { scopeCarrierId: principal.carrierId ?? null, activeStatuses: ACTIVE_DELIVERY_STATUSES },
      );
  }
}

export function orderKey(order: Order): Keyset {
  return { at: order.placedAt, id: order.id };
}

export async function ordersByIds(db: EntityManager, principal: Principal, ids: readonly string[]): Promise<Order[]> {
  return withinScope(db.createQueryBuilder(Order, 'o').where('o.id = ANY(:ids)', { ids }), principal).getMany();
}

/** Locks the order for a change, if the principal may reach it. */
export async function orderForUpdate(db: EntityManager, principal: Principal, id: string): Promise<Order | null> {
  return withinScope(db.createQueryBuilder(Order, 'o').where('o.id = :id', { id }), principal)
    .setLock('pessimistic_write')
    .getOne();
}

export async function ordersPage(
  db: EntityManager,
  principal: Principal,
  page: Page,
  status?: OrderStatus,
): Promise<Order[]> {
  const qb = withinScope(db.createQueryBuilder(Order, 'o'), principal);
  if (status) qb.andWhere('o.status = :status', { status });
  return keysetPage(qb, 'o', 'placed_at', page);
}

/** One page of orders for each of several customers, in one statement. */
export function ordersOfCustomers(
  db: EntityManager,
  principal: Principal,
  customerIds: readonly string[],
  page: Page,
): Promise<Map<string, Order[]>> {
  return keysetPagesPerParent(db, withinScope(db.createQueryBuilder(Order, 'o'), principal), {
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

export async function shipmentsOfOrders(db: EntityManager, orderIds: readonly string[]): Promise<Shipment[]> {
  return db.findBy(Shipment, { orderId: Any([...orderIds]) });
}
