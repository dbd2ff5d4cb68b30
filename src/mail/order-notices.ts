import type { DeliveryStatus, OrderStatus } from '../orders/order-lifecycle';
import { paragraphsHtml } from './outgoing-mail';

/** The order notices the gateway sends under ORDER_PROCESSING ("thông báo đơn hàng và xác nhận đơn hàng"). */
export const ORDER_NOTICES = ['PLACED', 'HANDED_TO_CARRIER', 'OUT_FOR_DELIVERY', 'DELIVERED', 'CANCELLED'] as const;
export type OrderNotice = (typeof ORDER_NOTICES)[number];

/** The notices that announce the order's closing: the last ones an order gets. */
export const CLOSING_NOTICES: readonly OrderNotice[] = ['DELIVERED', 'CANCELLED'];

/** What an order status set by the shop tells the customer. */
export const NOTICE_AFTER_ORDER_STATUS: Partial<Record<OrderStatus, OrderNotice>> = {
  SHIPPED: 'HANDED_TO_CARRIER',
  DELIVERED: 'DELIVERED',
  CANCELLED: 'CANCELLED',
};

/** What a carrier's delivery event tells the customer; a failed attempt is followed by another, or a return. */
export const NOTICE_AFTER_DELIVERY_STATUS: Partial<Record<DeliveryStatus, OrderNotice>> = {
  PICKED_UP: 'HANDED_TO_CARRIER',
  IN_TRANSIT: 'OUT_FOR_DELIVERY',
  DELIVERED: 'DELIVERED',
  RETURNED: 'CANCELLED',
};

/** What a notice says about an order, read when it is sent. */
export interface NoticeFacts {
  firstName: string;
  orderCode: string;
  totalVnd: number;
  trackingNumber: string | null;
}

const WORDING: Record<OrderNotice, { vi: string; en: string }> = {
  PLACED: { vi: 'đã được tiếp nhận', en: 'has been received' },
  HANDED_TO_CARRIER: { vi: 'đã được giao cho đơn vị vận chuyển', en: 'has been handed to the carrier' },
  OUT_FOR_DELIVERY: { vi: 'đang được giao đến bạn', en: 'is out for delivery' },
  DELIVERED: { vi: 'đã được giao thành công', en: 'has been delivered' },
  CANCELLED: { vi: 'đã bị hủy', en: 'has been cancelled' },
};

function vnd(amount: number): string {
  return `${amount.toLocaleString('vi-VN')} ₫`;
}

/** A transactional email: no unsubscribe link, since it serves the order, not a topic. */
export function orderNoticeMail(
  notice: OrderNotice,
  facts: NoticeFacts,
): { subject: string; text: string; html: string } {
  const { vi, en } = WORDING[notice];
  const tracking = facts.trackingNumber ? ` Mã vận đơn / tracking number: ${facts.trackingNumber}.` : '';
  const paragraphs = [
    `Chào ${facts.firstName},\nĐơn hàng ${facts.orderCode} (${vnd(facts.totalVnd)}) của bạn ${vi}.${tracking}`,
    `Hello ${facts.firstName},\nYour order ${facts.orderCode} (${vnd(facts.totalVnd)}) ${en}.`,
    'Petto — petto.vn',
  ];
  return {
    subject: `Petto: đơn hàng ${facts.orderCode} ${vi} / Order ${facts.orderCode} ${en}`,
    text: paragraphs.join('\n\n'),
    html: paragraphsHtml(paragraphs),
  };
}

/** The thank-you letter after a delivery, for customers who asked for thank-you letters. */
export function thankYouMail(facts: NoticeFacts): { subject: string; text: string; html: string } {
  const paragraphs = [
    `Chào ${facts.firstName},\nCảm ơn bạn đã mua sắm tại Petto. Chúc thú cưng của bạn luôn khỏe mạnh!`,
    `Hello ${facts.firstName},\nThank you for shopping at Petto. We wish your pet the best of health!`,
  ];
  return {
    subject: 'Petto cảm ơn bạn / Thank you from Petto',
    text: paragraphs.join('\n\n'),
    html: paragraphsHtml(paragraphs),
  };
}
