import { setFlagsFromString } from 'node:v8';

/**
 * Turns off V8's allocation-site pretenuring, for the life of the process.
 *
 * Why: V8 allocates an object literal's or array's objects straight into the old
 * generation once most of those it allocated survived a young-generation collection. A
 * request's rows, decisions and response tree are all alive when a collection lands in
 * the middle of it, so V8 took them for long-lived and moved their allocation to the old
 * generation, where they died a few milliseconds later: the old generation grew by about
 * 1.2 MB per collection and full collections had to reclaim it. Without pretenuring they
 * die young, where collecting them costs little. Measured in docs/performance.md
 * ("Garbage collection"). What lives long is copied once more before it is promoted, and
 * the gateway keeps little for long.
 *
 * V8 consults the flag each time a collection could pretenure a site: set before the
 * first request, no site on a request's path is ever pretenured. `npm run bench` sets it
 * too, for both servers it measures.
 */
export function keepRequestDataYoung(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
