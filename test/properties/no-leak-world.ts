import type { DataSource } from 'typeorm';
import type { ConsentStatus } from '../../src/consents/consent-vocabulary';
import { ACTIVE_DELIVERY_STATUSES, type DeliveryStatus } from '../../src/orders/order-lifecycle';
import type { ConsentTopic, OpenRequest, ProtectedField, RequestKind, Role } from '../../src/policy';

/**
 * The world of the no-leak property (test/properties/no-leak.test.ts) and the pieces of
 * its oracle that do not need the gateway: the query shapes drawn, search terms and what
 * they may match, and the facts read straight from the tables.
 */

export const CARRIERS = ['ghn', 'viettel-post'] as const;

export interface Shape {
  text: string;
  /** Whether the root reaches one subject or many: the data-subject purpose reads only the former. */
  root: 'ONE' | 'MANY';
  /** Shapes whose uses are rare under random principals are drawn more often, so they are exercised. */
  weight: number;
  /**
   * The roles that can take this shape somewhere, the one it is for first: most draws pick
   * one of them (the first one most), the rest any role.
   */
  roles: readonly Role[];
}

export const SHAPES = {
  customers: {
    root: 'MANY',
    weight: 1,
    roles: ['SUPPORT_AGENT', 'PRIVACY_OFFICER'],
    text: `{ customers{ edges { node { id fullName email phone
      orders { edges { node { shipment { recipientName recipientPhone address { street } } } } } } } } }`,
  },
  customer: {
    root: 'ONE',
    weight: 1,
    roles: ['SUPPORT_AGENT', 'PRIVACY_OFFICER', 'MARKETING'],
    text: `query($customerId: ID!) { customer(id: $customerId) { fullName email phone } }`,
  },
  orders: {
    root: 'MANY',
    weight: 1,
    roles: ['ORDER_PROCESSOR', 'CARRIER'],
    text: `{ orders{ edges { node { customer { fullName email phone }
      shipment { carrierId recipientName recipientPhone address { street } } } } } }`,
  },
  order: {
    root: 'ONE',
    weight: 1,
    roles: ['ORDER_PROCESSOR', 'CARRIER', 'PRIVACY_OFFICER'],
    text: `query($orderId: ID!) { order(id: $orderId) { customer { email phone } shipment { recipientPhone address { street } } } }`,
  },
  deliveries: {
    root: 'MANY',
    weight: 1,
    roles: ['CARRIER'],
    text: `{ deliveries{ edges { node { customer { email } shipment { recipientName recipientPhone address { street } } } } } }`,
  },
  audience: {
    root: 'MANY',
    weight: 1,
    roles: ['MARKETING'],
    text: `query($topic: ConsentTopic!) { marketingAudience(topic: $topic) { edges { node { fullName email phone
      orders { edges { node { shipment { recipientPhone } } } } } } } }`,
  },
  searchIds: {
    root: 'MANY',
    weight: 3,
    roles: ['SUPPORT_AGENT', 'PRIVACY_OFFICER', 'ANALYST'],
    text: `query($search: String!) { customers(search: $search) { edges { node { id } } } }`,
  },
  searchFields: {
    root: 'MANY',
    weight: 3,
    roles: ['SUPPORT_AGENT', 'PRIVACY_OFFICER', 'ANALYST'],
    text: `query($search: String!) { customers(search: $search) { edges { node { id fullName email phone } } } }`,
  },
  customerUses: {
    root: 'ONE',
    weight: 2,
    roles: ['MARKETING', 'SUPPORT_AGENT', 'PRIVACY_OFFICER'],
    text: `query($customerId: ID!, $linkTopic: ConsentTopic) { customer(id: $customerId) {
      id unsubscribeUrl(topic: $linkTopic) consents { topic status } consentHistory { topic } } }`,
  },
  audienceUses: {
    root: 'MANY',
    weight: 2,
    roles: ['MARKETING'],
    text: `query($topic: ConsentTopic!, $linkTopic: ConsentTopic) { marketingAudience(topic: $topic) { edges { node {
      id unsubscribeUrl(topic: $linkTopic) consents { topic status } consentHistory { topic } } } } }`,
  },
  customersConsents: {
    root: 'MANY',
    weight: 1,
    roles: ['ANALYST', 'SUPPORT_AGENT', 'MARKETING'],
    text: `{ customers { edges { node { id consents { topic status } } } } }`,
  },
} as const satisfies Record<string, Shape>;

export type QueryName = keyof typeof SHAPES;
export const QUERY_NAMES = Object.keys(SHAPES) as QueryName[];
export const SEARCHES: ReadonlySet<QueryName> = new Set(['searchIds', 'searchFields']);
/** Roots whose rows are the audience of the topic asked: the only way MARKETING reaches consent state. */
export const AUDIENCES: ReadonlySet<QueryName> = new Set(['audience', 'audienceUses']);

