/**
 * The terms every decision of the policy shares: who asks, what is true of the data
 * subject, when it is decided, the purpose a request acts under, and what a role may do.
 */
import { ROLE_RULES, type Action, type RetentionWindows } from './rules';
import { deny } from './denial';
import type { DenialReason, Purpose, RequestKind, Role } from './vocabulary';

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
  /** The customer cancelled their registration (design: P6). */
  deregistered?: boolean;
  /** For Customer fields: whether the customer still has an open order. */
  hasOpenOrders?: boolean;
  /** For consent-based purposes: whether the latest consent for the topic in question is GRANTED. */
  consentGranted?: boolean;
  /**
   * Whether releasing this subject would take the principal past its budget of distinct
   * customers per window (design: P9, no bulk extraction). Subjects already released in the
   * window do not count again.
   */
  disclosureLimitReached?: boolean;
  /**
   * The subject was reached through an entry that reaches many subjects (a list or a
   * search) rather than looked up by itself.
   */
  reachedAmongMany?: boolean;
  /** The person's data-subject requests still open, oldest first. */
  openRequests?: readonly OpenRequest[];
}

/** An open data-subject request, as far as the policy asks: which case, and which right. */
export interface OpenRequest {
  id: string;
  kind: RequestKind;
}

/** When the decision is made, and how long data outlives its purpose. */
export interface PolicyClock {
  now: Date;
  retention: RetentionWindows;
}

/** An allowing decision under a case-bound purpose names the case it was made under. */
export type Decision = { allowed: true; purpose: Purpose; caseId?: string } | { allowed: false; reason: DenialReason };

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

/** Customers with no activity since this moment are deregistered for inactivity (design: P5). */
export function inactivityCutoff(clock: PolicyClock): Date {
  return new Date(clock.now.getTime() - clock.retention.inactiveDays * DAY_MS);
}

/** Consent to a topic last given before this moment has lapsed. */
export function consentLapseCutoff(clock: PolicyClock): Date {
  return new Date(clock.now.getTime() - clock.retention.consentMaxAgeDays * DAY_MS);
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
