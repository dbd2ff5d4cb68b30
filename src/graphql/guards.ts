import type { EntityManager } from 'typeorm';
import { mayPerform, type Action } from '../policy';
import { RuleViolation } from '../rule-violation';
import type { GatewayContext } from './context';
import { badInput, gatewayError } from './errors';
import { createLoaders } from './loaders';

/** Refuses a write the principal's role may not perform. */
export function authorize(context: GatewayContext, action: Action): void {
  if (!mayPerform(context.principal, action)) {
    throw gatewayError('FORBIDDEN', `${context.principal.role} may not ${action.toLowerCase().replace(/_/g, ' ')}`);
  }
}

/** Refuses a read the principal's role has no part in. */
export function forbid(context: GatewayContext, what: string): never {
  throw gatewayError('FORBIDDEN', `${context.principal.role} may not read ${what}`);
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
    const committed = await context.db.transaction(work);
    context.loaders = createLoaders(context.db.manager, context);
    return committed;
  } catch (error) {
    if (error instanceof RuleViolation) {
      throw badInput({ argumentPath: [...argumentPrefix, error.field], message: error.message });
    }
    throw error;
  }
}
