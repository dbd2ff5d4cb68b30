import { customersReleasedTo } from '../audit/audit.store';
import type { DisclosureLimits } from '../config';
import type { GatewayContext } from '../graphql/context';

/**
 * Before execution: the principal's disclosure budget, read from the audit trail itself,
 * so that limits hold across requests and across replicas.
 */
export async function loadDisclosureBudget(context: GatewayContext, limits: DisclosureLimits): Promise<void> {
  const limit = limits.perRole[context.principal.role];
  if (limit === undefined) return;
  const since = new Date(Date.now() - limits.windowMinutes * 60_000);
  const released = await customersReleasedTo(context.db.manager, context.principal.id, since);
  context.disclosures.limitDisclosures({ limit, released });
}
