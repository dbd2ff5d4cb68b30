import type { EntityManager } from 'typeorm';
import { decideActionReach, decideReach, mayPerform, type Action, type Entry, type RowFilter } from '../policy';
import { RuleViolation } from '../rule-violation';
import type { GatewayContext } from './context';
import { badInput, gatewayError } from './errors';
import { createLoaders } from './loaders';

/** Refuses a write the principal's role may not perform. */
export function authorize(context: GatewayContext, action: Action): void {
  if (!mayPerform(context.principal, action)) {
    throw gatewayError('FORBIDDEN', `${context.principal.role} may not ${describe(action)}`);
  }
}

/**
 * Takes a root entry into personal data: the rows the policy lets this request reach,
 * or a refusal of the whole request.
 */
export function enter(context: GatewayContext, entry: Entry): RowFilter {
  const decision = decideReach(context.principal, context.declaredPurpose, entry, context.clock);
  if (!decision.allowed) {
    throw gatewayError('FORBIDDEN', `${context.principal.role} may not use ${entry} (${decision.reason})`, {
      reason: decision.reason,
    });
  }
  return decision.filter;
}

/** The rows a write may change, for an action the principal may perform. */
export function rowsToChange(context: GatewayContext, action: Action): RowFilter {
  authorize(context, action);
  const decision = decideActionReach(context.principal, action, context.clock);
  if (!decision.allowed) throw gatewayError('FORBIDDEN', `${context.principal.role} may not ${describe(action)}`);
  return decision.filter;
}

function describe(action: Action): string {
  return action.toLowerCase().replace(/_/g, ' ');
}

/**
 * Runs a mutation's work in one transaction: all of it is written or none. A rule the
 * domain refuses becomes BAD_USER_INPUT at the offending argument. Once committed, the
 * request's loaders start afresh: what they read before the write (for an earlier reply
 * of the same request) is stale, and this reply must show what was committed.
 */
export async function inTransaction<T>(
  context: GatewayContext,
  argumentPrefix: string[],
  work: (db: EntityManager) => Promise<T>,
): Promise<T> {
  try {
    const committed = await context.dataSource.transaction(work);
    context.loaders = createLoaders(context.dataSource.manager);
    return committed;
  } catch (error) {
    if (error instanceof RuleViolation) {
      throw badInput({ argumentPath: [...argumentPrefix, error.field], message: error.message });
    }
    throw error;
  }
}
