import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

interface Lease {
  points: number;
  /** When the store's window, and with it the lease, ends (ms since the epoch). */
  endsAt: number;
}

/** Past this many keys held, leases whose window has ended are dropped. */
const PRUNE_ABOVE_KEYS = 10_000;

/**
 * Requests counted in a shared store a batch at a time: a replica takes `size` points of a
 * key's minute from the store in one round trip and spends them here, so a busy principal
 * costs the store one command per `size` requests instead of one per request.
 *
 * The store never hands out more points than the rate: a lease is granted from the points
 * the store still had, so all replicas together stay within the limit. What it costs is
 * precision in the other direction: points leased to one replica and unspent when the
 * window ends are lost to the others, so a caller spread over N replicas may be refused
 * up to (N − 1) × (size − 1) requests early. A tenth of the rate keeps that small.
 */
export class PointLeases {
  private readonly leases = new Map<string, Lease>();
  private readonly leasing = new Map<string, Promise<void>>();

  constructor(
    private readonly store: RateLimiterAbstract,
    private readonly size: number,
  ) {}

  /** Spends one point of `key`; rejects with the store's RateLimiterRes when none is left. */
  async consume(key: string): Promise<void> {
    for (;;) {
      const now = Date.now();
      const held = this.leases.get(key);
      if (held && held.endsAt > now && held.points > 0) {
        held.points -= 1;
        return;
      }
      // One lease at a time per key: a burst of first requests must not each take a
      // tenth of the rate, which would strand the points and refuse the burst itself.
      const leasing = this.leasing.get(key);
      if (leasing) {
        await leasing.catch(() => undefined);
        continue;
      }
      const taken = this.lease(key, now).finally(() => this.leasing.delete(key));
      this.leasing.set(key, taken);
      await taken;
    }
  }

  private async lease(key: string, now: number): Promise<void> {
    try {
      const taken = await this.store.consume(key, this.size);
      this.remember(key, { points: this.size, endsAt: now + taken.msBeforeNext }, now);
    } catch (outcome) {
      if (!(outcome instanceof RateLimiterRes)) throw outcome;
      // The store counted the whole lease; what it had left before is what is granted.
      const left = this.size - (outcome.consumedPoints - this.store.points);
      if (left <= 0) throw outcome;
      this.remember(key, { points: left, endsAt: now + outcome.msBeforeNext }, now);
    }
  }

  private remember(key: string, lease: Lease, now: number): void {
    if (this.leases.size >= PRUNE_ABOVE_KEYS) {
      for (const [held, { endsAt }] of this.leases) if (endsAt <= now) this.leases.delete(held);
    }
    this.leases.set(key, lease);
  }
}
