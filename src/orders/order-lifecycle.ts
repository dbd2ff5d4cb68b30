/**
 * Order and delivery states, and the moves between them. A move not listed here is
 * refused with BAD_USER_INPUT.
 */
export const ORDER_STATUSES = ['PLACED', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const DELIVERY_STATUSES = ['ASSIGNED', 'PICKED_UP', 'IN_TRANSIT', 'FAILED', 'DELIVERED', 'RETURNED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const ORDER_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  PLACED: ['CONFIRMED', 'CANCELLED'],
  CONFIRMED: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: [],
  CANCELLED: [],
};

export const DELIVERY_TRANSITIONS: Record<DeliveryStatus, readonly DeliveryStatus[]> = {
  ASSIGNED: ['PICKED_UP'],
  PICKED_UP: ['IN_TRANSIT', 'DELIVERED'],
  IN_TRANSIT: ['DELIVERED', 'FAILED'],
  FAILED: ['IN_TRANSIT', 'RETURNED'],
  DELIVERED: [],
  RETURNED: [],
};

/** A shipment is under way until it is delivered or back at the shop. */
export const ACTIVE_DELIVERY_STATUSES: readonly DeliveryStatus[] = ['ASSIGNED', 'PICKED_UP', 'IN_TRANSIT', 'FAILED'];

/** What a delivery event means for its order. */
export const ORDER_STATUS_AFTER_DELIVERY: Partial<Record<DeliveryStatus, OrderStatus>> = {
  PICKED_UP: 'SHIPPED',
  DELIVERED: 'DELIVERED',
  RETURNED: 'CANCELLED',
};

/** Final states: the order's shipping contact data is no longer needed from then on (design: P5). */
export const CLOSED_ORDER_STATUSES: readonly OrderStatus[] = ['DELIVERED', 'CANCELLED'];

/** Orders can be assigned to a carrier until the parcel leaves the shop. */
export const ASSIGNABLE_ORDER_STATUSES: readonly OrderStatus[] = ['PLACED', 'CONFIRMED'];

/** Carrier ids are short slugs (ghn, viettel-post); carriers are the only third party (design: P8). */
export const CARRIER_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,31}$/;
