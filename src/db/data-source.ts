import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { DataSource, MigrationExecutor, type Logger, type QueryRunner } from 'typeorm';
import { AuditEvent } from '../audit/audit-event.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { ConsentRecord } from '../consents/consent-record.entity';
import { Customer } from '../customers/customer.entity';
import { Order } from '../orders/order.entity';
import { OrderItem } from '../orders/order-item.entity';
import { Shipment } from '../orders/shipment.entity';
import { DataSubjectRequest } from '../data-subject/request.entity';
import { logger } from '../logger';
import { ensureAuditPartitions } from '../audit/audit-partitions';
import { lockDataFolder } from './data-folder-lock';
import { PreparingClient } from './prepared-statements';
import { CreateCoreTables1764000000000 } from './migrations/1764000000000-CreateCoreTables';
import { CreateAuditEvents1764100000000 } from './migrations/1764100000000-CreateAuditEvents';
import { ConsentLifecycleAndRetention1764200000000 } from './migrations/1764200000000-ConsentLifecycleAndRetention';
import { CashOnDelivery1764300000000 } from './migrations/1764300000000-CashOnDelivery';
import { UsesOfPersonalData1764400000000 } from './migrations/1764400000000-UsesOfPersonalData';
import { AuditTrailAtScale1764500000000 } from './migrations/1764500000000-AuditTrailAtScale';
import { RequestRateLimits1764600000000 } from './migrations/1764600000000-RequestRateLimits';
import { MoreConsentTopics1764650000000 } from './migrations/1764650000000-MoreConsentTopics';
import { MailOutbox1764700000000 } from './migrations/1764700000000-MailOutbox';
import { DeregistrationRecord1764750000000 } from './migrations/1764750000000-DeregistrationRecord';
import { DataSubjectRequests1764800000000 } from './migrations/1764800000000-DataSubjectRequests';
import { MessagesInTheTrail1764800000700 } from './migrations/1764800000700-MessagesInTheTrail';
import { BudgetRefreshedOncePerMinute1764900000000 } from './migrations/1764900000000-BudgetRefreshedOncePerMinute';
import { OpenOrdersByCustomer1764900000100 } from './migrations/1764900000100-OpenOrdersByCustomer';

export const ENTITIES = [Customer, ConsentRecord, Order, OrderItem, Shipment, AuditEvent, DataSubjectRequest, Campaign];
export const MIGRATIONS = [
  CreateCoreTables1764000000000,
  CreateAuditEvents1764100000000,
  ConsentLifecycleAndRetention1764200000000,
  CashOnDelivery1764300000000,
  UsesOfPersonalData1764400000000,
  AuditTrailAtScale1764500000000,
  RequestRateLimits1764600000000,
  MoreConsentTopics1764650000000,
  MailOutbox1764700000000,
  DeregistrationRecord1764750000000,
  DataSubjectRequests1764800000000,
  MessagesInTheTrail1764800000700,
  BudgetRefreshedOncePerMinute1764900000000,
  OpenOrdersByCustomer1764900000100,
];

/**
 * Counts SQL statements. The N+1 test and the benchmark read it; failed statements are
 * logged in full on the server side (never sent to clients).
 */
export class StatementCounter implements Logger {
  statements = 0;
  logQuery(): void {
    this.statements += 1;
  }
  logQueryError(error: string | Error, query: string): void {
    this.statements += 1;
    logger.error({ err: error, query }, 'SQL statement failed');
  }
  logQuerySlow(time: number, query: string): void {
    logger.warn({ ms: time, query }, 'slow SQL statement');
  }
  logSchemaBuild(message: string): void {
    logger.info({ schema: message }, 'schema');
  }
  logMigration(message: string): void {
    logger.info({ migration: message }, 'migration');
  }
  log(level: 'log' | 'info' | 'warn', message: unknown, _queryRunner?: QueryRunner): void {
    logger[level === 'warn' ? 'warn' : 'info'](message);
  }
}

export interface Database {
  dataSource: DataSource;
  statements: StatementCounter;
  /** 'pglite' or 'postgres', for logs and test names. */
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… for a real server; absent for the embedded PGlite. */
  url?: string;
  /** PGlite data folder, or memory:// for a throwaway in-memory database. */
  pgliteDir: string;
  /**
   * Real PostgreSQL only: the statement_timeout of every pooled connection, and how long a
   * caller waits for one. Unset, both wait as long as it takes. PGlite runs one statement
   * at a time in this process and has neither; the request deadline bounds waits there.
   */
  timeoutMs?: number;
  /** Prepare statements once per connection (PreparingClient); on unless false. */
  preparedStatements?: boolean;
}

/**
 * Builds the DataSource without connecting, so that `ormconfig.ts` (read synchronously
 * by the TypeORM CLI) and the application share one definition.
 */
export function createDatabase(options: DatabaseOptions): Database {
  const statements = new StatementCounter();
  const client = options.preparedStatements === false ? {} : { Client: PreparingClient };
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    logging: ['query', 'error', 'warn', 'migration'] as ('query' | 'error' | 'warn' | 'migration')[],
    logger: statements,
    maxQueryExecutionTime: 1000,
    // Ids come from gen_random_uuid(), built into PostgreSQL since 13: no extension to install.
    installExtensions: false,
  };
  if (options.url) {
    const dataSource = new DataSource({
      ...common,
      url: options.url,
      extra: {
        ...client,
        ...(options.timeoutMs
          ? { statement_timeout: options.timeoutMs, connectionTimeoutMillis: options.timeoutMs }
          : {}),
      },
    });
    return {
      dataSource,
      statements,
      kind: 'postgres',
      close: async () => {
        if (dataSource.isInitialized) await dataSource.destroy();
      },
    };
  }
  // PGlite's own pg adapter gives TypeORM a real session per connection; the pool has
  // one connection, so statements run one at a time (see docs/performance.md#pglites-limits-and-when-to-set-database_url).
  const pglite = new PGlite(options.pgliteDir);
  const dataSource = new DataSource({ ...common, extra: { ...createPgConfig(pglite), ...client } });
  return {
    dataSource,
    statements,
    kind: 'pglite',
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await pglite.close();
    },
  };
}

/**
 * Runs the pending migrations, each in its own transaction. A migration may rightly take
 * longer than any request's statement_timeout, so its session has none while it runs.
 */
async function migrate(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SET statement_timeout = 0');
    const migrations = new MigrationExecutor(dataSource, runner);
    migrations.transaction = 'each';
    await migrations.executePendingMigrations();
    // Back to the pool's own statement_timeout before the connection serves requests
    // (after a failed migration nothing serves: the caller gives up).
    await runner.query('RESET statement_timeout');
  } finally {
    await runner.release();
  }
}

/** A PGlite data folder on disk (not memory://), which one process at a time may open. */
function pgliteFolder(options: DatabaseOptions): string | undefined {
  return options.url || options.pgliteDir.startsWith('memory://') ? undefined : options.pgliteDir;
}

/** Connects and brings the schema up to date. A PGlite data folder is locked first (see lockDataFolder). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const folder = pgliteFolder(options);
  const unlock = folder === undefined ? () => undefined : lockDataFolder(folder);
  const database = createDatabase(options);
  const close = async () => {
    await database.close();
    unlock();
  };
  try {
    await database.dataSource.initialize();
    await migrate(database.dataSource);
    // The trail's coming months exist before the first write, even with the sweep timer off.
    await ensureAuditPartitions(database.dataSource, new Date());
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return { ...database, close };
}
