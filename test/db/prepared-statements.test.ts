import { ConfigError, loadConfig } from '../../src/config';
import type { Database } from '../../src/db/data-source';
import { TEST_DATABASES } from '../support/databases';

/**
 * The gateway's statements are prepared once per connection (planning
 * its fact-laden statements cost as much as running them), within a bound, and can be
 * turned off for poolers that cannot keep them.
 */
describe.each(TEST_DATABASES)('prepared statements [$name]', (testDatabase) => {
  /** Runs `work` on one pooled connection, then lists what that connection has prepared since. */
  async function preparedAfter(
    database: Database,
    work: (query: (sql: string, values?: unknown[]) => Promise<any>) => Promise<void>,
  ) {
    const runner = database.dataSource.createQueryRunner();
    const prepared = async () =>
      (
        (await runner.query(`SELECT statement FROM pg_prepared_statements ORDER BY statement`)) as {
          statement: string;
        }[]
      ).map(({ statement }) => statement);
    try {
      const before = await prepared();
      await work((sql, values) => runner.query(sql, values));
      return {
        added: (await prepared()).filter((statement) => !before.includes(statement)),
        total: (await prepared()).length,
      };
    } finally {
      await runner.release();
    }
  }

  describe('on (the default)', () => {
    let database: Database;
    beforeAll(async () => {
      database = await testDatabase.open();
    });
    afterAll(() => database?.close());

    test('a parameterised statement is prepared once and answers every time', async () => {
      const answers: number[] = [];
      const prepared = await preparedAfter(database, async (query) => {
        for (const n of [1, 2, 3]) answers.push((await query(`SELECT $1::int * 10 AS n`, [n]))[0].n);
      });
      expect(answers).toEqual([10, 20, 30]);
      expect(prepared.added).toEqual(['SELECT $1::int * 10 AS n']);
    });

    test('a lone SELECT without parameters is prepared too; other statements and several at once are not', async () => {
      const prepared = await preparedAfter(database, async (query) => {
        expect(await query(`SELECT 'no parameters' AS text`)).toEqual([{ text: 'no parameters' }]);
        expect(await query(`WITH n AS (SELECT 2 AS n) SELECT n FROM n`)).toEqual([{ n: 2 }]);
        await query(`SET application_name = 'prepared-statements test'`);
        await query(`SELECT 1 AS one; SELECT 2 AS two`);
      });
      expect(prepared.added).toEqual([`SELECT 'no parameters' AS text`, `WITH n AS (SELECT 2 AS n) SELECT n FROM n`]);
    });

    test('a failing statement fails as before and leaves the connection usable', async () => {
      const prepared = await preparedAfter(database, async (query) => {
        await expect(query(`SELECT $1::int / 0 AS n`, [1])).rejects.toThrow(/division by zero/);
        expect((await query(`SELECT $1::int / 1 AS n`, [7]))[0].n).toBe(7);
      });
      // Prepared before it ran: the failure was in running it, not in preparing it.
      expect(prepared.added).toEqual(['SELECT $1::int / 0 AS n', 'SELECT $1::int / 1 AS n']);
    });

    test('a connection keeps at most 200 (statements it ran before count); those past that still run, unprepared', async () => {
      const prepared = await preparedAfter(database, async (query) => {
        for (let n = 0; n < 210; n += 1) expect((await query(`SELECT $1::int + ${n} AS n`, [1]))[0].n).toBe(n + 1);
      });
      expect(prepared.total).toBe(200);
    });
  });

  describe('off (DATABASE_PREPARED_STATEMENTS=off)', () => {
    let database: Database;
    beforeAll(async () => {
      database = await testDatabase.open({ preparedStatements: false });
    });
    afterAll(() => database?.close());

    test('nothing is prepared', async () => {
      const prepared = await preparedAfter(database, async (query) => {
        expect((await query(`SELECT $1::int * 10 AS n`, [4]))[0].n).toBe(40);
      });
      expect(prepared).toEqual({ added: [], total: 0 });
    });
  });
});

test('DATABASE_PREPARED_STATEMENTS is on unless set to off; any other value stops the start', () => {
  expect(loadConfig({}).preparedStatements).toBe(true);
  expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'on' }).preparedStatements).toBe(true);
  expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'off' }).preparedStatements).toBe(false);
  expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: 'no' })).toThrow(ConfigError);
  expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: 'no' })).toThrow(
    /DATABASE_PREPARED_STATEMENTS must be on or off/,
  );
});
