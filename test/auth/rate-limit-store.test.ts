import { RequestRateLimiter } from '../../src/auth/rate-limit';
import type { Database } from '../../src/db/data-source';
import { rateLimitStoreFailures } from '../../src/metrics';
import { TEST_DATABASES } from '../support/databases';

/** Nothing listens on port 1: the connection is refused at once, as when Redis is down. */
const REDIS_DOWN = 'redis://127.0.0.1:1';

async function redisFailuresCounted(): Promise<number> {
  const { values } = await rateLimitStoreFailures.get();
  return values.find((value) => value.labels.store === 'redis')?.value ?? 0;
}

describe.each(TEST_DATABASES)('where rate limits are counted [$name]', (testDatabase) => {
  let database: Database;
  beforeAll(async () => {
    database = await testDatabase.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  test('without REDIS_URL: in PostgreSQL, shared by the replicas; on PGlite, one process, in memory', async () => {
    const limiter = await RequestRateLimiter.create({ perMinute: 2, database });
    expect(limiter.store).toBe(database.kind === 'postgres' ? 'postgres' : 'memory');
    const waits = [];
    for (let i = 0; i < 3; i += 1) waits.push(await limiter.principalRetryAfter('store-test'));
    expect(waits).toEqual([0, 0, expect.any(Number)]);
    expect(waits[2]).toBeGreaterThan(0);
  });

  test('a principal and a caller without a token never share a count, whatever the principal is called', async () => {
    const limiter = await RequestRateLimiter.create({ perMinute: 1, database });
    expect(await limiter.principalRetryAfter('anonymous:203.0.113.7')).toBe(0);
    expect(await limiter.anonymousRetryAfter('203.0.113.7')).toBe(0);
    expect(await limiter.anonymousRetryAfter('203.0.113.7')).toBeGreaterThan(0);
  });
});

// PGlite is one process and counts in memory: only PostgreSQL has replicas to share with.
describe.each(TEST_DATABASES.filter(({ name }) => name === 'postgres'))('shared counts [$name]', (testDatabase) => {
  let database: Database;
  beforeAll(async () => {
    database = await testDatabase.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  test('a burst of first requests shares one lease instead of each taking one', async () => {
    const limiter = await RequestRateLimiter.create({ perMinute: 40, database });
    const key = `burst-${Date.now()}`;
    // Sixteen leases of four would ask the store for 64 of the 40 points and refuse the burst.
    const waits = await Promise.all(Array.from({ length: 16 }, () => limiter.principalRetryAfter(key)));
    expect(waits).toEqual(Array(16).fill(0));
  });

  test('replicas lease a tenth of the rate at a time, and together never exceed it', async () => {
    const [first, second] = await Promise.all([1, 2].map(() => RequestRateLimiter.create({ perMinute: 40, database })));
    const key = `leases-${Date.now()}`;
    const counted = async () =>
      (
        (await database.dataSource.query(`SELECT points FROM request_rate_limits WHERE key = $1`, [
          `principal:${key}`,
        ])) as {
          points: number;
        }[]
      )[0]?.points;

    for (let i = 0; i < 5; i += 1) expect(await first.principalRetryAfter(key)).toBe(0);
    // Five requests took two leases of four points from the store, not five round trips.
    expect(await counted()).toBe(8);

    let allowed = 5;
    for (let i = 0; i < 60; i += 1) {
      if ((await (i % 2 === 0 ? second : first).principalRetryAfter(key)) === 0) allowed += 1;
    }
    // At most the rate; at worst the points one replica leased and never spent are lost.
    expect(allowed).toBeLessThanOrEqual(40);
    expect(allowed).toBeGreaterThanOrEqual(40 - 3);
  });
});

describe('when Redis does not answer', () => {
  let database: Database;
  beforeAll(async () => {
    database = await TEST_DATABASES[0].open();
  });
  afterAll(async () => {
    await database?.close();
  });

  test('the gateway starts, and each replica counts in memory at the same rate, without waiting for Redis', async () => {
    const limiter = await RequestRateLimiter.create({ perMinute: 2, redisUrl: REDIS_DOWN, database });
    try {
      expect(limiter.store).toBe('redis');
      const failuresBefore = await redisFailuresCounted();
      const started = Date.now();
      const waits = [];
      for (let i = 0; i < 3; i += 1) waits.push(await limiter.principalRetryAfter('redis-down-test'));
      expect(Date.now() - started).toBeLessThan(1000);
      // Neither open (no limit) nor closed (everyone refused): the rate, per replica.
      expect(waits.slice(0, 2)).toEqual([0, 0]);
      expect(waits[2]).toBeGreaterThan(0);
      expect(await redisFailuresCounted()).toBe(failuresBefore + 3);
    } finally {
      await limiter.close();
    }
  });
});
