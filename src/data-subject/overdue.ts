import type { DataSource } from 'typeorm';
import { logger } from '../logger';

/**
 * SQL on alias `r` of data_subject_request_states: not closed, and past a deadline at the
 * moment the named parameter `:now` gives. Named, not numbered, so every query that uses it
 * binds `now` by name (TypeORM's parameters) and no position is shared between modules.
 */
export const OVERDUE = `(r.closed_at IS NULL AND (r.due_by < :now OR (r.acknowledged_at IS NULL AND r.acknowledge_by < :now)))`;

/**
 * Logs a warning for each request past a legal deadline: its id, kind and deadlines,
 * never who it is about or what it says. Returns the ids warned about.
 */
export async function warnOverdueRequests(dataSource: DataSource, now: Date): Promise<string[]> {
  const overdue: { id: string; kind: string; acknowledge_by: Date; due_by: Date; acknowledged: boolean }[] =
    await dataSource.query(
      ...dataSource.driver.escapeQueryWithParameters(
        `SELECT r.id, r.kind, r.acknowledge_by, r.due_by, r.acknowledged_at IS NOT NULL AS acknowledged
           FROM data_subject_request_states r WHERE ${OVERDUE} ORDER BY r.due_by, r.id`,
        { now },
      ),
    );
  for (const request of overdue) {
    logger.warn(
      {
        dataSubjectRequestId: request.id,
        kind: request.kind,
        acknowledged: request.acknowledged,
        acknowledgeBy: request.acknowledge_by,
        dueBy: request.due_by,
      },
      'data-subject request overdue',
    );
  }
  return overdue.map((request) => request.id);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Warns about overdue requests once a day (first a minute after start). Returns a function that stops it. */
export function scheduleOverdueWarnings(dataSource: DataSource): () => void {
  const run = () => {
    warnOverdueRequests(dataSource, new Date()).catch((error: unknown) =>
      logger.error({ err: error }, 'could not check for overdue data-subject requests'),
    );
  };
  const first = setTimeout(run, 60_000);
  const timer = setInterval(run, DAY_MS);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
