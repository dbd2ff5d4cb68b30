import DataLoader from 'dataloader';
import type { GatewayContext } from '../graphql/context';
import type { DataSubjectRequestEventView } from './request.entity';
import { requestHistories } from './request.store';

const historyLoaders = new WeakMap<GatewayContext, DataLoader<string, DataSubjectRequestEventView[]>>();

/** One statement for the histories of every request in a response, per request context. */
export function requestHistoryLoader(context: GatewayContext): DataLoader<string, DataSubjectRequestEventView[]> {
  let loader = historyLoaders.get(context);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const found = await requestHistories(context.db.manager, ids);
      return ids.map((id) => found.get(id) ?? []);
    });
    historyLoaders.set(context, loader);
  }
  return loader;
}
