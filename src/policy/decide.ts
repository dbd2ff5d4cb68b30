/**
 * The policy decision: pure, synchronous, no I/O. Given who asks, why, for which
 * field and what is true of the data subject, it answers allow or deny with a reason.
 * Every release of personal data in the gateway goes through `decide`; nothing else
 * decides.
 */
import {
  ACTION_ENTRY,
  LEGAL_BASIS,
  ONE_SUBJECT_PURPOSES,
  PROTECTED_FIELDS,
  PURPOSES_AFTER_DEREGISTRATION,
  REACH,
  ROLE_RULES,
  type Action,
  type Entry,
  type ProtectedField,
  type RetentionWindows,
  type RowScope,
  subjectTypeOf,
} from './rules';
import type { DenialReason, Purpose, Role } from './vocabulary';

export interface Principal {
  id: string;
  role: Role;
  /** Set for CARRIER principals only: the carrier whose shipments they may see. */
  carrierId?: string;
}

/** What is true of the data subject, as read from the database in the same request. */
export interface SubjectFacts {
  /** For Shipment fields: whom it is assigned to, whether it is under way, and when its order closed. */
  shipment?: { carrierId: string | null; active: boolean; orderClosedAt: Date | null };
  /** The customer cancelled their registration (P6). */
  deregistered?: boolean;
  /** For Customer fields: whether the customer still has an open order. */
  hasOpenOrders?: boolean;
  /** For consent-based purposes: whether the latest consent for the topic in question is GRANTED. */
  consentGranted?: boolean;
  /**
   * Whether releasing this subject would take the principal past its budget of distinct
   * customers per window (P9: no bulk extraction). Subjects already released in the
   * window do not count again.
   */
  disclosureLimitReached?: boolean;
  /**
   * The subject was reached through an entry that reaches many subjects (a list or a
   * search) rather than looked up by itself.
   */
  reachedAmongMany?: boolean;
}

/** When the decision is made, and how long data outlives its purpose. */
export interface PolicyClock {
  now: Date;
  retention: RetentionWindows;
}

export type Decision = { allowed: true; purpose: Purpose } | { allowed: false; reason: DenialReason };

function deny(reason: DenialReason): { allowed: false; reason: DenialReason } {
  return { allowed: false, reason };
}

/**
 * The purpose a request acts under: the declared one if the role holds it, or the
 * role's only purpose when none is declared.
 */
export function resolvePurpose(principal: Principal, declared: Purpose | undefined): Decision {
  const held = ROLE_RULES[principal.role].purposes;
  if (declared === undefined) {
    if (held.length === 1) return { allowed: true, purpose: held[0] };
    return deny(held.length === 0 ? 'PURPOSE_NOT_ALLOWED' : 'PURPOSE_REQUIRED');
  }
  return held.includes(declared) ? { allowed: true, purpose: declared } : deny('PURPOSE_NOT_ALLOWED');
}

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

  if (LEGAL_BASIS[use.purpose] === 'CONSENT' && subject.consentGranted !== true) {
    return deny('CONSENT_REQUIRED');
  }
  if (purposeHasEnded(use.purpose, isShipmentField, subject, clock)) return deny('RETENTION_EXPIRED');
  if (subject.disclosureLimitReached) return deny('DISCLOSURE_LIMIT');
  return use;
}

/** One day in milliseconds: retention windows and link lifetimes are counted in days. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** Orders closed before this moment are past the shipping retention window. */
export function shippingRetentionCutoff(clock: PolicyClock): Date {
  return new Date(clock.now.getTime() - clock.retention.shippingDays * DAY_MS);
}

/** Deregistered customers whose last activity is before this moment are due for anonymisation. */
export function deregisteredRetentionCutoff(clock: PolicyClock): Date {
  return new Date(clock.now.getTime() - clock.retention.deregisteredDays * DAY_MS);
}

/**
 * P5 and P6: data is used only until its purpose ends. The person's own requests
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
  // Once delivered, the carrier's purpose for the recipient's contact data has ended (P5).
  return shipment.active ? undefined : 'RETENTION_EXPIRED';
}

/**
 * The rows an entry reaches, as data a store turns into SQL without knowing why: each
 * property narrows the rows, and an empty filter is every row.
 */
export interface RowFilter {
  /** Orders: only those whose shipment is assigned to this carrier. */
  carrierId?: string;
  /** Orders: only those whose shipment is under way. */
  activeDeliveriesOnly?: true;
  /** Orders: only open ones, or those closed at or after this moment. */
  closedSince?: Date;
  /** Customers: only those whose latest consent to the topic asked for is GRANTED. */
  consentToTopicGranted?: true;
}

export type ReachDecision =
  { allowed: true; filter: RowFilter; purpose: Purpose | null } | { allowed: false; reason: DenialReason };

