/**
 * The words the privacy policy is written in. Everything that decides about
 * personal data speaks in these terms; the GraphQL enums are generated from them.
 */

export const PURPOSES = ['ORDER_PROCESSING', 'SHIPPING', 'CUSTOMER_CARE', 'MARKETING', 'DATA_SUBJECT_REQUEST'] as const;
export type Purpose = (typeof PURPOSES)[number];

export const ROLES = [
  'STOREFRONT',
  'ORDER_PROCESSOR',
  'CARRIER',
  'SUPPORT_AGENT',
  'MARKETING',
  'ANALYST',
  'PRIVACY_OFFICER',
] as const;
export type Role = (typeof ROLES)[number];

/** Marketing topics the customer opts in to one by one (design: P2). */
export const CONSENT_TOPICS = [
  'PROMOTIONS',
  'OFFERS',
  'PET_CARE_ADVICE',
  'NEWSLETTER',
  'THANK_YOU',
  'GREETINGS',
] as const;
export type ConsentTopic = (typeof CONSENT_TOPICS)[number];

/** Why a protected field was withheld. Each is also the error code the client sees. */
export const DENIAL_REASONS = [
  'PURPOSE_REQUIRED',
  'PURPOSE_NOT_ALLOWED',
  'CONSENT_REQUIRED',
  'RETENTION_EXPIRED',
  'OUT_OF_SCOPE',
  'DISCLOSURE_LIMIT',
  'ONE_SUBJECT_AT_A_TIME',
  /** A data-subject purpose with no open request of a fitting kind for the person. */
  'NO_OPEN_REQUEST',
  /** The person asked for their data's use to be restricted, and that request is open. */
  'RESTRICTED',
] as const;
export type DenialReason = (typeof DENIAL_REASONS)[number];

/** The rights a data-subject request exercises (Personal Data Protection Law 91/2025/QH15). */
export const REQUEST_KINDS = [
  'ACCESS',
  'COPY',
  'CORRECTION',
  'ERASURE',
  'RESTRICTION',
  'OBJECTION',
  'WITHDRAW_CONSENT',
  'DEREGISTRATION',
] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** A guard for one of the lists above: true when the value is a string the list names. */
export function isOneOf<T extends string>(list: readonly T[]): (value: unknown) => value is T {
  return (value: unknown): value is T => typeof value === 'string' && (list as readonly string[]).includes(value);
}

export const isPurpose = isOneOf(PURPOSES);
export const isRole = isOneOf(ROLES);
export const isConsentTopic = isOneOf(CONSENT_TOPICS);
export const isRequestKind = isOneOf(REQUEST_KINDS);
