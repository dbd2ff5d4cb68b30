import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase, type Database, type DatabaseOptions } from '../../src/db/data-source';

/** What a test may set on the database beyond where it is. */
type Tuning = Pick<DatabaseOptions, 'timeoutMs' | 'preparedStatements'>;

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  open(tuning?: Tuning): Promise<Database>;
}

export interface ThrowawayPostgres {
  /** postgres://… of an empty database of its own. */
  url: string;
  drop(): Promise<void>;
}

/** An empty database of its own on the server `adminUrl` names, for one test file. */
export async function createThrowawayPostgres(adminUrl: string): Promise<ThrowawayPostgres> {
  const name = `petto_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/**
 * A throwaway, migrated PostgreSQL database of its own on the server TEST_DATABASE_URL
 * names, so that test files running in parallel never share rows.
 */
async function openFreshPostgres(adminUrl: string, tuning: Tuning = {}): Promise<Database> {
  const throwaway = await createThrowawayPostgres(adminUrl);
  const database = await openDatabase({ url: throwaway.url, pgliteDir: '', ...tuning });
  return {
    ...database,
    close: async () => {
      await database.close();
      await throwaway.drop();
    },
  };
}

/** Every database test runs on PGlite, and on real PostgreSQL when TEST_DATABASE_URL is set. */
export const TEST_DATABASES: TestDatabase[] = [
  { name: 'pglite', open: (tuning) => openDatabase({ pgliteDir: 'memory://', ...tuning }) },
  ...(process.env.TEST_DATABASE_URL
    ? [
        {
          name: 'postgres' as const,
          open: (tuning?: Tuning) => openFreshPostgres(process.env.TEST_DATABASE_URL as string, tuning),
        },
      ]
    : []),
];
