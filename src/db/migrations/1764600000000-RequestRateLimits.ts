import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The requests-per-minute counts of every replica, in the columns rate-limiter-flexible's
 * RateLimiterPostgres reads and writes, created here with the rest of the schema rather
 * than by the library on its first use. Used when there is no REDIS_URL.
 *
 * UNLOGGED: a count lives for a minute and is written on every request, so it is kept
 * out of the WAL (cheaper writes) and, with it, out of streaming replicas and base
 * backups. Its keys include client addresses of callers without a token, which have no
 * business in a backup. A crash empties the table, which only restarts the minute.
 * `key` is text, not the library's varchar(255): a longer principal id must not make the
 * write fail, as that would count the request only in the replica's memory.
 */
export class RequestRateLimits1764600000000 implements MigrationInterface {
  name = 'RequestRateLimits1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE UNLOGGED TABLE request_rate_limits (
        key text PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE request_rate_limits`);
  }
}
