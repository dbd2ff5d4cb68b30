import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import { RATE_LIMIT_TABLE, REDIS_KEY_PREFIX } from '../../src/auth/rate-limit';
import { issueToken } from '../../src/auth/tokens';
import { openDatabase, type Database } from '../../src/db/data-source';
import { seedDemoShopIfEmpty } from '../../src/demo/demo-shop';
import type { Role } from '../../src/policy';
import { createThrowawayPostgres, type ThrowawayPostgres } from '../support/databases';
import { POLICY_VERSION, TEST_SECRET } from '../support/gateway';
import { customerIdByEmail } from '../support/writes';

/**
 * Two gateway processes on one PostgreSQL database, as two replicas behind a load
 * balancer: one principal alternating between them is held to one rate and one
 * disclosure budget, counted in PostgreSQL, or in Redis when REDIS_URL is set.
 * PGlite is one process, so without TEST_DATABASE_URL this file has nothing to run.
 */

const ADMIN_URL = process.env.TEST_DATABASE_URL;
const REDIS_URL = process.env.TEST_REDIS_URL;
const ROOT = join(__dirname, '../..');
const RATE_LIMIT_PER_MINUTE = 5;
const SUPPORT_AGENT_BUDGET = 2;
const STARTUP_TIMEOUT_MS = 40_000;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** One gateway as `npm start` runs it, in a process of its own. */
class Replica {
  private constructor(
    private readonly process: ChildProcess,
    private readonly url: string,
    private readonly output: () => string,
  ) {}

  static async start(env: NodeJS.ProcessEnv): Promise<Replica> {
    const port = await freePort();
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        // Quiet, but a rate-limit store that fails says so in the output shown on failure.
        LOG_LEVEL: 'warn',
        PORT: String(port),
        JWT_SECRET: TEST_SECRET,
        POLICY_VERSION,
        RETENTION_INTERVAL_MINUTES: '0',
        RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT_PER_MINUTE),
        DISCLOSURE_LIMITS: `SUPPORT_AGENT:${SUPPORT_AGENT_BUDGET}`,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const replica = new Replica(child, `http://127.0.0.1:${port}`, () => output);
    await replica.ready();
    return replica;
  }

  private async ready(): Promise<void> {
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null) break;
      const healthy = await fetch(`${this.url}/healthz`).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.process.kill('SIGKILL');
    throw new Error(`the gateway did not start:\n${this.output()}`);
  }

  async query(token: string, query: string, variables?: Record<string, unknown>) {
    const response = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as { data?: any; errors?: any[] }) };
  }

  /** SIGTERM, as the orchestrator stops a replica: the gateway closes its connections and exits. */
  async stop(): Promise<void> {
    if (this.process.exitCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill('SIGTERM');
    await exited;
  }
}

/** A principal of its own per run, so that runs sharing one Redis never share a count. */
function newPrincipal(role: Role): Promise<{ id: string; token: string }> {
  const id = `replica-test-${randomBytes(6).toString('hex')}`;
  return issueToken(TEST_SECRET, { sub: id, role }).then((token) => ({ id, token }));
}

/** The statuses of 2 × the rate of one principal's requests, alternating between the replicas. */
async function alternatingStatuses(replicas: Replica[], token: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 2 * RATE_LIMIT_PER_MINUTE; i += 1) {
    const response = await replicas[i % replicas.length].query(token, '{ me { id } }');
    if (response.status === 429) expect(response.errors?.[0].extensions.code).toBe('RATE_LIMITED');
    statuses.push(response.status);
  }
  return statuses;
}

const HELD_TO_ONE_RATE = [
  ...Array<number>(RATE_LIMIT_PER_MINUTE).fill(200),
  ...Array<number>(RATE_LIMIT_PER_MINUTE).fill(429),
];

async function countInPostgres(database: Database, principalId: string): Promise<number | undefined> {
  const [row] = await database.dataSource.query(`SELECT points FROM ${RATE_LIMIT_TABLE} WHERE key = $1`, [
    `principal:${principalId}`,
  ]);
  return row?.points;
}

