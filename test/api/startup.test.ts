import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DataFolderInUse, lockDataFolder } from '../../src/db/data-folder-lock';
import { issueToken } from '../../src/auth/tokens';
import { openDatabase } from '../../src/db/data-source';

const ROOT = join(__dirname, '../..');

interface Run {
  pid: number;
  /** Resolves with the URL once the server listens; rejects if it exits first. */
  listening: Promise<string>;
  exited: Promise<number | null>;
  output: () => string;
  stop(): void;
}

/** `npm start`'s server, from the sources, on its own environment. */
function start(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      NODE_OPTIONS: '',
      LOG_LEVEL: 'info',
      PORT: '0',
      DATABASE_URL: '',
      RETENTION_INTERVAL_MINUTES: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const listening = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`;
      const url = line.startsWith('{') ? (JSON.parse(line) as { url?: string }).url : undefined;
      if (url) resolve(url);
    });
    void exited.then(() => reject(new Error(`exited before listening: ${output}`)));
  });
  listening.catch(() => undefined);
  return { pid: child.pid!, listening, exited, output: () => output, stop: () => child.kill('SIGTERM') };
}

describe("a PGlite data folder is one process's at a time", () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'pglite-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  test('a second `npm start` on the same folder stops at once, naming the first, and the first runs on', async () => {
    const first = start({ PGLITE_DIR: folder });
    const url = await first.listening;
    const second = start({ PGLITE_DIR: folder });
    expect(await second.exited).toBe(1);
    expect(second.output()).toBe(`data folder ${folder} in use by process ${first.pid}\n`);
    expect((await fetch(new URL('/healthz', url))).status).toBe(200);
    first.stop();
    expect(await first.exited).toBe(0);
    // Stopped, it leaves no lock behind.
    expect(existsSync(join(folder, 'gateway.pid'))).toBe(false);
  });

  test('a lock left by a process that no longer runs is taken over', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(folder, 'gateway.pid'), `${gone}\n`);
    const database = await openDatabase({ pgliteDir: folder });
    expect(readFileSync(join(folder, 'gateway.pid'), 'utf8').trim()).toBe(String(process.pid));
    await database.close();
    expect(existsSync(join(folder, 'gateway.pid'))).toBe(false);
  });

  test('this process cannot take it twice either, and PGlite never opens a folder that is not ours', async () => {
    const release = lockDataFolder(folder);
    expect(() => lockDataFolder(folder)).toThrow(`data folder ${folder} in use by process ${process.pid}`);
    await expect(openDatabase({ pgliteDir: folder })).rejects.toThrow(DataFolderInUse);
    expect(existsSync(join(folder, 'PG_VERSION'))).toBe(false);
    release();
    lockDataFolder(folder)();
  });
});

describe('a busy port', () => {
  let other: Server;
  beforeAll(async () => {
    other = createServer().listen(0);
    await once(other, 'listening');
  });
  afterAll(() => other.close());

  test('says "port N is in use" and exits non-zero', async () => {
    const { port } = other.address() as AddressInfo;
    const run = start({ PGLITE_DIR: 'memory://', PORT: String(port) });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(new RegExp(`^port ${port} is in use\\n$`, 'm'));
    expect(run.output()).not.toContain('EADDRINUSE');
  });
});

describe('tracing over OTLP (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  test('to a collector that does not answer, the gateway serves as ever, and a stop still ends cleanly', async () => {
    const closed = createServer().listen(0);
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close();
    const run = start({ PGLITE_DIR: 'memory://', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
    const url = await run.listening;
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { role } }' }),
    });
    expect(answer.status).toBe(401);
    run.stop();
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('the last trace spans could not be sent');
  });

  test('to a collector that answers, the spans go over OTLP with the decisions and without the values', async () => {
    const received: Buffer[] = [];
    const collector = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => {
        if (req.url === '/v1/traces') received.push(Buffer.concat(chunks));
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    }).listen(0);
    await once(collector, 'listening');
    const { port } = collector.address() as AddressInfo;
    const secret = 'startup-test-secret-that-is-at-least-32-bytes';
    const run = start({
      PGLITE_DIR: 'memory://',
      JWT_SECRET: secret,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    });
    const url = await run.listening;
    const token = await issueToken(secret, { sub: 'otlp-test', role: 'CARRIER', carrierId: 'ghn' });
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'SHIPPING' },
      body: JSON.stringify({ query: '{ deliveries(first: 5) { edges { node { shipment { recipientPhone } } } } }' }),
    });
    const phone = ((await answer.json()) as any).data.deliveries.edges[0].node.shipment.recipientPhone;
    run.stop();
    expect(await run.exited).toBe(0);
    collector.close();
    // Protobuf keeps strings as UTF-8 bytes.
    const exported = Buffer.concat(received).toString('utf8');
    expect(exported).toContain('petto.released');
    expect(exported).toContain('Shipment.recipientPhone');
    expect(exported).toContain('pg.query');
    expect(phone).toMatch(/^\+84/);
    expect(exported).not.toContain(phone);
    expect(exported).not.toContain(phone.slice(3));
  });
});
