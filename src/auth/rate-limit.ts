import Redis from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Database } from '../db/data-source';
import { logger } from '../logger';
import { PointLeases } from './point-leases';
import { rateLimitStoreFailures } from '../metrics';

/** Where the counts live: shared by every replica (redis, postgres) or in this process (memory). */
export type RateLimitStore = 'redis' | 'postgres' | 'memory';

export interface RateLimitOptions {
  perMinute: number;
  /** redis://… when the counts are to live in Redis. */
  redisUrl?: string;
  /** Counts in its PostgreSQL when there is no Redis; PGlite is one process, so memory then. */
  database: Database;
}

/** A tenth of the rate, taken from the shared store at once (see PointLeases). */
const leaseSize = (perMinute: number) => Math.max(1, Math.floor(perMinute / 10));

/** Created by the migration RequestRateLimits1764600000000, in rate-limiter-flexible's layout. */
export const RATE_LIMIT_TABLE = 'request_rate_limits';

/** Namespaces the gateway's keys in a Redis that other programs may share. */
export const REDIS_KEY_PREFIX = 'petto-gateway:requests';

/**
 * Redis answers in well under a millisecond; one that has not in this long is treated as
 * down for this request, which is then counted in memory rather than kept waiting.
 */
const REDIS_COMMAND_TIMEOUT_MS = 250;

/** How long the gateway waits for Redis at start before it starts without it (and keeps trying). */
const REDIS_CONNECT_TIMEOUT_MS = 2000;

/**
 * How long closing waits for the connection to say it closed. ioredis waits for that even
 * when Redis was down and there is nothing to close, which kept a stopped gateway's
 * process alive for its default of 2 s.
 */
const REDIS_DISCONNECT_TIMEOUT_MS = 250;

/**
 * Requests per principal per minute, and per client address for callers without a
 * token. With REDIS_URL the counts live in Redis, otherwise in the gateway's PostgreSQL,
 * so every replica counts against one budget; on the embedded PGlite (one process) in
 * memory. A replica takes a key's points from the shared store a tenth of the rate at a
 * time (PointLeases): one round trip per batch of requests, never more than the rate in
 * all, at the price of refusing a caller spread over replicas a little early.
 *
 * When the shared store fails (Redis down or slow, a statement refused), the request is
 * counted in this replica's memory instead, at the same rate: the limit weakens to per
 * replica for the outage, as it was before it was shared, but neither disappears (fail
 * open would hand a caller who can slow the store an unlimited rate) nor refuses everyone
 * (fail closed would turn a Redis outage into an outage of the gateway, carriers
 * included). The disclosure budget, counted in PostgreSQL, is what stops bulk extraction
 * either way. Each such request is counted in petto_rate_limit_store_failures_total, and
 * the log says when the store fails and when it answers again.
 */
export class RequestRateLimiter {
  private storeFailing = false;
  private readonly shared: PointLeases | undefined;

  private constructor(
    readonly store: RateLimitStore,
    sharedStore: RateLimiterAbstract | undefined,
    private readonly local: RateLimiterMemory,
    private readonly redis: Redis | undefined,
  ) {
    this.shared = sharedStore && new PointLeases(sharedStore, leaseSize(sharedStore.points));
  }

  static async create(options: RateLimitOptions): Promise<RequestRateLimiter> {
    const limiter = await RequestRateLimiter.open(options);
    logger.info({ store: limiter.store }, 'rate limits counted');
    return limiter;
  }

  private static async open({ perMinute, redisUrl, database }: RateLimitOptions): Promise<RequestRateLimiter> {
    const window = { points: perMinute, duration: 60 };
    const local = new RateLimiterMemory(window);
    if (redisUrl) {
      const redis = new Redis(redisUrl, {
        lazyConnect: true,
        // Fail at once while disconnected (the request is then counted in memory)
        // instead of queueing until Redis is back.
        enableOfflineQueue: false,
        commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
        connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
        disconnectTimeout: REDIS_DISCONNECT_TIMEOUT_MS,
      });
      const shared = new RateLimiterRedis({
        ...window,
        storeClient: redis,
        keyPrefix: REDIS_KEY_PREFIX,
        rejectIfRedisNotReady: true,
      });
      const limiter = new RequestRateLimiter('redis', shared, local, redis);
      // ioredis reports every failed reconnection attempt; the limiter logs only changes.
      redis.on('error', (error) => limiter.storeFailed(error));
      redis.on('ready', () => limiter.storeAnswered());
      // Without Redis the gateway still starts (counting in memory); ioredis keeps retrying.
      await redis.connect().catch((error: unknown) => limiter.storeFailed(error));
      return limiter;
    }
    if (database.kind === 'postgres') {
      const shared = new RateLimiterPostgres({
        ...window,
        storeClient: database.dataSource,
        storeType: 'typeorm',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        keyPrefix: '',
      });
      return new RequestRateLimiter('postgres', shared, local, undefined);
    }
    return new RequestRateLimiter('memory', undefined, local, undefined);
  }

  /** Seconds a caller with a token must wait before its next request, or 0 if this one may go ahead. */
  principalRetryAfter(principalId: string): Promise<number> {
    return this.retryAfter(`principal:${principalId}`);
  }

  /**
   * The same for a caller without a token (the unsubscribe routes and mutation), by its
   * client address as Express sees it (see TRUST_PROXY).
   */
  anonymousRetryAfter(ip: string | undefined): Promise<number> {
    return this.retryAfter(`anonymous:${ip ?? 'unknown'}`);
  }

  /** Closes the Redis connection, if any; the PostgreSQL store uses the gateway's pool. */
  async close(): Promise<void> {
    if (!this.redis) return;
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }

  private async retryAfter(key: string): Promise<number> {
    try {
      await this.consume(key);
      return 0;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw rejection;
    }
  }

  private async consume(key: string): Promise<void> {
    if (!this.shared) {
      await this.local.consume(key);
      return;
    }
    try {
      await this.shared.consume(key);
      this.storeAnswered();
    } catch (outcome) {
      // A RateLimiterRes is the store's answer (over the limit); anything else is the store failing.
      if (outcome instanceof RateLimiterRes) {
        this.storeAnswered();
        throw outcome;
      }
      this.storeFailed(outcome);
      rateLimitStoreFailures.inc({ store: this.store });
      await this.local.consume(key);
    }
  }

  private storeFailed(error: unknown): void {
    if (this.storeFailing) return;
    this.storeFailing = true;
    logger.warn(
      { err: error, store: this.store },
      'rate-limit store failed: requests are counted in this replica until it answers',
    );
  }

  private storeAnswered(): void {
    if (!this.storeFailing) return;
    this.storeFailing = false;
    logger.info({ store: this.store }, 'rate-limit store answers again: requests are counted there');
  }
}
