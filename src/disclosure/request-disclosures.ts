import { Kind, OperationTypeNode, responsePathAsArray, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { Path } from 'graphql/jsutils/Path';
import {
  decide,
  decideReach,
  disclosesSubject,
  reachesManySubjects,
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
  coordinate: UseCoordinate;
  reason: DenialReason;
  /** How many values at this coordinate were withheld for this reason. */
  count: number;
}

/** What a use of a subject's data came to: released, matched by a search, or withheld for a reason. */
export type AuditDecision = 'RELEASED' | 'MATCHED' | 'WITHHELD';

/** What the audit trail records: one subject's fields used one way in one request. */
export interface DisclosureRecord {
  customerId: string | null;
  decision: AuditDecision;
  reason: DenialReason | null;
  purpose: Purpose | null;
  fields: UseCoordinate[];
}

/** The customers already released to this principal in the current window, and how many it may reach. */
export interface DisclosureBudget {
  limit: number;
  released: Set<string>;
}

/** Where in the resolver tree a value is: enough to tell which root field reached it. */
export type ResolutionPoint = Pick<GraphQLResolveInfo, 'path' | 'operation' | 'fragments'>;

/** The field name behind a response key of the operation's root selection, through fragments too. */
function rootFieldName(
  selectionSet: SelectionSetNode,
  responseKey: string,
  point: ResolutionPoint,
): string | undefined {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if ((selection.alias ?? selection.name).value === responseKey) return selection.name.value;
      continue;
    }
    const nested =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection.selectionSet
        : point.fragments[selection.name.value]?.selectionSet;
    const found = nested && rootFieldName(nested, responseKey, point);
    if (found) return found;
  }
  return undefined;
}

function rootKeyOf(path: Path): string {
  let root = path;
  while (root.prev) root = root.prev;
  return String(root.key);
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
  private readonly records = new Map<string, DisclosureRecord>();
  private readonly releases: { coordinate: UseCoordinate; path: Path }[] = [];
  private readonly manyByRootKey = new Map<string, boolean>();
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

  /** Whether this value may be released where it stands in the response; either way it is recorded. */
  permits(field: ProtectedField, subject: PolicySubject, point: ResolutionPoint): boolean {
    const customerId = subject.subjectCustomerId;
    const decision = decide(
      this.principal,
      this.declaredPurpose,
      field,
      {
        ...subject.subjectFacts(),
        disclosureLimitReached: this.limitReachedFor(customerId),
        reachedAmongMany: this.reachedAmongMany(point),
      },
      this.clock,
    );
    if (!decision.allowed) {
      this.withhold(field, decision.reason, customerId);
      return false;
    }
    this.release(field, customerId, point.path);
    return true;
  }

  /**
   * Whether a search may count this subject as matched by `fields` (the protected
   * fields whose value it matched). A match is a use like a read: decided per subject,
   * audited and counted against the budget. A refused match is audited but never
   * reported to the caller, for whom the subject simply did not match.
   */
  matches(fields: readonly ProtectedField[], subject: PolicySubject): boolean {
    const customerId = subject.subjectCustomerId;
    const facts = {
      ...subject.subjectFacts(),
      disclosureLimitReached: this.limitReachedFor(customerId),
      reachedAmongMany: true,
    };
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
    this.budget?.released.add(customerId);
    for (const field of used) this.record(customerId, 'MATCHED', null, field);
    return true;
  }

  /**
   * Whether a relation may be followed to this subject, and which rows it then reaches.
   * A refusal is recorded like a withheld value. An entry that hands out something
   * naming the subject (a link) is a release: budgeted, audited, taken back with the
   * rest if the audit fails.
   */
  follows(entry: Entry, customerId: string, facts?: SubjectFacts, releasedAt?: Path): RowFilter | undefined {
    const discloses = disclosesSubject(entry);
    const decision = decideReach(
      this.principal,
      this.declaredPurpose,
      entry,
      this.clock,
      facts && { ...facts, disclosureLimitReached: discloses && this.limitReachedFor(customerId) },
    );
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
    const key = `${coordinate} ${reason}`;
    const denial = this.denials.get(key);
    if (denial) denial.count += 1;
    else this.denials.set(key, { coordinate, reason, count: 1 });
    this.record(customerId, 'WITHHELD', reason, coordinate);
  }

  withheld(): Denial[] {
    return [...this.denials.values()];
  }

  disclosureRecords(): DisclosureRecord[] {
    return [...this.records.values()];
  }

  /** Where released values sit in the response, per coordinate: what to take back if the audit fails. */
  releasedValues(): { coordinate: UseCoordinate; path: (string | number)[] }[] {
    return this.releases.map(({ coordinate, path }) => ({ coordinate, path: responsePathAsArray(path) }));
  }

  private release(coordinate: UseCoordinate, customerId: string, path: Path): void {
    this.budget?.released.add(customerId);
    this.releases.push({ coordinate, path });
    this.record(customerId, 'RELEASED', null, coordinate);
  }

  /** Subjects already released in the window do not count again. */
  private limitReachedFor(customerId: string): boolean {
    const budget = this.budget;
    return budget !== undefined && !budget.released.has(customerId) && budget.released.size >= budget.limit;
  }

  /** Whether the root field this value sits under reaches many subjects (a list or a search). */
  private reachedAmongMany(point: ResolutionPoint): boolean {
    const rootKey = rootKeyOf(point.path);
    let many = this.manyByRootKey.get(rootKey);
    if (many === undefined) {
      const rootType = point.operation.operation === OperationTypeNode.MUTATION ? 'Mutation' : 'Query';
      const fieldName = rootFieldName(point.operation.selectionSet, rootKey, point);
      many = fieldName === undefined || reachesManySubjects(`${rootType}.${fieldName}`);
      this.manyByRootKey.set(rootKey, many);
    }
    return many;
  }

  private record(
    customerId: string | null,
    decision: AuditDecision,
    reason: DenialReason | null,
    field: UseCoordinate,
  ) {
    const key = `${customerId} ${decision} ${reason}`;
    const record = this.records.get(key);
    if (!record) this.records.set(key, { customerId, decision, reason, purpose: this.purpose, fields: [field] });
    else if (!record.fields.includes(field)) record.fields.push(field);
  }
}
