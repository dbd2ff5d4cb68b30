import { QueryFailedError } from 'typeorm';

/** PostgreSQL's unique_violation (23505) on the named constraint or index. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && driverError.constraint === constraint;
}

/** SQLSTATE query_canceled: statement_timeout ended the statement (or an operator cancelled it). */
const QUERY_CANCELED = '57014';

/** pg-pool's words when connectionTimeoutMillis passed: no pooled connection was free, or the server did not accept a new one. */
const POOL_TIMEOUTS = ['timeout exceeded when trying to connect', 'Connection terminated due to connection timeout'];

/** The database did not answer in time: a statement was cancelled, or no connection could be had. */
export function isDatabaseTimeout(error: unknown): boolean {
  if (error instanceof QueryFailedError) return (error.driverError as { code?: string }).code === QUERY_CANCELED;
  return error instanceof Error && POOL_TIMEOUTS.includes(error.message);
}
