import {
  decide,
  protectedFieldsOf,
  subjectTypeOf,
  type Decision,
  type PolicyClock,
  type Principal,
  type ProtectedField,
  type Purpose,
  type SubjectType,
} from '../../policy';
import type { PolicySubject } from '../../audit/disclosure-terms';

/** Per request: the policy's decisions about each row's protected fields, asked once per row. */
export class RowDecisions {
  // Apart for a row reached alone and among many: the policy may treat the two differently.
  // Plain maps, not weak ones: they live as long as the request, like the rows they key.
  private readonly decidedAlone = new Map<PolicySubject, Map<ProtectedField, Decision>>();
  private readonly decidedAmongMany = new Map<PolicySubject, Map<ProtectedField, Decision>>();
  // The fields of each subject type, listed once per request rather than once per row.
  private readonly fieldsOfType = new Map<SubjectType, ProtectedField[]>();

  constructor(
    private readonly principal: Principal,
    private readonly declaredPurpose: Purpose | undefined,
    private readonly clock: PolicyClock,
  ) {}

  /**
   * The policy is asked once per row for all the protected fields of its type: a page
   * of fifty recipients with three fields each reads each row's facts once, not three
   * times.
   */
  decisionFor(subject: PolicySubject, field: ProtectedField, reachedAmongMany: boolean): Decision {
    const decided = reachedAmongMany ? this.decidedAmongMany : this.decidedAlone;
    const known = decided.get(subject)?.get(field);
    if (known) return known;
    const facts = subject.subjectFacts();
    facts.reachedAmongMany = reachedAmongMany;
    const decisions = new Map<ProtectedField, Decision>();
    for (const sibling of this.siblingsOf(field)) {
      decisions.set(sibling, decide(this.principal, this.declaredPurpose, sibling, facts, this.clock));
    }
    decided.set(subject, decisions);
    return decisions.get(field) as Decision;
  }

  private siblingsOf(field: ProtectedField): ProtectedField[] {
    const type = subjectTypeOf(field);
    let fields = this.fieldsOfType.get(type);
    if (!fields) this.fieldsOfType.set(type, (fields = protectedFieldsOf(type)));
    return fields;
  }
}
