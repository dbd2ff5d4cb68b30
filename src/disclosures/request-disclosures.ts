import { decide, type Principal, type ProtectedField, type SubjectFacts } from '../policy';
import type { DenialReason, Purpose } from '../policy';

/** A row that holds protected fields states the facts the policy needs about its subject. */
export interface PolicySubject {
  subjectFacts(): SubjectFacts;
}

export function isPolicySubject(value: unknown): value is PolicySubject {
  return typeof value === 'object' && value !== null && typeof (value as PolicySubject).subjectFacts === 'function';
}

export interface Denial {
  coordinate: string;
  reason: DenialReason;
  /** How many values at this coordinate were withheld for this reason. */
  count: number;
}

/**
 * The disclosures of one request: asks the policy about each protected value and
 * remembers what was withheld, so that the response carries one error per coordinate
 * and reason instead of one per row.
 */
export class RequestDisclosures {
  private readonly denials = new Map<string, Denial>();

  constructor(
    readonly principal: Principal,
    readonly declaredPurpose: Purpose | undefined,
  ) {}

  /** Whether this value may be released; a refusal is recorded. */
  permits(field: ProtectedField, subject: PolicySubject): boolean {
    const decision = decide(this.principal, this.declaredPurpose, field, subject.subjectFacts());
    if (!decision.allowed) this.withhold(field, decision.reason);
    return decision.allowed;
  }

  /** Records a value withheld by a rule applied outside a field (a relation out of scope). */
  withhold(coordinate: string, reason: DenialReason): void {
    const key = `${coordinate} ${reason}`;
    const denial = this.denials.get(key);
    if (denial) denial.count += 1;
    else this.denials.set(key, { coordinate, reason, count: 1 });
  }

  withheld(): Denial[] {
    return [...this.denials.values()];
  }
}
