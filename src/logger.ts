import pino from 'pino';

/**
 * What PostgreSQL says about a refused statement that names no value: enough for an
 * operator to tell which rule (SQLSTATE, constraint) broke where (table, column, routine).
 */
const DATABASE_ERROR_FIELDS = ['code', 'severity', 'schema', 'table', 'column', 'dataType', 'constraint', 'routine'];

/**
 * PostgreSQL's messages may quote the values they refused (`invalid input syntax for
 * type uuid: "…"`, or whatever a trigger RAISEs), so a database error keeps its fields
 * above and this message instead of its own.
 */
const DATABASE_ERROR_MESSAGE = 'database error (its message is withheld: it may quote values)';

const SQLSTATE = /^[0-9A-Z]{5}$/;

type ErrorLike = Error & Record<string, unknown>;

interface SerializedError {
  type: string;
  message: string;
  stack: string;
  [field: string]: unknown;
}

function isErrorLike(value: unknown): value is ErrorLike {
  // Structural, as errors from Node's core (another realm under jest) fail `instanceof Error`.
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

/**
 * TypeORM's QueryFailedError (which copies its driver error's fields), pg's and PGlite's
 * errors, and a GraphQLError wrapping one (it copies the message too).
 */
function isDatabaseError(error: ErrorLike): boolean {
  return (
    'driverError' in error ||
    (typeof error.code === 'string' && SQLSTATE.test(error.code) && 'severity' in error) ||
    (isErrorLike(error.originalError) && isDatabaseError(error.originalError))
  );
}

function messageOf(error: ErrorLike): string {
  return isDatabaseError(error) ? DATABASE_ERROR_MESSAGE : error.message;
}

/** The stack's frames without the header, which repeats the message. */
function framesOf(stack: unknown): string {
  if (typeof stack !== 'string') return '';
  const firstFrame = stack.indexOf('\n    at ');
  return firstFrame === -1 ? '' : stack.slice(firstFrame);
}

/**
 * Logs outlive a customer's erasure, so an error is logged from an allowlist: its type,
 * message, code and stack, and for a database error only what names no value. Everything
 * else is dropped, notably pg's `detail` (`Key (email)=(…) already exists.`, `Failing row
 * contains (…)`), `hint` and `where`, and TypeORM's `parameters`, `query` and `driverError`
 * (a copy of the fields kept). Causes, wrapped and aggregated errors follow the same rules.
 */
function serializeError(value: unknown, seen = new WeakSet<object>()): SerializedError | { type: string } {
  if (!isErrorLike(value)) return { type: typeof value };
  if (seen.has(value)) return { type: 'circular' };
  seen.add(value);
  const type = value.constructor?.name ?? value.name;
  const message = messageOf(value);
  const serialized: SerializedError = { type, message, stack: `${type}: ${message}${framesOf(value.stack)}` };
  for (const field of isDatabaseError(value) ? DATABASE_ERROR_FIELDS : ['code']) {
    const fieldValue = value[field];
    if (typeof fieldValue === 'string' || typeof fieldValue === 'number') serialized[field] = fieldValue;
  }
  if (value.cause !== undefined) serialized.cause = serializeError(value.cause, seen);
  if (value.originalError !== undefined) serialized.originalError = serializeError(value.originalError, seen);
  if (Array.isArray(value.errors)) serialized.errors = value.errors.map((error) => serializeError(error, seen));
  return serialized;
}

/**
 * Given an error and no message, pino would make the error's raw message the line's
 * `msg`, past the serializer: the line gets the serialized one. An error logged alone
 * goes under `err`, as pino puts it when the error passes its `instanceof Error`.
 */
function logMethod(this: pino.Logger, args: Parameters<pino.LogFn>, method: pino.LogFn): void {
  const [first, ...rest] = args as unknown[];
  if (typeof first !== 'object' || first === null) return method.apply(this, args);
  const merging = (isErrorLike(first) ? { err: first } : first) as { err?: unknown; msg?: unknown };
  const unnamed = rest.length === 0 && merging.msg === undefined;
  const message = unnamed && isErrorLike(merging.err) ? [messageOf(merging.err)] : rest;
  method.apply(this, [merging, ...message] as Parameters<pino.LogFn>);
}

/** Where a credential would sit if a request, its headers or a link were ever logged. */
const CREDENTIAL_PATHS = ['authorization', 'cookie', 'set-cookie', 'token']
  .map((key) => `[${JSON.stringify(key)}]`)
  .flatMap((key) => [key, `*${key}`, `*.headers${key}`]);

/**
 * JSON lines on stdout; LOG_LEVEL=silent keeps tests quiet. Written through
 * process.stdout itself (not pino's own file descriptor writer) so that what reaches
 * stdout can be observed in-process, as the no-personal-data test does.
 */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    base: { service: 'petto-gateway' },
    serializers: { err: serializeError, error: serializeError },
    redact: { paths: CREDENTIAL_PATHS, censor: '[redacted]' },
    hooks: { logMethod },
  },
  process.stdout,
);
