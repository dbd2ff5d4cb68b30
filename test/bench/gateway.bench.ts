// npm run bench: the gateway against its floor (graphql-js + SQL, no policy; floor.ts) and
// the same floor served by Apollo Server, on the same database, under autocannon at 1 and
// 16 connections, the three servers' runs interleaved so that noise on a shared machine
// hits all alike; then a carrier polling for minutes while the audit trail grows. Prints a Markdown table for the README.
// Not a test: it asserts nothing and is never run by jest. Settings: README, "Performance".
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { loadConfig } from '../../src/config';
import type { Database } from '../../src/db/data-source';
import { keepRequestDataYoung } from '../../src/garbage-collection';
import { createGateway, listen } from '../../src/http/server';
import { databaseUrlOf, fillDatabase, openBenchDatabase } from './data';
import { startFloor, type Floor, type QueryFunction } from './floor';
import { measure, type Measurement, type Target } from './load';
import {
  BENCH_GATEWAY_SETTINGS,
  CARRIER,
  SCENARIOS,
  SECRET,
  ask,
  checkAnswers,
  chosenScenarios,
  setting,
  target,
  type Scenario,
} from './scenarios';

const postgresUrl = process.env.BENCH_DATABASE_URL || undefined;
const quick = process.env.BENCH_QUICK === '1';

function connectionCounts(raw: string): number[] {
  const counts = raw.split(',').map(Number);
  if (!counts.every((count) => Number.isInteger(count) && count > 0)) {
    throw new Error(`BENCH_CONNECTIONS lists connection counts, like 1,16; got "${raw}"`);
  }
  return counts;
}

const SETTINGS = {
  customers: setting('BENCH_CUSTOMERS', quick ? 2_000 : postgresUrl ? 100_000 : 20_000),
  secondsPerRun: setting('BENCH_SECONDS', quick ? 2 : 5),
  rounds: setting('BENCH_ROUNDS', quick ? 2 : 3),
  connections: connectionCounts(process.env.BENCH_CONNECTIONS || '1,16'),
  // The goal is about 10 minutes of polling on PostgreSQL.
  // 0 skips the polling run (while profiling one scenario, say).
  pollSeconds: setting('BENCH_POLL_SECONDS', quick ? 10 : postgresUrl ? 600 : 60, 0),
  pollConnections: setting('BENCH_POLL_CONNECTIONS', 1),
};

const MEASURED = chosenScenarios(process.env.BENCH_ONLY);

const print = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const megabytes = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
/** autocannon's latencies are whole milliseconds: below one, "<1" says more than "0". */
const milliseconds = (value: number) => (value < 1 ? '<1' : value.toFixed(0));

let peakRss = 0;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 500).unref();
const loadAverage = () => os.loadavg()[0].toFixed(1);

interface Servers {
  gatewayUrl: string;
  floor: Floor;
  /** The floor's schema and statements served by Apollo Server: what the stack alone costs. */
  apolloFloor: Floor;
  database: Database;
}

/** The measured servers, in the order their runs alternate, with their names in the progress lines. */
const SERVER_NAMES = [
  ['gateway', 'gateway'],
  ['floor', 'floor'],
  ['apolloFloor', 'Apollo floor'],
] as const;

interface Row {
  scenario: Scenario;
  connections: number;
  gateway: Measurement[];
  floor: Measurement[];
  apolloFloor: Measurement[];
  statementsPerRequest: { gateway: number; floor: number };
}

/** One measured run, then a pause: requests still in flight when autocannon stops finish before the other side starts. */
async function run(target: Target, connections: number): Promise<Measurement> {
  const measured = await measure(target, connections, SETTINGS.secondsPerRun);
  await sleep(250);
  return measured;
}

/**
 * Counted over a few requests in a row rather than under load, where the statements of
 * the requests cut off at the end of a run would be counted without their answers.
 */
