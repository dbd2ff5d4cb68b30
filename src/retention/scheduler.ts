import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { logger } from '../logger';
import { retentionErasures } from '../metrics';
import { sweepRetention } from './sweep';

/**
 * Runs the retention sweep inside the server every `retentionIntervalMinutes` (first run
 * right after start). Every replica may run it: the advisory lock lets one sweep at a time.
 * Returns a function that stops the timer.
 */
export function scheduleRetention(
  dataSource: DataSource,
  config: Pick<Config, 'retention' | 'retentionIntervalMinutes' | 'policyVersion'>,
): () => void {
  if (config.retentionIntervalMinutes === 0) return () => {};
  const run = async () => {
    try {
      const report = await sweepRetention(dataSource, {
        clock: { now: new Date(), retention: config.retention },
        policyVersion: config.policyVersion,
      });
      retentionErasures.inc({ kind: 'shipment_recipient' }, report.shipmentsErased);
      retentionErasures.inc({ kind: 'customer' }, report.customersAnonymised);
      retentionErasures.inc({ kind: 'consent_lapsed' }, report.consentsLapsed);
      retentionErasures.inc({ kind: 'customer_deregistered_inactive' }, report.customersDeregistered);
      logger.info(report, report.ran ? 'retention sweep done' : 'retention sweep skipped: another replica is sweeping');
    } catch (error) {
      logger.error({ err: error }, 'retention sweep failed');
    }
  };
  const first = setTimeout(run, 1_000);
  const timer = setInterval(run, config.retentionIntervalMinutes * 60_000);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
