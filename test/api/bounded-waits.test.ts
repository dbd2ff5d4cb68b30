import type { QueryRunner } from 'typeorm';
import type { Database } from '../../src/db/data-source';
import { TEST_DATABASES } from '../support/databases';
import { errorCodes, TestGateway } from '../support/gateway';

const CUSTOMERS = `{ customers(first: 5) { edges { node { id email } } } }`;

interface Stall {
  release(): Promise<void>;
}

/**
 * A transaction holding customers in ACCESS EXCLUSIVE mode, on a connection of the
 * gateway's own pool. On PostgreSQL the gateway's reads of customers wait for the lock;
 * on PGlite, whose pool is its one connection, every statement waits for the connection.
 */
async function lockCustomers(database: Database): Promise<Stall> {
  const runner = database.dataSource.createQueryRunner();
  await runner.startTransaction();
  await runner.query('LOCK TABLE customers IN ACCESS EXCLUSIVE MODE');
  return {
    release: async () => {
      await runner.rollbackTransaction();
      await runner.release();
    },
  };
}

/** Every connection of the gateway's pool, taken and held: anyone else waits for one. */
async function takeEveryConnection(database: Database): Promise<Stall> {
  const poolSize: number = (database.dataSource.driver as unknown as { master: { options: { max: number } } }).master
    .options.max;
  const runners: QueryRunner[] = [];
  for (let i = 0; i < poolSize; i += 1) {
    const runner = database.dataSource.createQueryRunner();
    await runner.connect();
    runners.push(runner);
  }
  return {
    release: async () => {
      await Promise.all(runners.map((runner) => runner.release()));
    },
  };
}

async function whileStalled<T>(stall: Stall, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    await stall.release();
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
}

describe.each(TEST_DATABASES)('bounded waits [$name]', (testDatabase) => {
  let gateway: TestGateway;
  const readyz = () => fetch(gateway.url.replace('/graphql', '/readyz'));

  beforeAll(async () => {
    gateway = await TestGateway.start(await testDatabase.open(), { REQUEST_TIMEOUT_MS: '500' });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  test('a request stalled on the database answers SERVICE_UNAVAILABLE (503) at its deadline, while the stall lasts', async () => {
    const stall = await lockCustomers(gateway.database);
    const response = await whileStalled(stall, () => gateway.query({ role: 'SUPPORT_AGENT' }, CUSTOMERS));
    expect(response.status).toBe(503);
    expect(response.errors).toEqual([
      {
        message: 'no answer within 500 ms; try again later',
        extensions: { code: 'SERVICE_UNAVAILABLE', requestId: response.requestId },
      },
    ]);
    expect(response.data).toBeUndefined();

    // Once the database answers again, so does the gateway.
    const after = await gateway.query({ role: 'SUPPORT_AGENT' }, CUSTOMERS);
    expect(after.status).toBe(200);
    expect(after.data.customers.edges.length).toBeGreaterThan(0);
  });

  test('/readyz answers 503 within about 1 s while no pooled connection is free, and 200 after', async () => {
    const stall = await takeEveryConnection(gateway.database);
    const { result: response, ms } = await whileStalled(stall, () => timed(readyz));
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'database unreachable' });
    expect(ms).toBeLessThan(3_000);
    expect((await readyz()).status).toBe(200);
  });
});

const postgres = TEST_DATABASES.find((database) => database.name === 'postgres');

(postgres ? describe : describe.skip)(
  'database timeouts [postgres only: on PGlite the request deadline alone bounds waits]',
  () => {
    let gateway: TestGateway;

    beforeAll(async () => {
      // The request deadline is far away: a 503 here can only come from the database's own timeouts.
      gateway = await TestGateway.start(await postgres!.open({ timeoutMs: 300 }), { REQUEST_TIMEOUT_MS: '60000' });
    });
    afterAll(async () => {
      await gateway?.stop();
    });

    test('pooled connections carry the statement_timeout, the one the migrations ran on too', async () => {
      const stall = await takeEveryConnection(gateway.database);
      await stall.release();
      const timeouts = await Promise.all(
        Array.from({ length: 10 }, () => gateway.database.dataSource.query('SHOW statement_timeout')),
      );
      expect(new Set(timeouts.map(([row]) => row.statement_timeout))).toEqual(new Set(['300ms']));
    });

    test('a statement ended by statement_timeout (57014) is SERVICE_UNAVAILABLE (503), not an internal error', async () => {
      const stall = await lockCustomers(gateway.database);
      const response = await whileStalled(stall, () => gateway.query({ role: 'SUPPORT_AGENT' }, CUSTOMERS));
      expect(response.status).toBe(503);
      expect(response.errors).toEqual([
        {
          message: 'the database did not answer in time; try again later',
          path: ['customers'],
          extensions: { code: 'SERVICE_UNAVAILABLE', requestId: response.requestId },
        },
      ]);
    });

    test('no pooled connection within connectionTimeoutMillis is SERVICE_UNAVAILABLE (503)', async () => {
      const stall = await takeEveryConnection(gateway.database);
      const response = await whileStalled(stall, () => gateway.query({ role: 'SUPPORT_AGENT' }, CUSTOMERS));
      expect(response.status).toBe(503);
      expect(errorCodes(response)).toEqual(['SERVICE_UNAVAILABLE']);
    });
  },
);
