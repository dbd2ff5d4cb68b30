import {
  DEFAULT_RETENTION,
  PROTECTED_FIELDS,
  type Decision,
  type Principal,
  type ProtectedField,
  type Role,
  type SubjectFacts,
} from '../../src/policy';

/** What the policy-decision tests share: the fields, short codes for decisions, a principal per role, a clock. */

export const FIELDS = Object.keys(PROTECTED_FIELDS) as ProtectedField[];

/** Short codes for the expected decisions. */
export const CODE: Record<string, string> = {
  ALLOW: 'OK',
  PURPOSE_NOT_ALLOWED: 'PNA',
  PURPOSE_REQUIRED: 'PR',
  CONSENT_REQUIRED: 'CR',
  OUT_OF_SCOPE: 'OOS',
  RETENTION_EXPIRED: 'RE',
  DISCLOSURE_LIMIT: 'DL',
  ONE_SUBJECT_AT_A_TIME: '1SUB',
  NO_OPEN_REQUEST: 'NOR',
  RESTRICTED: 'RES',
};

export function code(decision: Decision): string {
  return CODE[decision.allowed ? 'ALLOW' : decision.reason];
}

export function principal(role: Role): Principal {
  return role === 'CARRIER' ? { id: 'p', role, carrierId: 'ghn' } : { id: 'p', role };
}

/** An open access request of the subject: what the data-subject purpose needs. */
export const OPEN_ACCESS_REQUEST = { id: 'case-1', kind: 'ACCESS' } as const;

/** The subject as favourable as it can be, so that only role × purpose × field decides. */
export const FAVOURABLE: SubjectFacts = {
  consentGranted: true,
  shipment: { carrierId: 'ghn', active: true, orderClosedAt: null },
  openRequests: [OPEN_ACCESS_REQUEST],
};

export const NOW = new Date('2026-11-25T12:00:00Z');
export const CLOCK = { now: NOW, retention: DEFAULT_RETENTION };
export const daysAgo = (days: number) => new Date(NOW.getTime() - days * 24 * 60 * 60 * 1000);
