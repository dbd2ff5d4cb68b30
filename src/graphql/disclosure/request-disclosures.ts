import { responsePathAsArray } from 'graphql';
import type { Path } from 'graphql/jsutils/Path';
import {
  decide,
  decideReach,
  disclosesSubject,
  resolvePurpose,
  type DenialReason,
  type Entry,
  type PolicyClock,
  type Principal,
  type ProtectedField,
  type Purpose,
  type RowFilter,
  type SubjectFacts,
  type UseCoordinate,
} from '../../policy';
import type {
  AuditDecision,
  BudgetWindow,
  Denial,
  DisclosureRecord,
  PolicySubject,
  ReleasedValue,
} from '../../audit/disclosure-terms';
import { RootFieldReach, type ResolutionPoint } from './root-field';
import { RowDecisions } from './row-decisions';

export type { ResolutionPoint };

/** One customer's use, as the ledger collects it before grouping. */
interface SubjectUse {
  customerId: string | null;
  decision: AuditDecision;
  reason: DenialReason | null;
  fields: UseCoordinate[];
  caseId: string | null;
}

/**
 * The uses of personal data in one request. Asks the policy about each protected
 * value, each relation followed to a subject and each search match, and remembers what
 * it released (and where in the response), matched and withheld: the withheld values
 * become one error per coordinate and reason, everything becomes the request's audit
 * records, and the release paths let the response be scrubbed when the audit cannot be
 * written.
 */
export class RequestDisclosures {
  private readonly denials = new Map<string, Denial>();
  // Every use in the order first recorded, and the same uses by customer for lookup: a
  // page records hundreds of values, and a customer has one or two kinds of use.
  private readonly uses: SubjectUse[] = [];
  private readonly usesByCustomer = new Map<string | null, SubjectUse[]>();
  private readonly releases: { coordinate: UseCoordinate; customerId: string; path: Path }[] = [];
  private readonly rootFields = new RootFieldReach();
  private readonly rows: RowDecisions;
  private readonly purpose: Purpose | null;

  /**
   * `budget` is how many distinct customers this principal may be given in the window;
   * it is spent when the request's uses are recorded (or, for a search, before its
   * matches are returned), atomically per principal, so that decisions here take every
   * subject as within it.
   */
  constructor(
    readonly principal: Principal,
    readonly declaredPurpose: Purpose | undefined,
    private readonly clock: PolicyClock,
    readonly budget?: BudgetWindow,
  ) {
    const resolved = resolvePurpose(principal, declaredPurpose);
    this.purpose = resolved.allowed ? resolved.purpose : (declaredPurpose ?? null);
    this.rows = new RowDecisions(principal, declaredPurpose, clock);
  }

  /** Whether this value may be released where it stands in the response; either way it is recorded. */
  permits(field: ProtectedField, subject: PolicySubject, point: ResolutionPoint): boolean {
    const customerId = subject.subjectCustomerId;
    const decision = this.rows.decisionFor(subject, field, this.rootFields.reachesMany(point));
    if (!decision.allowed) {
      this.withhold(field, decision.reason, customerId);
      return false;
    }
    this.release(field, customerId, point.path, decision.caseId ?? null);
    return true;
  }

  /**
   * Whether a search may count this subject as matched by `fields` (the protected
   * fields whose value it matched), given whether the subject fit the budget. A match
   * is a use like a read: decided per subject and audited. A refused match is audited
   * but never reported to the caller, for whom the subject simply did not match.
   */
  matches(fields: readonly ProtectedField[], subject: PolicySubject, disclosureLimitReached: boolean): boolean {
    const customerId = subject.subjectCustomerId;
    const facts = subject.subjectFacts();
    facts.disclosureLimitReached = disclosureLimitReached;
    facts.reachedAmongMany = true;
    const decisions = fields.map((field) => ({
      field,
      decision: decide(this.principal, this.declaredPurpose, field, facts, this.clock),
    }));
    const used = decisions.filter(({ decision }) => decision.allowed).map(({ field }) => field);
    if (used.length === 0) {
      for (const { field, decision } of decisions) {
        if (!decision.allowed) this.record(customerId, 'WITHHELD', decision.reason, field);
      }
      return false;
    }
    for (const field of used) this.record(customerId, 'MATCHED', null, field);
    return true;
  }

