import DataLoader from 'dataloader';
import type { GatewayContext } from '../context';
import type { Page } from '../../db/keyset';
import type { DataSubjectRequest, DataSubjectRequestEvent } from '../../data-subject/request.entity';
import { requestHistories, requestsOfCustomers } from '../../data-subject/request.store';

const historyLoaders = new WeakMap<GatewayContext, DataLoader<string, DataSubjectRequestEvent[]>>();

/** One statement for the histories of every request in a response, per request context. */
export function requestHistoryLoader(context: GatewayContext): DataLoader<string, DataSubjectRequestEvent[]> {
  let loader = historyLoaders.get(context);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const found = await requestHistories(context.dataSource.manager, ids);
      return ids.map((id) => found.get(id) ?? []);
    });
    historyLoaders.set(context, loader);
  }
  return loader;
}

const pagedLoaders = new WeakMap<GatewayContext, Map<string, DataLoader<string, DataSubjectRequest[]>>>();

/** One statement for the requests of every customer in a response, per request context and page. */
export function customerRequestsLoader(context: GatewayContext, page: Page): DataLoader<string, DataSubjectRequest[]> {
  let byPage = pagedLoaders.get(context);
  if (!byPage) {
    byPage = new Map();
    pagedLoaders.set(context, byPage);
  }
  const key = JSON.stringify(page);
  let loader = byPage.get(key);
  if (!loader) {
    loader = new DataLoader(async (customerIds) => {
      const found = await requestsOfCustomers(context.dataSource.manager, customerIds, page);
      return customerIds.map((id) => found.get(id) ?? []);
    });
    byPage.set(key, loader);
  }
  return loader;
}
