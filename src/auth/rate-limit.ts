import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Requests per principal per minute. Counted in this process: behind N replicas a
 * principal gets up to N times the rate. The disclosure budget, which is what stops bulk
 * extraction, is counted in PostgreSQL and holds across replicas.
 */
export class RequestRateLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(readonly perMinute: number) {
    this.limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  }

  /** Seconds to wait before the next request is accepted, or 0 if this one may go ahead. */
  async retryAfter(principalId: string): Promise<number> {
    try {
      await this.limiter.consume(principalId);
      return 0;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw rejection;
    }
  }
}
