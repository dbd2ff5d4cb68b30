// npm run retention: runs the retention sweep once against the configured database and
// prints what it erased. A progress bar shows when there is much to do.
import 'reflect-metadata';
import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from '../config';
import { openDatabase } from '../db/data-source';
import { sweepRetention, type SweepProgress } from '../retention/sweep';

/** Below this many rows a phase finishes too fast for a bar to say anything. */
const BAR_FROM = 200;

const PHASES: Record<Parameters<SweepProgress>[0], string> = {
  shipping: 'Shipping contact data past its window',
  customers: 'Deregistered customers to anonymise',
  audit: 'Months of the audit trail past AUDIT_RETENTION_MONTHS, dropped',
};

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, pgliteDir: config.pgliteDir });
  let bar: SingleBar | undefined;
  const progress: SweepProgress = (phase, done, total) => {
    if (done === 0) {
      bar?.stop();
      bar = undefined;
      process.stdout.write(`${PHASES[phase]}: ${total}\n`);
      if (total >= BAR_FROM) {
        bar = new SingleBar({ format: '  {bar} {value}/{total}' }, Presets.shades_classic);
        bar.start(total, 0);
      }
      return;
    }
    bar?.update(done);
  };
  try {
    const report = await sweepRetention(
      database.dataSource,
      { clock: { now: new Date(), retention: config.retention }, policyVersion: config.policyVersion },
      progress,
    );
    bar?.stop();
    if (!report.ran) {
      process.stdout.write('Another sweep is running (advisory lock held); nothing done.\n');
      return;
    }
    process.stdout.write(
      `Erased the recipient of ${report.shipmentsErased} shipment(s); anonymised ${report.customersAnonymised} customer(s); ` +
        `let ${report.consentsLapsed} consent(s) lapse; deregistered ${report.customersDeregistered} inactive customer(s); ` +
        `dropped ${report.auditPartitionsDropped.length} month(s) of the audit trail` +
        `${report.auditPartitionsDropped.map(({ partition, rowsDropped }) => ` ${partition} (${rowsDropped} rows)`).join(',')}.\n`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`retention sweep failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
