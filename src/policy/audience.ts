/**
 * What an audience of the gateway (the roles one integration acts as) can reach at all,
 * coordinate by coordinate: the published contract of that audience holds exactly these.
 * Pure, like the rest of the policy; the schema is pruned by it outside the policy.
 */
import { MUTATION_ACTIONS, PROTECTED_FIELDS, QUERY_ACTIONS, REACH, ROLE_RULES, SEARCHES, type Entry } from './rules';
import type { Role } from './vocabulary';

function has<T extends object>(table: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(table, key);
}

function reachesEntry(role: Role, entry: Entry): boolean {
  const rule = REACH[entry];
  if (rule.roles[role] === undefined) return false;
  return rule.purposes === undefined || rule.purposes.some((purpose) => ROLE_RULES[role].purposes.includes(purpose));
}

/** Whether any of the role's purposes may read the protected field. */
function readsField(role: Role, field: keyof typeof PROTECTED_FIELDS): boolean {
  const allowed: readonly string[] = PROTECTED_FIELDS[field].purposes;
  return ROLE_RULES[role].purposes.some((purpose) => allowed.includes(purpose));
}

function roleReaches(role: Role, coordinate: string): boolean {
  // An argument (Type.field.argument) is reached with its field, unless it is a search by protected fields.
  if (coordinate.split('.').length === 3) {
    return !has(SEARCHES, coordinate) || SEARCHES[coordinate].some((field) => readsField(role, field));
  }
  if (has(REACH, coordinate)) return reachesEntry(role, coordinate);
  if (has(PROTECTED_FIELDS, coordinate)) return readsField(role, coordinate);
  if (has(QUERY_ACTIONS, coordinate)) return ROLE_RULES[role].actions.includes(QUERY_ACTIONS[coordinate]);
  if (has(MUTATION_ACTIONS, coordinate)) {
    const action = MUTATION_ACTIONS[coordinate];
    return action !== null && ROLE_RULES[role].actions.includes(action);
  }
  // Any other mutation is unknown to the policy: no audience is promised it.
  return !coordinate.startsWith('Mutation.');
}

/**
 * Whether one of `roles` can reach the schema coordinate: a type's field
 * (`Shipment.recipientPhone`) or a field's argument (`Query.customers.search`). What is
 * no entry, protected field, search or mutation of the policy holds no personal data and
 * is reached by every role (e.g. `Order.code`, `Query.me`).
 */
export function audienceReaches(roles: readonly Role[], coordinate: string): boolean {
  return roles.some((role) => roleReaches(role, coordinate));
}
