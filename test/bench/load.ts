// Load from autocannon, in a worker thread: the servers under test run in this process's
// main thread, and a load generator sharing their event loop would slow both of them
// alike and squeeze every ratio towards 1.
import autocannon from 'autocannon';

export interface Target {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface Measurement {
  requests: number;
  seconds: number;
  perSecond: number;
  /** Latency percentiles, in milliseconds. */
  p50: number;
  p99: number;
}

export async function measure(target: Target, connections: number, seconds: number): Promise<Measurement> {
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: target.headers,
    body: target.body,
    connections,
    duration: seconds,
    workers: 1,
  });
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${target.url}: ${result.errors} connection errors and ${result.non2xx} non-2xx answers`);
  }
  return {
    requests: result.requests.total,
    seconds: result.duration,
    perSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}
