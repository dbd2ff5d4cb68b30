import { responsePathAsArray } from 'graphql';
import type { Path } from 'graphql/jsutils/Path';
import {
  decide,
  resolvePurpose,
  type DenialReason,
  type PolicyClock,
  type Principal,
  type ProtectedField,
  type Purpose,
  type SubjectFacts,
} from '../policy';

/** A row that holds protected fields names its data subject and states the facts the policy needs. */
export interface PolicySubject {
  readonly subjectCustomerId: string;
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

/** What the audit trail records: one subject's fields released, or withheld for one reason. */
export interface DisclosureRecord {
  customerId: string | null;
  decision: 'RELEASED' | 'WITHHELD';
  reason: DenialReason | null;
  purpose: Purpose | null;
  fields: string[];
}

/** The customers already released to this principal in the current window, and how many it may reach. */
export interface DisclosureBudget {
  limit: number;
  released: Set<string>;
}

/**
 * The disclosures of one request. Asks the policy about each protected value, and
 * remembers what it released (and where in the response) and what it withheld: the
 * withheld values become one error per coordinate and reason, everything becomes the
 * request's audit records, and the release paths let the response be scrubbed when
 * the audit cannot be written.
 */
export class RequestDisclosures {
  private readonly denials = new Map<string, Denial>();
  private readonly records = new Map<string, DisclosureRecord>();
  private readonly releases: { coordinate: string; path: Path }[] = [];
  private readonly purpose: Purpose | null;
  private budget?: DisclosureBudget;

  constructor(
    readonly principal: Principal,
    readonly declaredPurpose: Purpose | undefined,
    private readonly clock: PolicyClock,
  ) {
    const resolved = resolvePurpose(principal, declaredPurpose);
    this.purpose = resolved.allowed ? resolved.purpose : (declaredPurpose ?? null);
  }

  limitDisclosures(budget: DisclosureBudget): void {
    this.budget = budget;
  }

  /** Whether this value may be released at `path` of the response; either way it is recorded. */
  permits(field: ProtectedField, subject: PolicySubject, path: Path): boolean {
    const customerId = subject.subjectCustomerId;
    const budget = this.budget;
    const disclosureLimitReached =
      budget !== undefined && !budget.released.has(customerId) && budget.released.size >= budget.limit;
    const decision = decide(
      this.principal,
      this.declaredPurpose,
      field,
      { ...subject.subjectFacts(), disclosureLimitReached },
      this.clock,
    );
    if (!decision.allowed) {
      this.withhold(field, decision.reason, customerId);
      return false;
    }
    budget?.released.add(customerId);
    this.releases.push({ coordinate: field, path });
    this.record(customerId, 'RELEASED', null, field);
    return true;
  }

  /** Records a value withheld by a rule applied outside a field (a relation out of scope). */
  withhold(coordinate: string, reason: DenialReason, customerId: string | null): void {
    const key = `${coordinate} ${reason}`;
    const denial = this.denials.get(key);
    if (denial) denial.count += 1;
    else this.denials.set(key, { coordinate, reason, count: 1 });
    this.record(customerId, 'WITHHELD', reason, coordinate);
  }

  private record(
    customerId: string | null,
    decision: DisclosureRecord['decision'],
    reason: DenialReason | null,
    field: string,
  ) {
    const key = `${customerId} ${decision} ${reason}`;
    const record = this.records.get(key);
    if (!record) this.records.set(key, { customerId, decision, reason, purpose: this.purpose, fields: [field] });
    else if (!record.fields.includes(field)) record.fields.push(field);
  }

  withheld(): Denial[] {
    return [...this.denials.values()];
  }

  disclosureRecords(): DisclosureRecord[] {
    return [...this.records.values()];
  }

  /** Where released values sit in the response, per coordinate: what to take back if the audit fails. */
  releasedValues(): { coordinate: string; path: (string | number)[] }[] {
    return this.releases.map(({ coordinate, path }) => ({ coordinate, path: responsePathAsArray(path) }));
  }
}
