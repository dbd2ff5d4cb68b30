import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Denial } from '../audit/disclosure-terms';
import type { DenialReason, UseCoordinate } from '../policy';

/**
 * Every error a client can see is made here, with one of the codes listed below, the
 * only codes clients are promised. Anything else is masked as INTERNAL_SERVER_ERROR by the server.
 */
export type ErrorCode =
  | DenialReason
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'AUDIT_UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'OPERATION_NOT_ALLOWED'
  /** A change that needs a registered customer, asked for one who cancelled their registration. */
  | 'CUSTOMER_DEREGISTERED'
  | 'QUERY_TOO_COMPLEX'
  | 'SERVICE_UNAVAILABLE'
  /** An id in extensions.persistedQuery that contracts/manifest.json does not list. */
  | 'PERSISTED_QUERY_NOT_FOUND'
  /** A persistedQuery extension of another version, without a sha256Hash, or whose hash is not the query's. */
  | 'PERSISTED_QUERY_INVALID';

export const SERVICE_UNAVAILABLE_STATUS = 503;

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  QUERY_TOO_COMPLEX: 400,
  PERSISTED_QUERY_INVALID: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  OPERATION_NOT_ALLOWED: 403,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: SERVICE_UNAVAILABLE_STATUS,
};

export function gatewayError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  const status = HTTP_STATUS[code];
  // An answer to the caller, not a fault: its stack is never sent nor logged, and capturing
  // one (async frames included) took 3 % of the CPU of an analyst's refused page.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new GraphQLError(message, {
      extensions: { code, ...(status ? { http: { status } } : {}), ...extensions },
    });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

export interface InputProblem {
  /** Where in the arguments, e.g. ['input', 'items', 0, 'quantity']. */
  argumentPath: (string | number)[];
  message: string;
}

/** Names every offending argument; `argumentPath` is the first of them. */
export function badInput(...problems: [InputProblem, ...InputProblem[]]): GraphQLError {
  return inputError(problems.map((p) => `${p.argumentPath.join('.')}: ${p.message}`).join('; '), problems);
}

/** BAD_USER_INPUT with a message of the caller's own, pointing at the offending arguments. */
export function inputError(message: string, problems: [InputProblem, ...InputProblem[]]): GraphQLError {
  return gatewayError('BAD_USER_INPUT', message, {
    argumentPath: problems[0].argumentPath,
    invalidArguments: problems,
  });
}

/** A request that needs a principal came without a usable bearer token. */
export function tokenRequired(): GraphQLError {
  return gatewayError('UNAUTHENTICATED', 'send Authorization: Bearer <token>');
}

export function notFound(what: string): GraphQLError {
  return gatewayError('NOT_FOUND', `${what} not found`);
}

const DENIAL_MESSAGES: Record<DenialReason, string> = {
  PURPOSE_REQUIRED: 'declare the purpose of this request in the X-Purpose header',
  PURPOSE_NOT_ALLOWED: 'the purpose of this request does not allow reading it',
  CONSENT_REQUIRED: 'the customer has not consented to this use',
  RETENTION_EXPIRED: 'the purpose it was collected for has ended',
  OUT_OF_SCOPE: 'it is outside what this principal may see',
  DISCLOSURE_LIMIT: 'this principal has reached its limit of customers per window',
  ONE_SUBJECT_AT_A_TIME: "this purpose serves one person's request: look the person up by id",
  NO_OPEN_REQUEST: 'no data-subject request of a fitting kind is open for this person',
  RESTRICTED: 'the person has asked for the use of their data to be restricted',
};

/** A use of a person's data refused by the policy for a reason of its own, e.g. NO_OPEN_REQUEST. */
export function refusedUse(what: string, reason: DenialReason, argumentPath: string[] = []): GraphQLError {
  return gatewayError(reason, `${what} refused: ${DENIAL_MESSAGES[reason]}`, {
    reason,
    ...(argumentPath.length > 0 ? { argumentPath } : {}),
  });
}

/** One error per withheld coordinate and reason; never the value or whose it was. */
export function denialError({ coordinate, reason, count }: Denial): GraphQLError {
  return gatewayError(reason, `${coordinate} withheld (${count}): ${DENIAL_MESSAGES[reason]}`, {
    coordinate,
    count,
  });
}

/** The audit could not be written, so the values at this coordinate were taken back. */
export function auditUnavailableError(coordinate: UseCoordinate, count: number): GraphQLError {
  return gatewayError('AUDIT_UNAVAILABLE', `${coordinate} withheld (${count}): the disclosure could not be audited`, {
    coordinate,
    count,
  });
}

export function rateLimited(retryAfterSeconds: number): GraphQLError {
  return gatewayError('RATE_LIMITED', `too many requests: retry after ${retryAfterSeconds} s`, {
    retryAfterSeconds,
    http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
  });
}

/**
 * The database did not answer in time, or the request's deadline passed: nothing was wrong
 * with the request, and it may be sent again. Already in the shape the client receives,
 * since it replaces errors Apollo has formatted, or answers instead of Apollo at the
 * deadline; it goes with SERVICE_UNAVAILABLE_STATUS.
 */
export function serviceUnavailable(
  message: string,
  requestId: string,
  path?: readonly (string | number)[],
): GraphQLFormattedError {
  return { message, ...(path ? { path } : {}), extensions: { code: 'SERVICE_UNAVAILABLE', requestId } };
}
