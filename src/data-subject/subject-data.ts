import type { EntityManager } from 'typeorm';
import { AuditEvent } from '../audit/audit-event.entity';
import { consentHistories } from '../consents/consent.store';
import { Customer } from '../customers/customer.entity';
import { Order } from '../orders/order.entity';
import { itemsOfOrders, shipmentsOfOrders } from '../orders/order.store';
import type { SubjectData } from './data-subject.type';

/** Everything held about one customer: profile, orders with shipping, consent trail, disclosures. */
export async function readSubjectData(db: EntityManager, customerId: string): Promise<SubjectData | null> {
  const customer = await db.findOneBy(Customer, { id: customerId });
  if (!customer) return null;
  const orders = await db.find(Order, { where: { customerId }, order: { placedAt: 'DESC', id: 'DESC' } });
  const orderIds = orders.map((order) => order.id);
  const [items, shipments, consentHistory, disclosures] = await Promise.all([
    itemsOfOrders(db, orderIds),
    shipmentsOfOrders(db, orders, async () => new Map([[customer.id, customer.standing()]])),
    consentHistories(db, [customerId]),
    db.find(AuditEvent, { where: { customerId, decision: 'RELEASED' }, order: { occurredAt: 'DESC', id: 'DESC' } }),
  ]);
  return {
    customer,
    orders: orders.map((order) => ({
      order,
      items: items.filter((item) => item.orderId === order.id),
      shipment: shipments.find((shipment) => shipment.orderId === order.id) ?? null,
    })),
    consentHistory,
    disclosures,
  };
}