function rowFilter(scope: RowScope, principal: Principal, clock: PolicyClock): RowFilter | DenialReason {
  switch (scope) {
    case 'ANY':
      return {};
    case 'ORDERS_WITHIN_RETENTION':
      return { closedSince: shippingRetentionCutoff(clock) };
    case 'OWN_SHIPMENTS':
    case 'OWN_ACTIVE_SHIPMENTS':
      if (principal.carrierId === undefined) return 'OUT_OF_SCOPE';
      return scope === 'OWN_SHIPMENTS'
        ? { carrierId: principal.carrierId }
        : { carrierId: principal.carrierId, activeDeliveriesOnly: true };
    case 'AUDIENCE':
      return { consentToTopicGranted: true };
  }
}

/**
 * Whether the principal may take an entry into personal data, and which rows it then
 * reaches. With `subject`, the decision is for one subject already read (a relation
 * edge): its facts must satisfy the filter, and an entry that discloses the subject
 * counts against the budget like a release.
 */
export function decideReach(
  principal: Principal,
  declared: Purpose | undefined,
  entry: Entry,
  clock: PolicyClock,
  subject?: SubjectFacts,
): ReachDecision {
  const rule = REACH[entry];
  const purpose = resolvePurpose(principal, declared);
  if (rule.purposes && !(purpose.allowed && rule.purposes.includes(purpose.purpose))) {
    return deny(purpose.allowed ? 'PURPOSE_NOT_ALLOWED' : purpose.reason);
  }
  const scope = rule.roles[principal.role];
  if (scope === undefined) return deny('OUT_OF_SCOPE');
  const filter = rowFilter(scope, principal, clock);
  if (typeof filter === 'string') return deny(filter);
  if (subject) {
    // P6: what rests on consent ends with the registration, whatever the consent records say.
    if (purpose.allowed && LEGAL_BASIS[purpose.purpose] === 'CONSENT' && subject.deregistered) {
      return deny('RETENTION_EXPIRED');
    }
    if (filter.consentToTopicGranted && subject.consentGranted !== true) {
      return deny(rule.disclosesSubject ? 'CONSENT_REQUIRED' : 'OUT_OF_SCOPE');
    }
    if (rule.disclosesSubject && subject.disclosureLimitReached) return deny('DISCLOSURE_LIMIT');
  }
  return { allowed: true, filter, purpose: purpose.allowed ? purpose.purpose : null };
}

/** Whether taking the entry hands out something that names its subject (audited like a release). */
export function disclosesSubject(entry: Entry): boolean {
  return REACH[entry].disclosesSubject === true;
}

/**
 * Whether the root field `coordinate` (e.g. Query.customers) reaches many subjects. A
 * mutation acts on the one subject it names; an unknown query is taken to reach many.
 */
export function reachesManySubjects(coordinate: string): boolean {
  if (coordinate.startsWith('Mutation.')) return false;
  return (REACH as Partial<Record<string, { subjects?: 'ONE' | 'MANY' }>>)[coordinate]?.subjects !== 'ONE';
}

/** The orders an action may change: the rows of the entry the policy ties it to. */
export function decideActionReach(principal: Principal, action: Action, clock: PolicyClock): ReachDecision {
  if (!mayPerform(principal, action)) return deny('OUT_OF_SCOPE');
  const entry = ACTION_ENTRY[action];
  return entry ? decideReach(principal, undefined, entry, clock) : { allowed: true, filter: {}, purpose: null };
}

/** What a customer may be, as far as the policy asks: the states a search can tell apart in SQL. */
export interface CustomerState {
  deregistered: boolean;
  hasOpenOrders: boolean;
}

const CUSTOMER_STATES: readonly CustomerState[] = [false, true].flatMap((deregistered) =>
  [false, true].map((hasOpenOrders) => ({ deregistered, hasOpenOrders })),
);

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
    decision: decide(principal, declared, field, { ...state, reachedAmongMany: true }, clock),
  }));
  const states = decisions.filter(({ decision }) => decision.allowed).map(({ state }) => state);
  if (states.length > 0) return { allowed: true, states };
  const [first] = decisions.map(({ decision }) => decision);
  return deny(first.allowed ? 'OUT_OF_SCOPE' : first.reason);
}

/**
 * Whether a grant of consent may be recorded for the subject: once the customer has
 * cancelled their registration (or been erased, which implies it), nothing new is
 * collected about them (P6), and a grant would bring them back into audiences.
 */
export function mayRecordGrant(subject: SubjectFacts): boolean {
  return subject.deregistered !== true;
}

export function mayPerform(principal: Principal, action: Action): boolean {
  return ROLE_RULES[principal.role].actions.includes(action);
}

export function purposesOf(principal: Principal): readonly Purpose[] {
  return ROLE_RULES[principal.role].purposes;
}

export function mayRunOnlySafelistedOperations(principal: Principal): boolean {
  return ROLE_RULES[principal.role].safelistedOperationsOnly === true;
}

/** Whether principals of this role act for a carrier, and so must name it. */
export function actsForCarrier(role: Role): boolean {
  return ROLE_RULES[role].actsForCarrier === true;
}
