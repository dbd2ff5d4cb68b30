import { Kind, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { PARSE_OPTIONS } from './query-limits';

/**
 * The one operation a caller without a token may run: a lone `unsubscribe` mutation,
 * whose signed link is its only authority: no login is needed to stop mail. Anything else without a token
 * is UNAUTHENTICATED, as before.
 */
export const ANONYMOUS_FIELD = 'unsubscribe';

/** `mutation { unsubscribe(…) { … } }` and nothing beside it. */
export function isAnonymousOperation(operation: OperationDefinitionNode | undefined): boolean {
  if (operation?.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'mutation') return false;
  const selections = operation.selectionSet.selections;
  return selections.length === 1 && selections[0].kind === Kind.FIELD && selections[0].name.value === ANONYMOUS_FIELD;
}

/** A document of exactly one definition, that operation. */
export function isAnonymousDocument(document: DocumentNode): boolean {
  return document.definitions.length === 1 && isAnonymousOperation(document.definitions[0] as OperationDefinitionNode);
}

/**
 * Looks at the raw request body before GraphQL does: a caller without a token gets no
 * further (no validation messages, no limits, nothing) unless it sends exactly the
 * unsubscribe mutation. Parsed with the gateway's own token limit.
 */
export function isAnonymousRequestBody(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false;
  const query = (body as { query?: unknown }).query;
  if (typeof query !== 'string') return false;
  try {
    return isAnonymousDocument(parse(query, PARSE_OPTIONS));
  } catch {
    return false;
  }
}
