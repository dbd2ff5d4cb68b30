// npm run bench:profile: where the gateway spends the CPU the floor does not. Each server
// runs in a process of its own (serve.ts) on one filled PostgreSQL database and is
// profiled under the same load at 1 connection; the CPU profiles are then added up by
// where the code lives (a package, a folder of src/, a Node built-in, the garbage
// collector) and divided by the requests served. Prints Markdown tables of microseconds
// per request. Not a test: it asserts nothing and is never run by jest.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { databaseUrlOf, fillDatabase, openBenchDatabase } from './data';
import { measure, type Target } from './load';
import { checkAnswers, chosenScenarios, setting, target, type Scenario } from './scenarios';
import type { ServerKind } from './serve';

const adminUrl = process.env.BENCH_DATABASE_URL;
const customers = setting('BENCH_CUSTOMERS', 100_000);
const seconds = setting('BENCH_SECONDS', 10);
const rows = setting('BENCH_PROFILE_ROWS', 15);
const print = (line: string) => process.stdout.write(`${line}\n`);

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

/** The parts of V8's CPU profile (Profiler.stop) read here. */
interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  /** Microseconds before each sample. */
  timeDeltas: number[];
}

/** A process running serve.ts, driven through its stdin and stdout. */
class ServerProcess {
  private readonly lines: AsyncIterator<string>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    child.stderr.pipe(process.stderr);
  }

  static async start(kind: ServerKind, databaseUrl: string): Promise<{ server: ServerProcess; url: string }> {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register', path.join(__dirname, 'serve.ts'), kind, databaseUrl],
      { env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' } },
    );
    const server = new ServerProcess(child);
    const url = (await server.next()).replace(/^listening /, '');
    return { server, url };
  }

  private async next(): Promise<string> {
    const { value, done } = await this.lines.next();
    if (done) throw new Error('a bench server ended early (its errors are above)');
    return value;
  }

  /** Profiles the server while `load` runs. */
  async profile<T>(file: string, load: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }> {
    this.child.stdin.write('start\n');
    await this.next();
    const result = await load();
    this.child.stdin.write(`stop ${file}\n`);
    await this.next();
    return { result, profile: JSON.parse(readFileSync(file, 'utf8')) as CpuProfile };
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.stdin.end();
    });
  }
}

/** Where a frame's code lives: a package, a folder of src/, the floor, a Node module, or V8 itself. */
function placeOf({ functionName, url }: CallFrame): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1];
  const inSource = /\/src\/([^/]+)/.exec(url);
  if (inSource) return `src/${inSource[1].replace(/\.ts$/, '')}`;
  if (url.includes('/test/bench/')) return 'the floor (test/bench)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  // V8's own entries ((garbage collector), (program)) and built-ins without a script.
  return functionName || '(anonymous built-in)';
}

function functionOf({ functionName, url, lineNumber }: CallFrame): string {
  const file = url.replace(/^.*\/(node_modules|src|test)\//, '$1/');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

/** Microseconds per request spent in each key, the process idle apart. */
function perRequest(profile: CpuProfile, requests: number, keyOf: (frame: CallFrame) => string): Map<string, number> {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const spent = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = frames.get(id) as CallFrame;
    if (frame.functionName === '(idle)') return;
    const key = keyOf(frame);
    spent.set(key, (spent.get(key) ?? 0) + profile.timeDeltas[i] / requests);
  });
  return spent;
}

function table(title: string, gateway: Map<string, number>, floor: Map<string, number>): string[] {
  const keys = [...new Set([...gateway.keys(), ...floor.keys()])];
  const difference = (key: string) => (gateway.get(key) ?? 0) - (floor.get(key) ?? 0);
  const microseconds = (value = 0) => value.toFixed(0);
  const total = (spent: Map<string, number>) => [...spent.values()].reduce((sum, value) => sum + value, 0);
  return [
    `| ${title} | gateway µs/req | floor µs/req | difference |`,
    '|---|--:|--:|--:|',
    ...keys
      .sort((a, b) => difference(b) - difference(a))
      .slice(0, rows)
      .map(
        (key) =>
          `| ${key} | ${microseconds(gateway.get(key))} | ${microseconds(floor.get(key))} | ${microseconds(difference(key))} |`,
      ),
    `| all CPU | ${microseconds(total(gateway))} | ${microseconds(total(floor))} | ${microseconds(total(gateway) - total(floor))} |`,
  ];
}

async function profileScenario(
  scenario: Scenario,
  servers: Record<ServerKind, { server: ServerProcess; url: string }>,
  folder: string,
): Promise<void> {
  const principal = { ...scenario.principal, sub: `${scenario.principal.sub}-profile` };
  const targets: Record<ServerKind, Target> = {
    gateway: await target(servers.gateway.url, scenario, principal),
    floor: await target(servers.floor.url, scenario, principal),
  };
  await checkAnswers(scenario, targets.gateway, targets.floor);
  const profiled = {} as Record<ServerKind, { requests: number; profile: CpuProfile }>;
  for (const kind of ['gateway', 'floor'] as const) {
    await measure(targets[kind], 1, 2); // warm-up: JIT, caches, prepared statements
    const file = path.join(folder, `${scenario.name.split(' ')[0]}-${kind}.cpuprofile`);
    const { result, profile } = await servers[kind].server.profile(file, () => measure(targets[kind], 1, seconds));
    profiled[kind] = { requests: result.requests, profile };
    print(`  ${kind}: ${result.perSecond.toFixed(0)} req/s at 1 connection, profile in ${file}`);
  }
  const { gateway, floor } = profiled;
  print('');
  print(`### ${scenario.name}`);
  for (const [title, keyOf] of [
    ['where', placeOf],
    ['function', functionOf],
  ] as const) {
    print('');
    for (const line of table(
      title,
      perRequest(gateway.profile, gateway.requests, keyOf),
      perRequest(floor.profile, floor.requests, keyOf),
    ))
      print(line);
  }
  print('');
}

async function main(): Promise<void> {
  if (!adminUrl) {
    // Gateway and floor must each have a process of their own, and an in-memory PGlite
    // cannot be shared between processes.
    throw new Error(
      'bench:profile needs PostgreSQL: set BENCH_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres',
    );
  }
  const scenarios = chosenScenarios(process.env.BENCH_ONLY);
  const database = await openBenchDatabase(adminUrl);
  try {
    print(`Filling ${customers.toLocaleString('en')} customers`);
    await fillDatabase(database, customers, print);
    const databaseUrl = databaseUrlOf(database) as string;
    const servers = {
      gateway: await ServerProcess.start('gateway', databaseUrl),
      floor: await ServerProcess.start('floor', databaseUrl),
    };
    const folder = mkdtempSync(path.join(os.tmpdir(), 'petto-profile-'));
    try {
      for (const [index, scenario] of scenarios.entries()) {
        print(`[${index + 1}/${scenarios.length}] ${scenario.name}: ${seconds} s each, gateway then floor`);
        await profileScenario(scenario, servers, folder);
      }
    } finally {
      await servers.gateway.server.stop();
      await servers.floor.server.stop();
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
