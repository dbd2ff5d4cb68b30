/**
 * Decisions bound to data-subject requests: which open case a use is made under, whether
 * an action may be taken for a person, and whether the person's data is restricted.
 * Pure, like the rest of the policy.
 */
import {
  ACTION_PURPOSES,
  CASE_BOUND_ACTIONS,
  CASE_BOUND_ENTRIES,
  CASE_BOUND_PURPOSES,
  CASE_KINDS_FOR_USE,
  LEGAL_BASIS,
  PURPOSES_DELIVERING_OPEN_ORDERS,
  PURPOSES_DURING_RESTRICTION,
  PURPOSES_OBJECTED_TO,
  RESTRICTING_KINDS,
  type Action,
  type CaseUse,
  type Entry,
} from './rules';
import { deny } from './denial';
import { mayPerform, purposesOf, resolvePurpose, type OpenRequest, type Principal, type SubjectFacts } from './terms';
import type { DenialReason, Purpose, RequestKind } from './vocabulary';

export type CaseDecision = { allowed: true; caseId: string | null } | { allowed: false; reason: DenialReason };

/** The oldest open request of the person that fits the use, if any. */
export function fittingCase(use: CaseUse, subject: SubjectFacts): OpenRequest | undefined {
  return subject.openRequests?.find((request) => CASE_KINDS_FOR_USE[use].includes(request.kind));
}

export function isCaseBound(purpose: Purpose): boolean {
  return CASE_BOUND_PURPOSES.includes(purpose);
}

/**
 * Whether a use may be made of the person's data under the purpose the request acts
 * under: outside a case-bound purpose, always (the other rules decide); under one, only
 * with an open request of a fitting kind, which the decision names.
 */
export function decideCaseUse(
  principal: Principal,
  declared: Purpose | undefined,
  use: CaseUse,
  subject: SubjectFacts,
): CaseDecision {
  const purpose = resolvePurpose(principal, declared);
  // A role with purposes acts under one of them or not at all; one without (the storefront) under none.
  if (!purpose.allowed) return purposesOf(principal).length === 0 ? { allowed: true, caseId: null } : purpose;
  if (!isCaseBound(purpose.purpose)) return { allowed: true, caseId: null };
  const found = fittingCase(use, subject);
  return found ? { allowed: true, caseId: found.id } : deny('NO_OPEN_REQUEST');
}

/** The case use a root entry is, if it is bound to one. */
export function caseUseOfEntry(entry: Entry): CaseUse | undefined {
  return CASE_BOUND_ENTRIES[entry];
}

/**
 * Whether the principal may take the action for this person: the role performs it, under
 * a purpose that allows it, and under a case-bound purpose with a fitting open request.
 */
export function decideAction(
  principal: Principal,
  declared: Purpose | undefined,
  action: Action,
  subject: SubjectFacts,
): CaseDecision {
  if (!mayPerform(principal, action)) return deny('OUT_OF_SCOPE');
  const required = ACTION_PURPOSES[action];
  if (required && purposesOf(principal).length > 0) {
    const purpose = resolvePurpose(principal, declared);
    if (!purpose.allowed) return purpose;
    if (!required.includes(purpose.purpose)) return deny('PURPOSE_NOT_ALLOWED');
  }
  const use = CASE_BOUND_ACTIONS[action];
  return use ? decideCaseUse(principal, declared, use, subject) : { allowed: true, caseId: null };
}

/** Whether the person has an open request that restricts the use of their data. */
export function isRestricted(subject: SubjectFacts): boolean {
  return subject.openRequests?.some((request) => RESTRICTING_KINDS.includes(request.kind)) === true;
}

/**
 * While restricted, the person's data serves only their own requests and the delivery
 * of orders already open: the shipping block of an open order, to process and ship it.
 */
export function restrictionWithholds(purpose: Purpose, isShipmentField: boolean, subject: SubjectFacts): boolean {
  if (!isRestricted(subject) || PURPOSES_DURING_RESTRICTION.includes(purpose)) return false;
  const openOrder = isShipmentField && subject.shipment?.orderClosedAt === null;
  return !(openOrder && PURPOSES_DELIVERING_OPEN_ORDERS.includes(purpose));
}

/** Whether an open request of the person objects to this purpose (an objection to marketing). */
export function isObjectedTo(purpose: Purpose, subject: SubjectFacts): boolean {
  return subject.openRequests?.some((request) => PURPOSES_OBJECTED_TO[request.kind]?.includes(purpose)) === true;
}

/** Whether receiving a request of this kind withdraws the consents it objects to (every marketing topic). */
export function withdrawsConsentOnReceipt(kind: RequestKind): boolean {
  return PURPOSES_OBJECTED_TO[kind]?.some((purpose) => LEGAL_BASIS[purpose] === 'CONSENT') === true;
}
