import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { issueToken } from '../../src/auth/tokens';
import { loadConfig } from '../../src/config';
import { loadMailConfig } from '../../src/mail/mail-config';
import type { Database } from '../../src/db/data-source';
import { seedDemoShopIfEmpty } from '../../src/demo/demo-shop';
import type { Purpose, Role } from '../../src/policy';
import { createGateway, listen, type Gateway } from '../../src/http/server';
import { TEST_DATABASES } from './databases';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-bytes-long';
export const POLICY_VERSION = '2024-01';

export interface GraphQLResponse<T = any> {
  status: number;
  /** The X-Request-Id the gateway gave the request (and the audit records carry). */
  requestId: string | null;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface Caller {
  role: Role;
  carrierId?: string;
  purpose?: Purpose | string;
  /** A raw Authorization header value, for the authentication tests. */
  authorization?: string;
}

/** The real gateway over HTTP on a free port, with the demo shop seeded. */
export class TestGateway {
  private constructor(
    readonly database: Database,
    private readonly gateway: Gateway,
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** `env` is read like the server's environment, e.g. { DISCLOSURE_LIMITS: 'MARKETING:2' }. */
  static async start(database: Database, env: NodeJS.ProcessEnv = {}): Promise<TestGateway> {
    await seedDemoShopIfEmpty(database.dataSource, POLICY_VERSION);
    const settings = { JWT_SECRET: TEST_SECRET, POLICY_VERSION, ...env };
    const config = { ...loadConfig(settings), mail: loadMailConfig(settings, 'memory://') };
    const gateway = await createGateway(database, config);
    const server = await listen(gateway.app, 0);
    const { port } = server.address() as AddressInfo;
    return new TestGateway(database, gateway, server, `http://127.0.0.1:${port}/graphql`);
  }

  token(role: Role, carrierId?: string): Promise<string> {
    return issueToken(TEST_SECRET, { sub: `test-${(carrierId ?? role).toLowerCase()}`, role, carrierId });
  }

  async post(body: unknown, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: response.status,
      requestId: response.headers.get('x-request-id'),
      ...((await response.json()) as object),
    };
  }

  async query<T = any>(
    caller: Caller,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<T>> {
    const headers: Record<string, string> = {
      authorization: caller.authorization ?? `Bearer ${await this.token(caller.role, caller.carrierId)}`,
    };
    if (caller.purpose) headers['x-purpose'] = caller.purpose;
    return this.post({ query, variables }, headers);
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
    await this.gateway.stop();
    await this.database.close();
  }
}

/**
 * Declares the same suite once per test database. The gateway (and its database) is
 * shared by the tests of one file, as starting PGlite costs about two seconds.
 */
export function describeOnEachDatabase(
  title: string,
  suite: (gateway: () => TestGateway) => void,
  env: NodeJS.ProcessEnv = {},
): void {
  describe.each(TEST_DATABASES)(`${title} [$name]`, (testDatabase) => {
    let gateway: TestGateway;
    beforeAll(async () => {
      gateway = await TestGateway.start(await testDatabase.open(), env);
    });
    afterAll(async () => {
      await gateway?.stop();
    });
    suite(() => gateway);
  });
}

/** The error codes of a response, as `code coordinate` strings, sorted. */
export function errorCodes(response: GraphQLResponse): string[] {
  return (response.errors ?? [])
    .map((e) => [e.extensions?.code, e.extensions?.coordinate].filter(Boolean).join(' '))
    .sort();
}