/** How a search term is drawn from a customer's contact data: whole values, and pieces that must match nobody. */
export const TERM_KINDS = [
  'EMAIL',
  'EMAIL_PREFIX',
  'EMAIL_SUBSTRING',
  'PHONE_E164',
  'PHONE_NATIONAL',
  'PHONE_84',
  'PHONE_PREFIX',
  'FULL_NAME',
  'NAME_PLAIN',
  'NAME_WORD',
  'ONE_CHAR',
] as const;
export type TermKind = (typeof TERM_KINDS)[number];

export interface CustomerRow {
  id: string;
  fullName: string;
  email: string;
  phone: string;
}

export interface Secret {
  value: string;
  field: ProtectedField;
  customerId: string;
  orderId?: string;
}

/** What the tables say of each subject in this run: the oracle's facts. */
export interface Facts {
  customers: Map<
    string,
    {
      deregistered: boolean;
      hasOpenOrders: boolean;
      consents: Map<ConsentTopic, ConsentStatus>;
      openRequests: OpenRequest[];
    }
  >;
  shipments: Map<
    string,
    {
      carrierId: string | null;
      active: boolean;
      orderClosedAt: Date | null;
      deregistered: boolean;
      openRequests: OpenRequest[];
    }
  >;
}

/** Written by the oracle, independently of src/customers: letters without Vietnamese marks, lower case. */
export function plain(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, (d) => (d === 'đ' ? 'd' : 'D'));
}

