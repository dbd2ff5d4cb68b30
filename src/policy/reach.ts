/**
 * Reach: whether a principal may take an entry (a root field, a relation, an action)
 * into personal data, and which rows it then reaches. Pure, like the rest of the policy.
 */
import {
  mayPerform,
  resolvePurpose,
  shippingRetentionCutoff,
  type PolicyClock,
  type Principal,
  type SubjectFacts,
} from './terms';
import { deny } from './denial';
import { isObjectedTo, restrictionWithholds } from './cases';
import { ACTION_ENTRY, LEGAL_BASIS, REACH, type Action, type Entry, type RowScope } from './rules';
import type { DenialReason, Purpose } from './vocabulary';

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
    // What rests on consent ends with the registration, whatever the consent records say (design: P6).
    if (purpose.allowed && LEGAL_BASIS[purpose.purpose] === 'CONSENT' && subject.deregistered) {
      return deny('RETENTION_EXPIRED');
    }
    const objected = purpose.allowed && isObjectedTo(purpose.purpose, subject);
    if (filter.consentToTopicGranted && (subject.consentGranted !== true || objected)) {
      return deny(rule.disclosesSubject ? 'CONSENT_REQUIRED' : 'OUT_OF_SCOPE');
    }
    if (rule.disclosesSubject && purpose.allowed && restrictionWithholds(purpose.purpose, false, subject)) {
      return deny('RESTRICTED');
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