  /**
   * Whether a relation may be followed to this subject, and which rows it then reaches.
   * A refusal is recorded like a withheld value. An entry that hands out something
   * naming the subject (a link) is a release: budgeted, audited, taken back if it may
   * not leave.
   */
  follows(entry: Entry, customerId: string, facts?: SubjectFacts, releasedAt?: Path): RowFilter | undefined {
    const discloses = disclosesSubject(entry);
    const decision = decideReach(this.principal, this.declaredPurpose, entry, this.clock, facts);
    if (!decision.allowed) {
      this.withhold(entry, decision.reason, customerId);
      return undefined;
    }
    if (discloses) {
      if (!releasedAt) throw new Error(`${entry} hands out something about its subject: say where in the response`);
      this.release(entry, customerId, releasedAt);
    }
    return decision.filter;
  }

  /** Records a value withheld by a rule applied outside a field. */
  withhold(coordinate: UseCoordinate, reason: DenialReason, customerId: string | null): void {
    this.deny(coordinate, reason);
    this.record(customerId, 'WITHHELD', reason, coordinate);
  }

  private deny(coordinate: UseCoordinate, reason: DenialReason): void {
    const key = `${coordinate} ${reason}`;
    const denial = this.denials.get(key);
    if (denial) denial.count += 1;
    else this.denials.set(key, { coordinate, reason, count: 1 });
  }

  withheld(): Denial[] {
    return [...this.denials.values()];
  }

  /** The uses, one record per decision, reason and set of fields, with the customers it covers. */
  disclosureRecords(): DisclosureRecord[] {
    const records = new Map<string, DisclosureRecord>();
    for (const { customerId, decision, reason, fields, caseId } of this.uses) {
      const key = `${decision} ${reason} ${fields.join(',')} ${caseId}`;
      const record = records.get(key) ?? { customerIds: [], decision, reason, purpose: this.purpose, fields, caseId };
      if (customerId !== null) record.customerIds.push(customerId);
      records.set(key, record);
    }
    return [...records.values()];
  }

  /** Every released value and where it sits in the response. */
  releasedValues(): ReleasedValue[] {
    return this.releases.map(({ coordinate, customerId, path }) => ({
      coordinate,
      customerId,
      path: responsePathAsArray(path),
    }));
  }

  /**
   * The budget did not cover these customers after all (another request of the same
   * principal spent it first): their values must not leave. Returns them, and reports
   * each coordinate as withheld with DISCLOSURE_LIMIT.
   */
  overBudget(customerIds: ReadonlySet<string>): ReleasedValue[] {
    const refused = this.releasedValues().filter(({ customerId }) => customerIds.has(customerId));
    for (const { coordinate } of refused) this.deny(coordinate, 'DISCLOSURE_LIMIT');
    return refused;
  }

  private release(coordinate: UseCoordinate, customerId: string, path: Path, caseId: string | null = null): void {
    this.releases.push({ coordinate, customerId, path });
    this.record(customerId, 'RELEASED', null, coordinate, caseId);
  }

  private record(
    customerId: string | null,
    decision: AuditDecision,
    reason: DenialReason | null,
    field: UseCoordinate,
    caseId: string | null = null,
  ) {
    let ofCustomer = this.usesByCustomer.get(customerId);
    if (!ofCustomer) this.usesByCustomer.set(customerId, (ofCustomer = []));
    for (const use of ofCustomer) {
      if (use.decision === decision && use.reason === reason && use.caseId === caseId) {
        if (!use.fields.includes(field)) use.fields.push(field);
        return;
      }
    }
    const use = { customerId, decision, reason, fields: [field], caseId };
    ofCustomer.push(use);
    this.uses.push(use);
  }
}
