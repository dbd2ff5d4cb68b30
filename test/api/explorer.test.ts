import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { TEST_DATABASES } from '../support/databases';
import { TestGateway } from '../support/gateway';
import { loadConfig } from '../../src/config';

/** What a browser sends when it opens a page. */
const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

const ME = '{ me { role carrierId } }';

async function get(gateway: TestGateway, path: string, headers: Record<string, string> = BROWSER) {
  const response = await fetch(new URL(path, gateway.url), { headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** GET over plain node:http, which lets the test name the host (fetch does not). */
function getAs(gateway: TestGateway, address: string, path: string, host?: string) {
  const { port } = new URL(gateway.url);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const headers = { ...BROWSER, ...(host ? { host } : {}) };
    const req = request({ host: address, port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject).end();
  });
}

/** An address of this machine other than loopback, as another machine on the network reaches it. */
const networkAddress = Object.values(networkInterfaces())
  .flat()
  .find((face) => face && !face.internal && face.family === 'IPv4')?.address;

/** Starts a gateway with `env` for the tests of one describe block. */
function gatewayWith(env: NodeJS.ProcessEnv): () => TestGateway {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await TestGateway.start(await TEST_DATABASES[0].open(), env);
  });
  afterAll(async () => {
    await gateway?.stop();
  });
  return () => gateway;
}

describe('in development', () => {
  const gateway = gatewayWith({});

  test('a browser opening /graphql gets the explorer, which may load nothing from another origin', async () => {
    const page = await get(gateway(), '/graphql');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("default-src 'self'");
    expect(policy).not.toMatch(/https?:|\*/);
    const references = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, url]) => url);
    expect(references.filter((url) => !url.startsWith('/explorer/') && url !== 'data:,')).toEqual([]);
    for (const url of references.filter((url) => url.startsWith('/'))) {
      const asset = await get(gateway(), url);
      expect([url, asset.status]).toEqual([url, 200]);
      expect(asset.headers.get('content-security-policy')).toBe(policy);
    }
  });

  test("the demo tokens it offers are the gateway's own, one per demo principal", async () => {
    const response = await get(gateway(), '/explorer/demo-tokens');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const tokens: { label: string; token: string }[] = JSON.parse(response.body);
    const carrier = tokens.find((demo) => demo.label === 'CARRIER ghn');
    const answer = await gateway().post({ query: ME }, { authorization: `Bearer ${carrier!.token}` });
    expect(answer.data).toEqual({ me: { role: 'CARRIER', carrierId: 'ghn' } });
  });

  test('it hands demo tokens only to a browser on this machine that asked for it by a loopback name', async () => {
    expect((await getAs(gateway(), '127.0.0.1', '/explorer/demo-tokens', 'localhost:4000')).status).toBe(200);
    // DNS rebinding: a page of another site, its name pointed at 127.0.0.1.
    const rebound = await getAs(gateway(), '127.0.0.1', '/explorer/demo-tokens', 'attacker.example:4000');
    expect(rebound.status).toBe(404);
    expect((await getAs(gateway(), '127.0.0.1', '/graphql', 'attacker.example')).body).not.toContain('demo-tokens');
    if (networkAddress === undefined) {
      console.warn('NOT TESTED: demo tokens refused over the network (this machine has no non-loopback IPv4 address)');
      return;
    }
    const remote = await getAs(gateway(), networkAddress, '/explorer/demo-tokens', `${networkAddress}:4000`);
    expect(remote.status).toBe(404);
    expect(remote.body).not.toMatch(/eyJ/);
    const page = await getAs(gateway(), networkAddress, '/graphql');
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('demo-tokens');
  });

  test('a client asking /graphql for JSON still reaches Apollo, and POST /graphql is unchanged', async () => {
    const json = await get(gateway(), '/graphql', { accept: 'application/json' });
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.body).not.toContain('<html');
    const answer = await gateway().query({ role: 'CARRIER', carrierId: 'ghn' }, ME);
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ me: { role: 'CARRIER', carrierId: 'ghn' } });
  });
});

describe('in production', () => {
  const gateway = gatewayWith({ NODE_ENV: 'production' });

  test('there is no explorer, no explorer file and no demo token', async () => {
    const page = await get(gateway(), '/graphql');
    expect(page.headers.get('content-type') ?? '').not.toMatch(/^text\/html/);
    expect(page.body).not.toMatch(/graphiql|<html/i);
    for (const path of ['/explorer/demo-tokens', '/explorer/explorer.js', '/explorer/graphiql.min.js']) {
      expect([path, (await get(gateway(), path)).status]).toEqual([path, 404]);
    }
  });

  test('POST /graphql answers as ever', async () => {
    // (A carrier may run only its safelisted operations in production.)
    const answer = await gateway().query({ role: 'SUPPORT_AGENT' }, ME);
    expect(answer.data).toEqual({ me: { role: 'SUPPORT_AGENT', carrierId: null } });
  });
});

describe('in production with EXPLORER=on', () => {
  const gateway = gatewayWith({ NODE_ENV: 'production', EXPLORER: 'on' });

  test('the explorer asks for a pasted token: the gateway mints none', async () => {
    const page = await get(gateway(), '/graphql');
    expect(page.status).toBe(200);
    expect(page.body).toContain('explorer-settings');
    expect(page.body).not.toContain('demo-tokens');
    expect((await get(gateway(), '/explorer/demo-tokens')).status).toBe(404);
    expect((await get(gateway(), '/explorer/graphiql.min.js')).status).toBe(200);
  });
});

test('EXPLORER: off turns it off anywhere; in production only on turns it on', () => {
  expect(loadConfig({}).explorer).toBe(true);
  expect(loadConfig({ EXPLORER: 'off' }).explorer).toBe(false);
  const production = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-bytes' };
  expect(loadConfig(production).explorer).toBe(false);
  expect(loadConfig({ ...production, EXPLORER: 'yes' }).explorer).toBe(false);
  expect(loadConfig({ ...production, EXPLORER: 'on' }).explorer).toBe(true);
});
