import type { GraphQLFormattedError } from 'graphql';
import type { RequestContext } from '../context';

/** A span attribute's value: plain words and counts only. */
type AttributeValue = string | number | boolean | string[];

const unique = (values: Iterable<string>) => [...new Set(values)].sort();

/**
 * What the policy decided in one request, as trace attributes: who asked (role), for
 * what (declared and applied purpose), which field coordinates were released, matched
 * or withheld and why, for how many customers, and the error codes. Never a value, a
 * customer id or a principal id: a trace is read by operators, not by privacy officers.
 */
export function decisionAttributes(
  context: RequestContext,
  errors: readonly GraphQLFormattedError[] | undefined,
): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = { 'petto.request_id': context.requestId };
  const codes = unique((errors ?? []).map((error) => String(error.extensions?.code ?? 'UNKNOWN')));
  if (codes.length > 0) attributes['petto.error_codes'] = codes;
  if (!context.principal) {
    attributes['petto.anonymous'] = true;
    return attributes;
  }
  attributes['petto.role'] = context.principal.role;
  if (context.declaredPurpose) attributes['petto.purpose.declared'] = context.declaredPurpose;
  const records = context.disclosures.disclosureRecords();
  const applied = records.find((record) => record.purpose !== null)?.purpose;
  if (applied) attributes['petto.purpose'] = applied;
  const fieldsDecided = (decision: string) =>
    unique(records.filter((record) => record.decision === decision).flatMap((record) => record.fields));
  attributes['petto.released'] = fieldsDecided('RELEASED');
  attributes['petto.matched'] = fieldsDecided('MATCHED');
  attributes['petto.withheld'] = unique(
    context.disclosures.withheld().map(({ coordinate, reason }) => `${coordinate} ${reason}`),
  );
  attributes['petto.subjects'] = new Set(records.flatMap((record) => record.customerIds)).size;
  return attributes;
}