async function statementsPerRequest(target: Target, countStatements: () => number): Promise<number> {
  const requests = 10;
  const before = countStatements();
  for (let i = 0; i < requests; i += 1) await ask(target);
  return (countStatements() - before) / requests;
}

const describeRun = (run: Measurement) =>
  `${run.perSecond.toFixed(0).padStart(6)} req/s  p50 ${milliseconds(run.p50).padStart(4)} ms  p99 ${milliseconds(run.p99).padStart(4)} ms`;

async function measureScenario(servers: Servers, scenario: Scenario, index: number): Promise<Row[]> {
  // A principal of its own per run: the gateway reads each principal's recent releases
  // for its disclosure budget, and the table is about one request's cost, not about that
  // history growing (the polling scenario measures that).
  let runs = 0;
  const fresh = () => ({ ...scenario.principal, sub: `${scenario.principal.sub}-${(runs += 1)}` });
  const targets = async () => {
    const principal = fresh();
    return {
      gateway: await target(servers.gatewayUrl, scenario, principal),
      floor: await target(servers.floor.url, scenario, principal),
      apolloFloor: await target(servers.apolloFloor.url, scenario, principal),
    };
  };
  const warmUp = await targets();
  await checkAnswers(scenario, warmUp.gateway, warmUp.floor);
  await checkAnswers(scenario, warmUp.apolloFloor, warmUp.floor, []);
  const statements = {
    gateway: await statementsPerRequest(warmUp.gateway, () => servers.database.statements.statements),
    floor: await statementsPerRequest(warmUp.floor, () => servers.floor.statements()),
  };
  // Unmeasured: JIT, plan caches and connection pools warm up for all three alike.
  const maxConnections = Math.max(...SETTINGS.connections);
  for (const warm of Object.values(warmUp)) await measure(warm, maxConnections, 1);

  const rows: Row[] = [];
  for (const connections of SETTINGS.connections) {
    const row: Row = {
      scenario,
      connections,
      gateway: [],
      floor: [],
      apolloFloor: [],
      statementsPerRequest: statements,
    };
    for (let round = 1; round <= SETTINGS.rounds; round += 1) {
      const ofRound = await targets();
      const label = `[${index + 1}/${MEASURED.length}] ${scenario.name}, ${connections} conn, round ${round}/${SETTINGS.rounds}`;
      for (const [server, name] of SERVER_NAMES) {
        const measured = await run(ofRound[server], connections);
        row[server].push(measured);
        print(`  ${label}: ${name.padEnd(12)} ${describeRun(measured)}`);
      }
      // Each gateway run must still have been answering in full (no budget or rate limit hit).
      await checkAnswers(scenario, ofRound.gateway, ofRound.floor);
    }
    rows.push(row);
  }
  return rows;
}

