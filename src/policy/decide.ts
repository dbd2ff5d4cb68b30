/**
 * The policy decision: pure, synchronous, no I/O. Given who asks, why, for which
 * field and what is true of the data subject, it answers allow or deny with a reason.
 * Every release of personal data in the gateway goes through `decide`; nothing else
 * decides. The terms the decisions share are in terms.ts, the reach of entries into
 * personal data in reach.ts, what each audience reaches at all in audience.ts, the
 * decision to send a person a message in send.ts; all are exported from here.
 */
import {
  LEGAL_BASIS,
  ONE_SUBJECT_PURPOSES,
  PROTECTED_FIELDS,
  PURPOSES_AFTER_DEREGISTRATION,
  RESTRICTING_KINDS,
  ROLE_RULES,
  type ProtectedField,
  subjectTypeOf,
} from './rules';
import { deny } from './denial';
import { fittingCase, isCaseBound, isObjectedTo, restrictionWithholds } from './cases';
import {
  shippingRetentionCutoff,
  resolvePurpose,
  type Decision,
  type PolicyClock,
  type Principal,
  type SubjectFacts,
} from './terms';
import type { DenialReason, Purpose } from './vocabulary';

export * from './terms';
export * from './reach';
export * from './audience';
export * from './cases';
export * from './deadlines';
export * from './send';

/**
 * Whether the principal may use the field at all under the declared purpose, whatever
 * the subject: role × purpose × field. Searching or filtering by a field needs this too.
 */
export function decideUse(principal: Principal, declared: Purpose | undefined, field: ProtectedField): Decision {
  const purpose = resolvePurpose(principal, declared);
  if (!purpose.allowed) return purpose;
  const allowedPurposes: readonly Purpose[] = PROTECTED_FIELDS[field].purposes;
  return allowedPurposes.includes(purpose.purpose) ? purpose : deny('PURPOSE_NOT_ALLOWED');
}

/** Whether the principal may read the field of this particular subject. */
export function decide(
  principal: Principal,
  declared: Purpose | undefined,
  field: ProtectedField,
  subject: SubjectFacts,
  clock: PolicyClock,
): Decision {
  const use = decideUse(principal, declared, field);
  if (!use.allowed) return use;

  const isShipmentField = subjectTypeOf(field) === 'Shipment';
  const scopeDenial = isShipmentField ? shipmentScopeDenial(principal, subject) : undefined;
  if (scopeDenial) return deny(scopeDenial);
  if (ONE_SUBJECT_PURPOSES.includes(use.purpose) && subject.reachedAmongMany) return deny('ONE_SUBJECT_AT_A_TIME');
  if (restrictionWithholds(use.purpose, isShipmentField, subject)) return deny('RESTRICTED');

  if (LEGAL_BASIS[use.purpose] === 'CONSENT' && subject.consentGranted !== true) {
    return deny('CONSENT_REQUIRED');
  }
  if (isObjectedTo(use.purpose, subject)) return deny('CONSENT_REQUIRED');
  if (purposeHasEnded(use.purpose, isShipmentField, subject, clock)) return deny('RETENTION_EXPIRED');
  const underCase = isCaseBound(use.purpose) ? fittingCase('READ_CONTACT', subject) : undefined;
  if (isCaseBound(use.purpose) && !underCase) return deny('NO_OPEN_REQUEST');
  if (subject.disclosureLimitReached) return deny('DISCLOSURE_LIMIT');
  return underCase ? { ...use, caseId: underCase.id } : use;
}

/**
 * Data is used only until its purpose ends (design: P5, P6). The person's own requests
 * (a legal obligation) are never cut off by it.
 */
function purposeHasEnded(
  purpose: Purpose,
  isShipmentField: boolean,
  subject: SubjectFacts,
  clock: PolicyClock,
): boolean {
  if (LEGAL_BASIS[purpose] === 'LEGAL_OBLIGATION') return false;
  const orderClosedAt = subject.shipment?.orderClosedAt ?? null;
  if (subject.deregistered) {
    const openOrderLeft = isShipmentField ? orderClosedAt === null : subject.hasOpenOrders === true;
    if (!PURPOSES_AFTER_DEREGISTRATION.includes(purpose) || !openOrderLeft) return true;
  }
  return isShipmentField && orderClosedAt !== null && orderClosedAt < shippingRetentionCutoff(clock);
}

function shipmentScopeDenial(principal: Principal, subject: SubjectFacts): DenialReason | undefined {
  if (!ROLE_RULES[principal.role].actsForCarrier) return undefined;
  const shipment = subject.shipment;
  if (!shipment || principal.carrierId === undefined || shipment.carrierId !== principal.carrierId) {
    return 'OUT_OF_SCOPE';
  }
  // Once delivered, the carrier's purpose for the recipient's contact data has ended (design: P5).
  return shipment.active ? undefined : 'RETENTION_EXPIRED';
}

/**
 * Whether a grant of consent may be recorded for the subject: once the customer has
 * cancelled their registration (or been erased, which implies it), nothing new is
 * collected about them (design: P6), and a grant would bring them back into audiences.
 */
export function mayRecordGrant(subject: SubjectFacts): boolean {
  return subject.deregistered !== true;
}

/** What a customer may be, as far as the policy asks: the states a search can tell apart in SQL. */
export interface CustomerState {
  deregistered: boolean;
  hasOpenOrders: boolean;
  /** An open request restricts the use of their data (RESTRICTING_KINDS). */
  restricted: boolean;
}

const CUSTOMER_STATES: readonly CustomerState[] = [false, true].flatMap((deregistered) =>
  [false, true].flatMap((hasOpenOrders) =>
    [false, true].map((restricted) => ({ deregistered, hasOpenOrders, restricted })),
  ),
);

/** The facts of a customer in that state, as a search result with no topic consented to. */
function factsOfState({ deregistered, hasOpenOrders, restricted }: CustomerState): SubjectFacts {
  const openRequests = restricted ? RESTRICTING_KINDS.map((kind) => ({ id: 'state', kind })) : [];
  return { deregistered, hasOpenOrders, openRequests, reachedAmongMany: true };
}

export type MatchDecision =
  { allowed: true; states: readonly CustomerState[] } | { allowed: false; reason: DenialReason };

/**
 * Matching customers by a protected field is reading it: the states of customer that
 * `decide` would release the field for, as one of many search results, with no topic
 * consented to. A store matches only customers in one of those states; each match is
 * then decided again, with the budget, by `decide` itself.
 */
export function decideMatch(
  principal: Principal,
  declared: Purpose | undefined,
  field: ProtectedField,
  clock: PolicyClock,
): MatchDecision {
  const decisions = CUSTOMER_STATES.map((state) => ({
    state,
    decision: decide(principal, declared, field, factsOfState(state), clock),
  }));
  const states = decisions.filter(({ decision }) => decision.allowed).map(({ state }) => state);
  if (states.length > 0) return { allowed: true, states };
  const [first] = decisions.map(({ decision }) => decision);
  return deny(first.allowed ? 'OUT_OF_SCOPE' : first.reason);
}
