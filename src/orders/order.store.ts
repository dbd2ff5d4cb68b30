import { Any, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { keysetPage, keysetPagesPerParent, type Keyset, type Page } from '../db/keyset';
import { orderScope, shippingRetentionCutoff, type PolicyClock, type Principal } from '../policy';
import { ACTIVE_DELIVERY_STATUSES, type OrderStatus } from './order-lifecycle';
import { Order } from './order.entity';
import { OrderItem } from './order-item.entity';
import { Shipment } from './shipment.entity';

/** Who reaches the orders, and when (retention moves with the clock). */
export interface OrderReach {
  principal: Principal;
  clock: PolicyClock;
}

/**
 * Limits a query on orders (alias `o`) to the rows the principal's role may reach, in
 * SQL, so that rows out of scope are never loaded. A carrier's lists and changes see
 * only its shipments under way; looked up by id, its finished ones are found too, and
 * the policy withholds their recipient (RETENTION_EXPIRED).
 */
function withinScope(
  qb: SelectQueryBuilder<Order>,
  { principal, clock }: OrderReach,
  lookup: 'LIST' | 'BY_ID' = 'LIST',
): SelectQueryBuilder<Order> {
  switch (orderScope(principal)) {
    case 'ALL':
      return qb;
    case 'NONE':
      return qb.andWhere('false');
    case 'WITHIN_RETENTION':
      return qb.andWhere('(o.closed_at IS NULL OR o.closed_at >= :closedSince)', {
        closedSince: shippingRetentionCutoff(clock),
      });
    case 'OWN_SHIPMENTS':
      return qb.andWhere(
        `EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.carrier_id = :scopeCarrierId
                   ${lookup === 'LIST' ? 'AND s.status = ANY(:activeStatuses)' : ''})`,
        { scopeCarrierId: principal.carrierId ?? null, activeStatuses: ACTIVE_DELIVERY_STATUSES },
      );
  }
}

export function orderKey(order: Order): Keyset {
  return { at: order.placedAt, id: order.id };
}

export async function ordersByIds(db: EntityManager, reach: OrderReach, ids: readonly string[]): Promise<Order[]> {
  return withinScope(db.createQueryBuilder(Order, 'o').where('o.id = ANY(:ids)', { ids }), reach, 'BY_ID').getMany();
}

/** Locks the order for a change, if the principal may reach it. */
export async function orderForUpdate(db: EntityManager, reach: OrderReach, id: string): Promise<Order | null> {
  return withinScope(db.createQueryBuilder(Order, 'o').where('o.id = :id', { id }), reach)
    .setLock('pessimistic_write')
    .getOne();
}

export async function ordersPage(
  db: EntityManager,
  reach: OrderReach,
  page: Page,
  status?: OrderStatus,
): Promise<Order[]> {
  const qb = withinScope(db.createQueryBuilder(Order, 'o'), reach);
  if (status) qb.andWhere('o.status = :status', { status });
  return keysetPage(qb, 'o', 'placed_at', page);
}

/** One page of orders for each of several customers, in one statement. */
export function ordersOfCustomers(
  db: EntityManager,
  reach: OrderReach,
  customerIds: readonly string[],
  page: Page,
): Promise<Map<string, Order[]>> {
  return keysetPagesPerParent(db, withinScope(db.createQueryBuilder(Order, 'o'), reach), {
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