export function plainWords(text: string): string[] {
  return plain(text)
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

export function randomCase(text: string, mask: number): string {
  return [...text].map((c, i) => ((mask >> (i % 30)) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');
}

export function termOf(kind: TermKind, customer: CustomerRow, cut: number, mask: number): string {
  const { email, fullName } = customer;
  const national = customer.phone.slice(3);
  const groups = `${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}`;
  const words = plain(fullName).split(' ');
  switch (kind) {
    case 'EMAIL':
      return randomCase(email, mask);
    case 'EMAIL_PREFIX': {
      // Half of them past the @, where a store comparing prefixes would take them for emails.
      const from = mask % 2 ? email.indexOf('@') + 1 : 1;
      return email.slice(0, from + (cut % (email.length - from)));
    }
    case 'EMAIL_SUBSTRING': {
      const start = 1 + (cut % (email.length - 2));
      return email.slice(start, start + 1 + ((cut >> 8) % (email.length - start - 1)));
    }
    case 'PHONE_E164':
      return mask % 2 ? `+84${national}` : `+84 ${groups}`;
    case 'PHONE_NATIONAL':
      return `0${groups}`;
    case 'PHONE_84':
      return `84-${groups.replace(/ /g, '-')}`;
    case 'PHONE_PREFIX':
      return `${['0', '+84', '84-'][mask % 3]}${national.slice(0, 1 + (cut % (national.length - 1)))}`;
    case 'FULL_NAME':
      return randomCase(fullName, mask);
    case 'NAME_PLAIN':
      return randomCase(plain(fullName), mask);
    case 'NAME_WORD':
      return fullName.split(' ')[cut % words.length];
    case 'ONE_CHAR': {
      const initial = words[cut % words.length][0];
      return mask % 2 ? initial : `${words[(cut + 1) % words.length]} ${initial}`;
    }
  }
}

/**
 * What a search term may match, as the contract states it: contact fields only by their
 * whole value (an email in any case; a phone number in the usual forms), names by whole
 * words of at least two characters.
 */
export function readTerm(term: string): {
  field: ProtectedField;
  valid: boolean;
  matches: (c: CustomerRow) => boolean;
} {
  const text = term.trim();
  if (text.includes('@')) {
    return { field: 'Customer.email', valid: true, matches: (c) => text.toLowerCase() === c.email };
  }
  if (/^[+\d\s.\-()]+$/.test(text)) {
    const compact = text.replace(/[\s.\-()]/g, '');
    return {
      field: 'Customer.phone',
      valid: /^(?:\+84|84|0)(?:[35789]\d{8}|2\d{9})$/.test(compact),
      matches: (c) => ['+84', '84', '0'].some((lead) => compact === `${lead}${c.phone.slice(3)}`),
    };
  }
  const words = plainWords(text);
  const valid = words.length > 0 && words.length <= 6 && words.every((word) => word.length >= 2);
  return {
    field: 'Customer.fullName',
    valid,
    matches: (c) => valid && words.every((word) => plainWords(c.fullName).includes(word)),
  };
}

/** Every string anywhere in the response. */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(strings);
}

/** Every object in the response that stands for one of the customers (it shows their id). */
export function customerNodes(value: unknown, ids: ReadonlySet<string>): Record<string, unknown>[] {
  if (value === null || typeof value !== 'object') return [];
  const node = value as Record<string, unknown>;
  const here = typeof node.id === 'string' && ids.has(node.id) ? [node] : [];
  return [...here, ...Object.values(node).flatMap((child) => customerNodes(child, ids))];
}

export const sorted = (values: Iterable<string>) => [...values].sort();

export async function readFacts(db: DataSource): Promise<Facts> {
  const customers: { id: string; deregistered: boolean; has_open_orders: boolean }[] = await db.query(
    `SELECT c.id, c.deregistered_at IS NOT NULL AS deregistered,
            EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.closed_at IS NULL) AS has_open_orders
       FROM customers c`,
  );
  // The latest record per customer and topic is the consent in force (the history is append-only).
  const consents: { customer_id: string; topic: ConsentTopic; status: ConsentStatus }[] = await db.query(
    `SELECT DISTINCT ON (customer_id, topic) customer_id, topic, status
       FROM consent_records ORDER BY customer_id, topic, recorded_at DESC, id DESC`,
  );
  const shipments: {
    order_id: string;
    customer_id: string;
    carrier_id: string | null;
    status: DeliveryStatus | null;
    closed_at: Date | null;
    deregistered: boolean;
  }[] = await db.query(
    `SELECT s.order_id, o.customer_id, s.carrier_id, s.status, o.closed_at, c.deregistered_at IS NOT NULL AS deregistered
       FROM shipments s JOIN orders o ON o.id = s.order_id JOIN customers c ON c.id = o.customer_id`,
  );
  // A request is open until its history records it closed; the oldest comes first.
  const requests: { id: string; customer_id: string; kind: RequestKind }[] = await db.query(
    `SELECT r.id, r.customer_id, r.kind FROM data_subject_requests r
      WHERE NOT EXISTS (SELECT 1 FROM data_subject_request_events e WHERE e.request_id = r.id AND e.event = 'CLOSED')
      ORDER BY r.received_at, r.id`,
  );
  const openRequestsOf = (customerId: string): OpenRequest[] =>
    requests.filter((r) => r.customer_id === customerId).map(({ id, kind }) => ({ id, kind }));
  const facts: Facts = { customers: new Map(), shipments: new Map() };
  for (const c of customers) {
    facts.customers.set(c.id, {
      deregistered: c.deregistered,
      hasOpenOrders: c.has_open_orders,
      consents: new Map(),
      openRequests: openRequestsOf(c.id),
    });
  }
  for (const r of consents) facts.customers.get(r.customer_id)?.consents.set(r.topic, r.status);
  for (const s of shipments) {
    facts.shipments.set(s.order_id, {
      carrierId: s.carrier_id,
      active: s.status !== null && ACTIVE_DELIVERY_STATUSES.includes(s.status),
      orderClosedAt: s.closed_at === null ? null : new Date(s.closed_at),
      deregistered: s.deregistered,
      openRequests: openRequestsOf(s.customer_id),
    });
  }
  return facts;
}

/** The demo shop's customers and shipments, as the property test draws on them. */
export interface World {
  customers: CustomerRow[];
  customerIds: string[];
  orderIds: string[];
  /** Every personal value in the tables, with the field and subject it belongs to. */
  secrets: Secret[];
}

/** Makes every personal value in the demo shop unique to one field, and reads them all. */
export async function prepareWorld(db: DataSource): Promise<World> {
  // Recipients distinct from the customers, so every value has exactly one owner field.
  await db.query(`UPDATE shipments s SET recipient_name = 'Người nhận ' || o.code,
      recipient_phone = '+8470' || right(o.code, 7), street = 'Số ' || o.code || ' Đường Thử'
    FROM orders o WHERE o.id = s.order_id`);
  // The demo shop's first customer has the very number error messages give as an example
  // (0912 345 678): renumbered, so that an echo of a real number cannot hide behind it.
  await db.query(`UPDATE customers c SET phone = '+8493' || lpad(x.n::text, 7, '0')
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM customers) x WHERE c.id = x.id`);
  const customers: CustomerRow[] = await db.query(
    'SELECT id, full_name AS "fullName", email, phone FROM customers ORDER BY id',
  );
  const shipments: {
    order_id: string;
    customer_id: string;
    recipient_name: string;
    recipient_phone: string;
    street: string;
  }[] = await db.query(
    'SELECT s.order_id, o.customer_id, s.recipient_name, s.recipient_phone, s.street FROM shipments s JOIN orders o ON o.id = s.order_id ORDER BY s.order_id',
  );
  const customerIds = customers.map((c) => c.id);
  const orderIds = shipments.map((s) => s.order_id);
  const secrets: Secret[] = [
    ...customers.flatMap((c) => [
      { value: c.fullName, field: 'Customer.fullName' as const, customerId: c.id },
      { value: c.email, field: 'Customer.email' as const, customerId: c.id },
      { value: c.phone, field: 'Customer.phone' as const, customerId: c.id },
    ]),
    ...shipments.flatMap((s) => [
      {
        value: s.recipient_name,
        field: 'Shipment.recipientName' as const,
        customerId: s.customer_id,
        orderId: s.order_id,
      },
      {
        value: s.recipient_phone,
        field: 'Shipment.recipientPhone' as const,
        customerId: s.customer_id,
        orderId: s.order_id,
      },
      { value: s.street, field: 'Shipment.address' as const, customerId: s.customer_id, orderId: s.order_id },
    ]),
  ];
  return { customers, customerIds, orderIds, secrets };
}
