import type { EntityManager } from 'typeorm';
import { Customer } from '../customers/customer.entity';
import { normalizeName, normalizeVietnamesePhone } from '../customers/contact';
import { RuleViolation } from '../rule-violation';
import {
  ASSIGNABLE_ORDER_STATUSES,
  CLOSED_ORDER_STATUSES,
  DELIVERY_TRANSITIONS,
  ORDER_STATUS_AFTER_DELIVERY,
  ORDER_TRANSITIONS,
  type DeliveryStatus,
  type OrderStatus,
} from './order-lifecycle';
import { Order } from './order.entity';
import { OrderItem } from './order-item.entity';
import type { RowFilter } from '../policy';
import { orderForUpdate } from './order.store';
import { Shipment } from './shipment.entity';

/** int4 holds the total; no pet-shop order comes near it. */
const MAX_ORDER_TOTAL_VND = 2_000_000_000;

export interface NewOrder {
  customerId: string;
  items: readonly { sku: string; name: string; quantity: number; unitPriceVnd: number }[];
  /** The carrier collects the total at the door. */
  cashOnDelivery: boolean;
  shipping: {
    recipientName: string;
    recipientPhone: string;
    street: string;
    ward: string;
    district: string;
    province: string;
  };
}

/**
 * All changes below run inside a transaction the caller opened, and return the order as
 * it stands after their writes (read back when they wrote it), for the mutation's reply.
 */
export async function placeOrder(db: EntityManager, order: NewOrder): Promise<Order> {
  const customer = await db.findOneBy(Customer, { id: order.customerId });
  if (!customer) throw new RuleViolation('customerId', 'no customer with this id');
  // Once a customer cancels their registration, nothing new is collected about them (design: P6).
  if (customer.deregisteredAt) throw new RuleViolation('customerId', 'this customer has cancelled their registration');
  const totalVnd = order.items.reduce((sum, item) => sum + item.quantity * item.unitPriceVnd, 0);
  if (totalVnd > MAX_ORDER_TOTAL_VND) {
    throw new RuleViolation('items', `the order total exceeds ${MAX_ORDER_TOTAL_VND} VND`);
  }
  const recipientPhone = normalizeVietnamesePhone(order.shipping.recipientPhone);
  if (recipientPhone === null) throw new Error('placeOrder called with an unvalidated phone');

  const { id } = await db.save(db.create(Order, { customerId: order.customerId, status: 'PLACED', totalVnd }));
  await db.insert(
    OrderItem,
    order.items.map((item, position) => ({
      ...item,
      sku: item.sku.trim(),
      name: item.name.trim(),
      orderId: id,
      position,
    })),
  );
  const { recipientName, street, ward, district, province } = order.shipping;
  await db.insert(Shipment, {
    orderId: id,
    recipientName: normalizeName(recipientName),
    recipientPhone,
    addressColumns: { street: street.trim(), ward: ward.trim(), district: district.trim(), province: province.trim() },
    codAmountVnd: order.cashOnDelivery ? totalVnd : null,
  });
  return db.findOneByOrFail(Order, { id });
}

/** The order's new status, and the moment it closed when the status is final. */
function statusChange(status: OrderStatus): Pick<Order, 'status'> & Partial<Pick<Order, 'closedAt'>> {
  return CLOSED_ORDER_STATUSES.includes(status) ? { status, closedAt: new Date() } : { status };
}

async function reachableOrder(db: EntityManager, reach: RowFilter, orderId: string): Promise<Order> {
  const order = await orderForUpdate(db, reach, orderId);
  if (!order) throw new RuleViolation('orderId', 'no order with this id that you may change');
  return order;
}

export async function changeOrderStatus(
  db: EntityManager,
  reach: RowFilter,
  orderId: string,
  status: OrderStatus,
): Promise<Order> {
  const order = await reachableOrder(db, reach, orderId);
  if (!ORDER_TRANSITIONS[order.status].includes(status)) {
    throw new RuleViolation('status', `an order that is ${order.status} cannot become ${status}`);
  }
  const change = statusChange(status);
  await db.update(Order, { id: order.id }, change);
  if (status === 'CANCELLED') {
    // Orders are cancelled only before the parcel leaves, so at most a carrier was
    // assigned: that carrier's part, and its sight of the recipient, end here.
    await db.update(
      Shipment,
      { orderId: order.id },
      { carrierId: null, trackingNumber: null, status: null, assignedAt: null },
    );
  }
  return db.findOneByOrFail(Order, { id: order.id });
}

export async function assignCarrier(
  db: EntityManager,
  reach: RowFilter,
  orderId: string,
  assignment: { carrierId: string; trackingNumber: string },
): Promise<Order> {
  const order = await reachableOrder(db, reach, orderId);
  if (!ASSIGNABLE_ORDER_STATUSES.includes(order.status)) {
    throw new RuleViolation('orderId', `an order that is ${order.status} cannot be given to a carrier`);
  }
  const shipment = await db.findOneByOrFail(Shipment, { orderId: order.id });
  // Reassigning is fine until the first carrier has picked the parcel up.
  if (shipment.status !== null && shipment.status !== 'ASSIGNED') {
    throw new RuleViolation('orderId', `the parcel is already ${shipment.status}`);
  }
  await db.update(
    Shipment,
    { orderId: order.id },
    {
      carrierId: assignment.carrierId,
      trackingNumber: assignment.trackingNumber.trim(),
      status: 'ASSIGNED',
      assignedAt: new Date(),
    },
  );
  return order;
}

export async function changeDeliveryStatus(
  db: EntityManager,
  reach: RowFilter,
  orderId: string,
  status: DeliveryStatus,
): Promise<Order> {
  const order = await reachableOrder(db, reach, orderId);
  const shipment = await db.findOneByOrFail(Shipment, { orderId: order.id });
  if (shipment.status === null || !DELIVERY_TRANSITIONS[shipment.status].includes(status)) {
    throw new RuleViolation('status', `a shipment that is ${shipment.status ?? 'unassigned'} cannot become ${status}`);
  }
  await db.update(
    Shipment,
    { orderId: order.id },
    { status, ...(status === 'DELIVERED' ? { deliveredAt: new Date() } : {}) },
  );
  const orderStatus = ORDER_STATUS_AFTER_DELIVERY[status];
  if (orderStatus === undefined) return order;
  await db.update(Order, { id: order.id }, statusChange(orderStatus));
  return db.findOneByOrFail(Order, { id: order.id });
}
