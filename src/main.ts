// First, so that the tracing SDK (when OTEL_EXPORTER_OTLP_ENDPOINT is set) sees http, graphql and pg load.
import { stopTracing } from './start-tracing';
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase } from './db/data-source';
import { DataFolderInUse } from './db/data-folder-lock';
import { keepRequestDataYoung } from './garbage-collection';
import { demoTokens, seedDemoShopIfEmpty } from './demo/demo-shop';
import { logger } from './logger';
import { loadMailConfig } from './mail/mail-config';
import { startMailWorker } from './mail/mail-worker-setup';
import { scheduleRetention } from './retention/scheduler';
import { scheduleOverdueWarnings } from './data-subject/overdue';
import { createGateway, gracefulStop, listen, PortInUse } from './http/server';

async function main(): Promise<void> {
  keepRequestDataYoung();
  const config = loadConfig();
  const mail = loadMailConfig(process.env, config.pgliteDir);
  const database = await openDatabase({
    url: config.databaseUrl,
    pgliteDir: config.pgliteDir,
    timeoutMs: config.requestTimeoutMs,
    preparedStatements: config.preparedStatements,
  });
  logger.info(
    { database: database.kind, location: config.databaseUrl ? 'DATABASE_URL' : config.pgliteDir },
    'database migrated',
  );

  // The demo shop and its tokens are for trying the gateway out, never for production.
  if (!config.production && (await seedDemoShopIfEmpty(database.dataSource, config.policyVersion))) {
    logger.info('seeded the demo shop');
  }

  const stopSweep = scheduleRetention(database.dataSource, config);
  const stopWarnings = scheduleOverdueWarnings(database.dataSource);
  const stopRetention = () => {
    stopSweep();
    stopWarnings();
  };
  const mailWorker = startMailWorker(database.dataSource, { ...config, mail });
  const gateway = await createGateway(database, { ...config, mail });
  const server = await listen(gateway.app, config.port).catch(async (error: unknown) => {
    stopRetention();
    await gateway.stop();
    await mailWorker.stop();
    await database.close();
    throw error;
  });
  stopOnSignals(config, { stopRetention, stopServing: gracefulStop(server), gateway, mailWorker, database });

  // PORT=0 takes a free port: say which.
  const url = `http://localhost:${(server.address() as AddressInfo).port}/graphql`;
  logger.info({ url }, 'gateway listening');
  if (!config.production) await printDemoAccess(config, url);
}

/**
 * On SIGINT or SIGTERM: stops the retention timer, lets requests in flight finish within
 * the grace period, then closes the gateway and the database, and exits.
 */
function stopOnSignals(
  config: Config,
  running: {
    stopRetention: () => void;
    stopServing: (graceMs: number) => Promise<void>;
    gateway: { stop(): Promise<void> };
    mailWorker: { stop(): Promise<void> };
    database: { close(): Promise<void> };
  },
): void {
  const { stopRetention, stopServing, gateway, mailWorker, database } = running;
  const shutdown = async (signal: string) => {
    // From here a second SIGINT or SIGTERM ends the process at once, as without handlers.
    process.off('SIGINT', shutdown);
    process.off('SIGTERM', shutdown);
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down: finishing requests in flight');
    stopRetention();
    try {
      await stopServing(config.shutdownGraceMs);
      await gateway.stop();
      // The message being sent is settled before the database goes; the rest wait for the next start.
      await mailWorker.stop();
      await database.close();
      if (stopTracing && !(await stopTracing())) logger.warn('the last trace spans could not be sent');
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

/** Outside production: where the gateway listens, and demo tokens to try it with. */
async function printDemoAccess(config: Config, url: string): Promise<void> {
  const lines = [`\nPetto gateway: ${url}`];
  if (config.jwtSecretGenerated) lines.push(`JWT_SECRET (generated for this run): ${config.jwtSecret}`);
  lines.push('Demo tokens (valid 8 hours):');
  for (const { role, carrierId, token } of await demoTokens(config.jwtSecret)) {
    lines.push(`  ${carrierId ? `${role} ${carrierId}` : role}:\n    ${token}`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`configuration error: ${error.message}\n`);
  } else if (error instanceof DataFolderInUse || error instanceof PortInUse) {
    // Said plainly: a second `npm start`, or another server on the port, is a common slip.
    process.stderr.write(`${error.message}\n`);
  } else {
    logger.fatal({ err: error }, 'gateway failed to start');
  }
  process.exit(1);
});
