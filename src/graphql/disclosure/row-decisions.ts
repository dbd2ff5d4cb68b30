import {
  decide,
  protectedFieldsOf,
  subjectTypeOf,
  type Decision,
  type PolicyClock,
  type Principal,
  type ProtectedField,
  type Purpose,
} from '../../policy';
import type { PolicySubject } from '../../audit/disclosure-terms';

/** Per request: the policy's decisions about each row's protected fields, asked once per row. */
export class RowDecisions {
  private readonly decided = new WeakMap<PolicySubject, Map<string, Decision>>();

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
    let decisions = this.decided.get(subject);
    if (!decisions) {
      decisions = new Map();
      this.decided.set(subject, decisions);
    }
    const key = `${field} ${reachedAmongMany}`;
    let decision = decisions.get(key);
    if (decision === undefined) {
      const facts = { ...subject.subjectFacts(), reachedAmongMany };
      for (const sibling of protectedFieldsOf(subjectTypeOf(field))) {
        decisions.set(
          `${sibling} ${reachedAmongMany}`,
          decide(this.principal, this.declaredPurpose, sibling, facts, this.clock),
        );
      }
      decision = decisions.get(key) as Decision;
    }
    return decision;
  }
}
