import { Any, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { Keyset, Page } from '../graphql/connection';
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

function keysetPage(qb: SelectQueryBuilder<Order>, page: Page): SelectQueryBuilder<Order> {
  if (page.after) {
    qb.andWhere('(o.placed_at, o.id) < (:afterAt, :afterId)', { afterAt: page.after.at, afterId: page.after.id });
  }
  return qb.orderBy('o.placed_at', 'DESC').addOrderBy('o.id', 'DESC').limit(page.limit + 1);
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
  return keysetPage(qb, page).getMany();
}

/**
 * One page of orders for each of several customers, in one statement: the same keyset
 * window applied per customer.
 */
export async function ordersOfCustomers(
  db: EntityManager,
  principal: Principal,
  customerIds: readonly string[],
  page: Page,
): Promise<Map<string, Order[]>> {
  const ranked = db
    .createQueryBuilder(Order, 'o')
    .select('o.id', 'id')
    .addSelect('row_number() OVER (PARTITION BY o.customer_id ORDER BY o.placed_at DESC, o.id DESC)', 'rank')
    .where('o.customer_id = ANY(:customerIds)', { customerIds });
  if (page.after) {
    ranked.andWhere('(o.placed_at, o.id) < (:afterAt, :afterId)', { afterAt: page.after.at, afterId: page.after.id });
  }
  withinScope(ranked, principal);
  const orders = await db
    .createQueryBuilder(Order, 'o')
    .where(`o.id IN (SELECT ranked.id FROM (${ranked.getQuery()}) ranked WHERE ranked.rank <= :perCustomer)`)
    .setParameters({ ...ranked.getParameters(), perCustomer: page.limit + 1 })
    .orderBy('o.placed_at', 'DESC')
    .addOrderBy('o.id', 'DESC')
    .getMany();
  const byCustomer = new Map<string, Order[]>();
  for (const order of orders) {
    byCustomer.set(order.customerId, [...(byCustomer.get(order.customerId) ?? []), order]);
  }
  return byCustomer;
}

export async function itemsOfOrders(db: EntityManager, orderIds: readonly string[]): Promise<OrderItem[]> {
  return db.find(OrderItem, { where: { orderId: Any([...orderIds]) }, order: { orderId: 'ASC', position: 'ASC' } });
}

export async function shipmentsOfOrders(db: EntityManager, orderIds: readonly string[]): Promise<Shipment[]> {
  return db.findBy(Shipment, { orderId: Any([...orderIds]) });
}
