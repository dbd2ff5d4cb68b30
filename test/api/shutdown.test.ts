import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { issueToken } from '../../src/auth/tokens';

const ROOT = join(__dirname, '../..');
const SECRET = 'shutdown-test-secret-that-is-at-least-32-bytes';
const QUERY = JSON.stringify({ query: '{ customers(first: 5) { edges { node { id email } } } }' });

interface RunningServer {
  process: ChildProcess;
  /** http://localhost:PORT, as the server reported it. */
  origin: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it wrote to stderr, to explain a failure. */
  stderr: () => string;
}

/** The real server, as `npm start` runs it but from the sources, on a free port and an in-memory PGlite. */
async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      NODE_OPTIONS: '',
      LOG_LEVEL: 'info',
      PORT: '0',
      DATABASE_URL: '',
      PGLITE_DIR: 'memory://',
      JWT_SECRET: SECRET,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
  // Read every line to the end, so that the server never blocks on a full pipe.
  const origin = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const url = line.startsWith('{') ? (JSON.parse(line) as { url?: string }).url : undefined;
      if (url) resolve(new URL(url).origin);
    });
    void exited.then(() => reject(new Error(`the server exited before listening: ${stderr}`)));
  });
  return { process: child, origin, exited, stderr: () => stderr };
}

interface Answer {
  status: number;
  connection: string | undefined;
  body: any;
}

interface HeldRequest {
  /** The server has the request's headers and is waiting for its body. */
  received: Promise<void>;
  sendBody(): void;
  answer: Promise<Answer>;
}

/**
 * A GraphQL request that sends its headers with `Expect: 100-continue` and its body only
 * when told. Node's server answers `100 Continue` once it has read the headers, so from
 * `received` on, the request is certainly in flight in the server.
 */
function heldRequest(origin: string, agent: http.Agent, token: string): HeldRequest {
  const request = http.request(`${origin}/graphql`, {
    method: 'POST',
    agent,
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(QUERY),
      authorization: `Bearer ${token}`,
      expect: '100-continue',
    },
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, body: JSON.parse(text) }),
      );
      response.on('error', reject);
    });
  });
  const received = once(request, 'continue').then(() => undefined);
  request.flushHeaders();
  return { received, sendBody: () => request.end(QUERY), answer };
}

/**
 * Whether a new connection to the server is refused. A connection that the server resets
 * instead (accepted just as it stopped listening, then closed as idle) says nothing yet.
 */
function refusesConnections(origin: string): Promise<boolean> {
  return new Promise((resolve) => {
    http
      .get(`${origin}/healthz`, { agent: false }, (response) => {
        response.resume();
        response.on('end', () => resolve(false));
      })
      .on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

async function untilReady(origin: string): Promise<void> {
  for (;;) {
    const response = await fetch(`${origin}/readyz`).catch(() => undefined);
    if (response?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Each test starts a real server: ts-node and PGlite take several seconds on a busy machine.
describe('SIGTERM stops the server cleanly [pglite: a real process]', () => {
  let server: RunningServer | undefined;
  let agent: http.Agent;

  beforeEach(() => {
    agent = new http.Agent({ keepAlive: true });
  });
  afterEach(async () => {
    agent.destroy();
    if (server && server.process.exitCode === null && server.process.signalCode === null) {
      server.process.kill('SIGKILL');
      await server.exited;
    }
  });

  test('a burst of 30 requests in flight is answered in full, new connections are refused, and it exits 0', async () => {
    server = await startServer();
    await untilReady(server.origin);
    const token = await issueToken(SECRET, { sub: 'shutdown-test', role: 'SUPPORT_AGENT' });
    const burst = Array.from({ length: 30 }, () => heldRequest(server!.origin, agent, token));
    await Promise.all(burst.map((request) => request.received));

    server.process.kill('SIGTERM');
    // The bodies are not sent yet, so the stop cannot be over: it must be refusing while it waits.
    while (!(await refusesConnections(server.origin))) await new Promise((resolve) => setTimeout(resolve, 50));
    for (const request of burst) request.sendBody();

    const answers = await Promise.all(burst.map((request) => request.answer));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data.customers.edges.length).toBeGreaterThan(0);
      // Each kept-alive connection ends with its answer, so the stop need not wait for idle timeouts.
      expect(answer.connection).toBe('close');
    }
    expect(await server.exited).toEqual({ code: 0, signal: null });
  }, 120_000);

  test('a request still unfinished after SHUTDOWN_GRACE_MS is cut, and the server exits 0', async () => {
    server = await startServer({ SHUTDOWN_GRACE_MS: '1000' });
    await untilReady(server.origin);
    const token = await issueToken(SECRET, { sub: 'shutdown-test', role: 'SUPPORT_AGENT' });
    // Its body never comes.
    const stuck = heldRequest(server.origin, agent, token);
    await stuck.received;

    server.process.kill('SIGTERM');
    await expect(stuck.answer).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(await server.exited).toEqual({ code: 0, signal: null });
  }, 120_000);
});
