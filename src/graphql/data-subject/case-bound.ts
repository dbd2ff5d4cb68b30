import type { EntityManager } from 'typeorm';
import type { PolicySubject } from '../../audit/disclosure-terms';
import type { GatewayContext } from '../context';
import { refusedUse } from '../errors';
import { decideAction, type Action, type OpenRequest, type SubjectFacts } from '../../policy';
import { appendRequestEvent } from '../../data-subject/request.store';

/**
 * An action for one person, as the policy allows it: refused with the policy's reason
 * (NO_OPEN_REQUEST, PURPOSE_NOT_ALLOWED, …), or allowed, under the case it names (null
 * when its purpose is bound to none).
 */
export function allowedUnderCase(context: GatewayContext, action: Action, subject: SubjectFacts): string | null {
  const decision = decideAction(context.principal, context.declaredPurpose, action, subject);
  if (!decision.allowed) throw refusedUse(action.toLowerCase().replace(/_/g, ' '), decision.reason, ['customerId']);
  return decision.caseId;
}

/** Writes in the case's history what was done under it. */
export async function recordUseOfCase(
  db: EntityManager,
  context: GatewayContext,
  caseId: string | null,
  detail: string,
): Promise<void> {
  if (caseId) await appendRequestEvent(db, caseId, 'USED', detail, context.principal.id, context.clock.now);
}

/**
 * The rows as the policy sees them under one case only: what the export releases is then
 * recorded under the access request it answers, not under another case of the person.
 * Each row keeps one stand-in, so the policy is still asked once per row.
 */
export function underOneCase(caseRequest: OpenRequest): (row: PolicySubject) => PolicySubject {
  const standIns = new WeakMap<PolicySubject, PolicySubject>();
  return (row) => {
    let standIn = standIns.get(row);
    if (!standIn) {
      standIn = {
        subjectCustomerId: row.subjectCustomerId,
        subjectFacts: () => ({ ...row.subjectFacts(), openRequests: [caseRequest] }),
      };
      standIns.set(row, standIn);
    }
    return standIn;
  };
}