function table(rows: Row[], onPostgres: boolean): string[] {
  const lines = [
    '| scenario | conn | gateway req/s | floor req/s | ratio | goal | Apollo floor ÷ floor | gateway ÷ Apollo floor | gateway p50 / p99 ms | floor p50 / p99 ms | SQL/req gateway | SQL/req floor |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const { scenario, connections, gateway, floor, apolloFloor, statementsPerRequest } of rows) {
    const perSecond = (runs: Measurement[]) => median(runs.map((run) => run.perSecond));
    const latency = (runs: Measurement[]) =>
      `${milliseconds(median(runs.map((run) => run.p50)))} / ${milliseconds(median(runs.map((run) => run.p99)))}`;
    const ratio = perSecond(gateway) / perSecond(floor);
    // The goals are set for PostgreSQL; on PGlite they are shown for reference only.
    const verdict = onPostgres ? (ratio >= scenario.goal ? ' ✓' : ' ✗') : '';
    const cells = [
      scenario.name,
      connections,
      perSecond(gateway).toFixed(0),
      perSecond(floor).toFixed(0),
      `${ratio.toFixed(2)}${verdict}`,
      `≥ ${scenario.goal}`,
      (perSecond(apolloFloor) / perSecond(floor)).toFixed(2),
      (perSecond(gateway) / perSecond(apolloFloor)).toFixed(2),
      latency(gateway),
      latency(floor),
      statementsPerRequest.gateway.toFixed(1),
      statementsPerRequest.floor.toFixed(1),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}

/**
 * One carrier polling its deliveries without pause, with the real (default) disclosure
 * budget: every answer appends 50 audit events, and the budget is read back from that
 * trail. Runs in slices so that the rate can be followed over time.
 */
async function poll(database: Database): Promise<string[]> {
  const config = loadConfig({
    NODE_ENV: 'production',
    JWT_SECRET: SECRET,
    RATE_LIMIT_PER_MINUTE: '100000000',
    RETENTION_INTERVAL_MINUTES: '0',
    SAFELIST: 'enforce',
  });
  const gateway = await createGateway(database, config);
  const server = await listen(gateway.app, 0);
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const scenario = SCENARIOS[0];
    const polling = await target(url, scenario, { ...CARRIER, sub: 'bench-carrier-polling' });
    const auditRows = async () =>
      Number(((await database.dataSource.query('SELECT count(*) AS n FROM audit_events')) as { n: string }[])[0].n);
    const auditBefore = await auditRows();
    const sliceSeconds = Math.min(10, SETTINGS.pollSeconds / 4);
    const slices: (Measurement & { start: number })[] = [];
    for (let start = 0; start < SETTINGS.pollSeconds; start += sliceSeconds) {
      const slice = await measure(polling, SETTINGS.pollConnections, sliceSeconds);
      slices.push({ ...slice, start });
      print(
        `  [polling] ${start}–${start + sliceSeconds} s: ${slice.perSecond.toFixed(0)} req/s, p99 ${milliseconds(slice.p99)} ms`,
      );
    }
    const answer = await ask(polling);
    if (answer.errors) throw new Error(`polling ended with errors: ${JSON.stringify(answer.errors).slice(0, 1000)}`);
    const auditAfter = await auditRows();

    // The issue compares the first minute with the last; a shorter run compares its halves.
    const windowSeconds = Math.min(60, SETTINGS.pollSeconds / 2);
    const window = (inWindow: (start: number) => boolean) => {
      const chosen = slices.filter((slice) => inWindow(slice.start));
      const perSecond = chosen.reduce((sum, s) => sum + s.requests, 0) / chosen.reduce((sum, s) => sum + s.seconds, 0);
      return { perSecond, p99: median(chosen.map((slice) => slice.p99)) };
    };
    const first = window((start) => start < windowSeconds);
    const last = window((start) => start >= SETTINGS.pollSeconds - windowSeconds);
    const describe = (w: typeof first) => `${w.perSecond.toFixed(0)} req/s (p99 ${milliseconds(w.p99)} ms)`;
    return [
      `Carrier polling deliveries(first: 50) for ${SETTINGS.pollSeconds} s at ${SETTINGS.pollConnections} connection(s), default disclosure budget:` +
        ` first ${windowSeconds} s ${describe(first)}, last ${windowSeconds} s ${describe(last)},` +
        ` ratio ${(last.perSecond / first.perSecond).toFixed(2)} (goal ≥ 0.9); audit trail ${auditBefore.toLocaleString('en')} → ${auditAfter.toLocaleString('en')} rows.`,
    ];
  } finally {
    server.close();
    await gateway.stop();
  }
}

/**
 * What one durable commit costs on this machine, against one that does not wait for the
 * disk: every request that releases data commits its trail row durably before answering,
 * which the floor, writing nothing, never does. Medians of 20 single-row inserts each.
 */
async function commitCost(database: Database): Promise<string> {
  const db = database.dataSource;
  const median20 = async (mode: 'on' | 'off') => {
    const times: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const started = performance.now();
      await db.query(`SELECT set_config('synchronous_commit', '${mode}', false)`);
      await db.query('INSERT INTO bench_commit_probe VALUES (1)');
      times.push(performance.now() - started);
    }
    return median(times).toFixed(1);
  };
  await db.query('CREATE TABLE bench_commit_probe (x int)');
  try {
    const durable = await median20('on');
    const unflushed = await median20('off');
    await db.query(`SELECT set_config('synchronous_commit', 'on', false)`);
    return `A durable commit takes ${durable} ms here (${unflushed} ms without waiting for the disk).`;
  } finally {
    await db.query('DROP TABLE bench_commit_probe');
  }
}

