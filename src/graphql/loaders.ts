import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { releasesOfCustomers } from '../audit/audit.store';
import type { ConsentRecord } from '../consents/consent-record.entity';
import { consentHistories, currentConsents } from '../consents/consent.store';
import type { Consent } from '../consents/consent.type';
import type { Customer, CustomerStanding } from '../customers/customer.entity';
import { customersByIds, customerStandings } from '../customers/customer.store';
import type { Order } from '../orders/order.entity';
import type { OrderItem } from '../orders/order-item.entity';
import { itemsOfOrders, ordersOfCustomers, shipmentsOfOrders } from '../orders/order.store';
import type { RowFilter } from '../policy';
import type { Shipment } from '../orders/shipment.entity';
import type { Page } from '../db/keyset';
import { groupBy, indexBy } from '../collections';

/** A loader per distinct page argument and row filter, each batched across parents. */
function pagedLoaders<T>(
  load: (parentIds: readonly string[], page: Page, filter: RowFilter) => Promise<Map<string, T[]>>,
) {
  const byPage = new Map<string, DataLoader<string, T[]>>();
  return (page: Page, filter: RowFilter = {}): DataLoader<string, T[]> => {
    const key = JSON.stringify([page, filter]);
    let loader = byPage.get(key);
    if (!loader) {
      loader = new DataLoader<string, T[]>(async (parentIds) => {
        const found = await load(parentIds, page, filter);
        return parentIds.map((id) => found.get(id) ?? []);
      });
      byPage.set(key, loader);
    }
    return loader;
  };
}

/**
 * Per-request batching: a list of N parents costs one statement per relation, not N
 * (no N+1 queries, whatever the depth of the query). Made afresh for every request so
 * nothing is shared between principals.
 */
export function createLoaders(db: EntityManager) {
  // Primed by Customer.orders with the standing read on the customer's own row, so that a
  // page of customers with their orders' shipments reads no standing twice.
  const customerStanding = new DataLoader<string, CustomerStanding | null>(async (ids) => {
    const found = await customerStandings(db, ids);
    return ids.map((id) => found.get(id) ?? null);
  });
  const standingsOf = async (customerIds: string[]) => {
    const standings = await customerStanding.loadMany(customerIds);
    return new Map(
      customerIds.flatMap((id, index) => {
        const standing = standings[index];
        if (standing instanceof Error) throw standing;
        return standing ? [[id, standing] as const] : [];
      }),
    );
  };
  return {
    customer: new DataLoader<string, Customer | null>(async (ids) => {
      const found = indexBy(await customersByIds(db, ids), (c) => c.id);
      return ids.map((id) => found.get(id) ?? null);
    }),
    customerStanding,
    // Keyed by the order, whose customer and closing the policy needs alongside the shipment.
    shipment: new DataLoader<Order, Shipment | null, string>(
      async (orders) => {
        const found = indexBy(await shipmentsOfOrders(db, orders, standingsOf), (s) => s.orderId);
        return orders.map((order) => found.get(order.id) ?? null);
      },
      { cacheKeyFn: (order) => order.id },
    ),
    items: new DataLoader<string, OrderItem[]>(async (orderIds) => {
      const found = groupBy(await itemsOfOrders(db, orderIds), (i) => i.orderId);
      return orderIds.map((id) => found.get(id) ?? []);
    }),
    consentHistory: new DataLoader<string, ConsentRecord[]>(async (customerIds) => {
      const found = groupBy(await consentHistories(db, customerIds), (r) => r.customerId);
      return customerIds.map((id) => found.get(id) ?? []);
    }),
    consents: new DataLoader<string, Consent[]>(async (customerIds) => {
      const found = await currentConsents(db, customerIds);
      return customerIds.map((id) => found.get(id) ?? []);
    }),
    ordersOfCustomer: pagedLoaders((customerIds, page, filter) => ordersOfCustomers(db, filter, customerIds, page)),
    disclosuresOfCustomer: pagedLoaders((customerIds, page) => releasesOfCustomers(db, customerIds, page)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