async function startReplicas(env: NodeJS.ProcessEnv): Promise<Replica[]> {
  const started = await Promise.allSettled([Replica.start(env), Replica.start(env)]);
  const replicas = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(replicas.map((replica) => replica.stop()));
    throw failed.reason;
  }
  return replicas;
}

(ADMIN_URL ? describe : describe.skip)(
  `two gateway processes on one PostgreSQL database${ADMIN_URL ? '' : ' [skipped: TEST_DATABASE_URL is not set]'}`,
  () => {
    let throwaway: ThrowawayPostgres;
    let database: Database;
    /** Counting in PostgreSQL, as without REDIS_URL. */
    let onPostgres: Replica[] = [];
    /** Counting in Redis, when the test has one. */
    let onRedis: Replica[] = [];

    beforeAll(async () => {
      throwaway = await createThrowawayPostgres(ADMIN_URL as string);
      // Migrated and seeded here, before the replicas start, so that they do not race to do it.
      database = await openDatabase({ url: throwaway.url, pgliteDir: '' });
      await seedDemoShopIfEmpty(database.dataSource, POLICY_VERSION);
      // Both pairs start at once: starting a gateway is most of this file's time.
      [onPostgres, onRedis] = await Promise.all([
        startReplicas({ DATABASE_URL: throwaway.url, REDIS_URL: '' }),
        REDIS_URL ? startReplicas({ DATABASE_URL: throwaway.url, REDIS_URL }) : [],
      ]);
    });

    afterAll(async () => {
      await Promise.all([...onPostgres, ...onRedis].map((replica) => replica.stop()));
      await database?.close();
      await throwaway?.drop();
    });

    describe('rate limits in PostgreSQL (no REDIS_URL)', () => {
      test(`one principal gets ${RATE_LIMIT_PER_MINUTE} requests a minute across both, not ${RATE_LIMIT_PER_MINUTE} each`, async () => {
        const analyst = await newPrincipal('ANALYST');
        expect(await alternatingStatuses(onPostgres, analyst.token)).toEqual(HELD_TO_ONE_RATE);
        // Every request was counted in the shared table, refused ones too.
        expect(await countInPostgres(database, analyst.id)).toBe(2 * RATE_LIMIT_PER_MINUTE);
      });

      test(`one principal gets ${SUPPORT_AGENT_BUDGET} customers' contact data across both, not ${SUPPORT_AGENT_BUDGET} each`, async () => {
        const agent = await newPrincipal('SUPPORT_AGENT');
        const emails = ['lan.nguyen@example.vn', 'minh.tran@example.vn', 'ha.le@example.vn'];
        const reads = [];
        for (const [i, email] of emails.entries()) {
          const id = await customerIdByEmail(database, email);
          reads.push(
            await onPostgres[i % 2].query(agent.token, 'query($id: ID!) { customer(id: $id) { email } }', { id }),
          );
        }
        expect(reads.map((read) => read.data.customer.email)).toEqual([emails[0], emails[1], null]);
        expect(reads[2].errors?.map((error) => error.extensions.code)).toEqual(['DISCLOSURE_LIMIT']);
      });
    });

    (REDIS_URL ? describe : describe.skip)(
      `rate limits in Redis (REDIS_URL)${REDIS_URL ? '' : ' [skipped: TEST_REDIS_URL is not set]'}`,
      () => {
        let redis: Redis;
        beforeAll(() => {
          redis = new Redis(REDIS_URL as string);
        });
        afterAll(async () => {
          await redis?.quit();
        });

        test(`one principal gets ${RATE_LIMIT_PER_MINUTE} requests a minute across both, not ${RATE_LIMIT_PER_MINUTE} each`, async () => {
          const analyst = await newPrincipal('ANALYST');
          expect(await alternatingStatuses(onRedis, analyst.token)).toEqual(HELD_TO_ONE_RATE);
          // Counted in Redis, with the minute as its lifetime, and not in PostgreSQL.
          const key = `${REDIS_KEY_PREFIX}:principal:${analyst.id}`;
          expect(await redis.get(key)).toBe(String(2 * RATE_LIMIT_PER_MINUTE));
          expect(await redis.pttl(key)).toBeGreaterThan(0);
          expect(await countInPostgres(database, analyst.id)).toBeUndefined();
        });
      },
    );
  },
);
