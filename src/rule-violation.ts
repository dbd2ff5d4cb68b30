/**
 * A change the domain refuses for reasons validation of the input alone cannot see:
 * the state it would move from, a taken email, an unknown customer. `field` names the
 * input field at fault; the GraphQL edge turns it into BAD_USER_INPUT at that path.
 */
export class RuleViolation extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
