import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { recordDisclosures } from '../../audit/audit.store';
import type { GatewayContext } from '../context';
import { auditUnavailableError } from '../errors';
import { logger } from '../../logger';
import { auditWriteFailures, countDisclosures } from '../../metrics';
import type { UseCoordinate } from '../../policy';
import type { ReleasedValue } from '../../audit/disclosure-terms';

/** Sets the value at `path` to null, wherever it is in the response. */
function takeBack(data: FormattedExecutionResult['data'], path: (string | number)[]): void {
  let node: unknown = data;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<string | number, unknown>)[key];
  }
  if (node !== null && typeof node === 'object')
    (node as Record<string | number, unknown>)[path[path.length - 1]] = null;
}

/**
 * After execution, before the response leaves: the request's uses and the budget they
 * spend, in one statement. Values of customers past the budget are taken back (the
 * ledger reports them as DISCLOSURE_LIMIT). If the write fails, every released value is
 * taken back and reported as AUDIT_UNAVAILABLE (fail closed).
 */
export async function auditResponse(
  context: GatewayContext,
  result: FormattedExecutionResult,
): Promise<GraphQLFormattedError[]> {
  const { disclosures } = context;
  const records = disclosures.disclosureRecords();
  if (records.length === 0) return [];
  let overBudget: ReadonlySet<string>;
  try {
    overBudget = await recordDisclosures(context.dataSource.manager, context, records, disclosures.budget);
  } catch (error) {
    auditWriteFailures.inc();
    logger.error({ err: error, requestId: context.requestId }, 'audit write failed: released values taken back');
    const counts = new Map<UseCoordinate, number>();
    for (const { coordinate, path } of disclosures.releasedValues()) {
      takeBack(result.data, path);
      counts.set(coordinate, (counts.get(coordinate) ?? 0) + 1);
    }
    return [...counts].map(([coordinate, count]) => auditUnavailableError(coordinate, count).toJSON());
  }
  for (const { decision, reason, customerIds } of records) {
    const refused = decision === 'WITHHELD' ? 0 : customerIds.filter((id) => overBudget.has(id)).length;
    countDisclosures(context.principal.role, decision, reason, Math.max(customerIds.length, 1) - refused);
    countDisclosures(context.principal.role, 'WITHHELD', 'DISCLOSURE_LIMIT', refused);
  }
  const refused: ReleasedValue[] = overBudget.size > 0 ? disclosures.overBudget(overBudget) : [];
  for (const { path } of refused) takeBack(result.data, path);
  return [];
}
