/**
 * The policy decision: pure, synchronous, no I/O. Given who asks, why, for which
 * field and what is true of the data subject, it answers allow or deny with a reason.
 * Every release of personal data in the gateway goes through `decide`; nothing else
 * decides.
 */
import {
  LEGAL_BASIS,
  PROTECTED_FIELDS,
  PURPOSES_AFTER_DEREGISTRATION,
  ROLE_RULES,
  type RetentionWindows,
  type Action,
  type CustomerScope,
  type OrderScope,
  type ProtectedField,
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
}

/** When the decision is made, and how long data outlives its purpose. */
export interface PolicyClock {
  now: Date;
  retention: RetentionWindows;
}

export type Decision = { allowed: true; purpose: Purpose } | { allowed: false; reason: DenialReason };

function deny(reason: DenialReason): Decision {
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
  const scopeDenial = isShipmentField ? shipmentScopeDenial(principal, subject) : customerScopeDenial(principal);
  if (scopeDenial) return deny(scopeDenial);

  if (LEGAL_BASIS[use.purpose] === 'CONSENT' && subject.consentGranted !== true) {
    return deny('CONSENT_REQUIRED');
  }
  if (purposeHasEnded(use.purpose, isShipmentField, subject, clock)) return deny('RETENTION_EXPIRED');
  if (subject.disclosureLimitReached) return deny('DISCLOSURE_LIMIT');
  return use;
}

const DAY_MS = 24 * 60 * 60 * 1000;

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
  switch (orderScope(principal)) {
    case 'ALL':
    case 'WITHIN_RETENTION': // the retention rule itself withholds what is past it
      return undefined;
    case 'NONE':
      return 'OUT_OF_SCOPE';
    case 'OWN_SHIPMENTS': {
      const shipment = subject.shipment;
      if (!shipment || principal.carrierId === undefined || shipment.carrierId !== principal.carrierId) {
        return 'OUT_OF_SCOPE';
      }
      // Once delivered, the carrier's purpose for the recipient's contact data has ended (P5).
      return shipment.active ? undefined : 'RETENTION_EXPIRED';
    }
  }
}

function customerScopeDenial(principal: Principal): DenialReason | undefined {
  return customerScope(principal) === 'NONE' ? 'OUT_OF_SCOPE' : undefined;
}

export function customerScope(principal: Principal): CustomerScope {
  return ROLE_RULES[principal.role].customers;
}

export function orderScope(principal: Principal): OrderScope {
  return ROLE_RULES[principal.role].orders;
}

export function mayPerform(principal: Principal, action: Action): boolean {
  return ROLE_RULES[principal.role].actions.includes(action);
}

export function purposesOf(principal: Principal): readonly Purpose[] {
  return ROLE_RULES[principal.role].purposes;
}

export function mayReadAuditTrail(principal: Principal): boolean {
  return ROLE_RULES[principal.role].readsAuditTrail === true;
}

export function mayRunOnlySafelistedOperations(principal: Principal): boolean {
  return ROLE_RULES[principal.role].safelistedOperationsOnly === true;
}

/** A data-subject request is served under its own purpose, by a role that holds it. */
export function servesDataSubjectRequest(principal: Principal, declared: Purpose | undefined): boolean {
  const purpose = resolvePurpose(principal, declared);
  return purpose.allowed && purpose.purpose === 'DATA_SUBJECT_REQUEST';
}
