import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { logger } from '../logger';
import { metrics } from '../metrics';
import { REQUEST_KINDS } from '../policy';
import { OVERDUE } from './overdue';

/*
 * Open and overdue data-subject requests by kind, for GET /metrics: counts only, never a
 * request, a customer or a principal.
 */
const openRequests = new Gauge({
  name: 'petto_data_subject_requests_open',
  help: 'Data-subject requests not yet closed, by kind',
  labelNames: ['kind'] as const,
  registers: [metrics],
});

const overdueRequests = new Gauge({
  name: 'petto_data_subject_requests_overdue',
  help: 'Data-subject requests past a legal deadline and not closed, by kind',
  labelNames: ['kind'] as const,
  registers: [metrics],
});

/** Reads the counts as of `now`; if the database does not answer, the gauges keep their last values. */
export async function refreshRequestGauges(dataSource: DataSource, now: Date): Promise<void> {
  try {
    const rows: { kind: string; open: number; overdue: number }[] = await dataSource.query(
      ...dataSource.driver.escapeQueryWithParameters(
        `SELECT r.kind, count(*)::int AS open, (count(*) FILTER (WHERE ${OVERDUE}))::int AS overdue
           FROM data_subject_request_states r WHERE r.closed_at IS NULL GROUP BY r.kind`,
        { now },
      ),
    );
    for (const kind of REQUEST_KINDS) {
      const row = rows.find((candidate) => candidate.kind === kind);
      openRequests.set({ kind }, row?.open ?? 0);
      overdueRequests.set({ kind }, row?.overdue ?? 0);
    }
  } catch (error) {
    logger.error({ err: error }, 'could not count data-subject requests for /metrics');
  }
}