function commit(): string {
  try {
    // Outside a git checkout (an exported tree) git's complaint would only clutter the output.
    return execSync('git describe --always --dirty', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown commit';
  }
}

async function main(): Promise<void> {
  // As `npm start` runs the gateway. Both servers share this process, so the floor runs
  // under it too: the ratio compares code, not garbage collector settings.
  keepRequestDataYoung();
  const database = await openBenchDatabase(postgresUrl);
  // On PostgreSQL the floor gets a pool of its own, as large as TypeORM's (pg's default
  // of 10); PGlite has one connection, so there the floor shares the gateway's.
  const floorPool = postgresUrl ? new Pool({ connectionString: databaseUrlOf(database) }) : undefined;
  try {
    const [{ server_version: version }] = (await database.dataSource.query('SHOW server_version')) as {
      server_version: string;
    }[];
    const databaseName = `${database.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'} ${version}`;
    print(
      `Petto gateway bench on ${databaseName}, ${commit()}: filling ${SETTINGS.customers.toLocaleString('en')} customers`,
    );
    // On a machine shared with other work, its load says how far to trust the numbers.
    const loadAtStart = loadAverage();
    await fillDatabase(database, SETTINGS.customers, (line) => print(line));
    const rssAfterFill = process.memoryUsage.rss();

    const config = loadConfig(BENCH_GATEWAY_SETTINGS);
    const gateway = await createGateway(database, config);
    const server = await listen(gateway.app, 0);
    const query: QueryFunction = floorPool
      ? async (sql, parameters) => (await floorPool.query(sql, parameters)).rows
      : (sql, parameters) => database.dataSource.query(sql, parameters);
    const floor = await startFloor(query, SECRET);
    const apolloFloor = await startFloor(query, SECRET, 'apollo');
    const servers = {
      gatewayUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
      floor,
      apolloFloor,
      database,
    };

    print(
      `Measuring ${MEASURED.length} scenarios at ${SETTINGS.connections.join(' and ')} connections, ` +
        `${SETTINGS.rounds} interleaved gateway/floor/Apollo floor runs of ${SETTINGS.secondsPerRun} s each (medians reported)`,
    );
    const rows: Row[] = [];
    try {
      for (const [index, scenario] of MEASURED.entries())
        rows.push(...(await measureScenario(servers, scenario, index)));
    } finally {
      server.close();
      await gateway.stop();
      await floor.close();
      await apolloFloor.close();
    }
    const polling = SETTINGS.pollSeconds > 0 ? await poll(database) : [];
    const commitLine = await commitCost(database);

    print('');
    print(
      `${databaseName}, ${SETTINGS.customers.toLocaleString('en')} customers, ${commit()}, ${new Date().toISOString().slice(0, 10)}; ` +
        `${SETTINGS.rounds} × ${SETTINGS.secondsPerRun} s per cell, medians:`,
    );
    print('');
    for (const line of table(rows, database.kind === 'postgres')) print(line);
    print('');
    for (const line of polling) print(line);
    print(commitLine);
    print(
      `Process RSS (gateway, floor${database.kind === 'pglite' ? ', PGlite' : ''} and load generator share it): ` +
        `${megabytes(rssAfterFill)} after filling, peak ${megabytes(peakRss)}, ${megabytes(process.memoryUsage.rss())} at the end.`,
    );
    print(
      `Load average (1 min) of the machine (${os.cpus().length} cores): ${loadAtStart} at the start, ${loadAverage()} at the end.`,
    );
  } finally {
    await floorPool?.end();
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
