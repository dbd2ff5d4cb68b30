import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

/** `npm run mock` as an integrator starts it, on a free port (MOCK_PORT=0); resolves its URL. */
async function startMock(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(join(ROOT, 'node_modules/.bin/ts-node'), ['--transpile-only', 'src/cli/mock.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, MOCK_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  for await (const chunk of child.stdout!) {
    output += chunk;
    const url = /at (http:\/\/\S+)/.exec(output)?.[1];
    if (url) return { url, child };
  }
  throw new Error(`the mock server did not start: ${output}`);
}

async function ask(url: string, query: string): Promise<{ data?: any; errors?: { message: string }[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: any; errors?: { message: string }[] };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

describe('npm run mock', () => {
  test('serves the carrier schema with plausible Vietnamese deliveries, with no token', async () => {
    const { url, child } = await startMock([]);
    try {
      const reply = await ask(
        url,
        `{ deliveries(first: 5) { edges { node { code shipment { recipientName recipientPhone address { ward district province } } } } } }`,
      );
      expect(reply.errors).toBeUndefined();
      const shipments = reply.data.deliveries.edges.map((edge: any) => edge.node.shipment);
      expect(shipments.length).toBeGreaterThan(0);
      for (const shipment of shipments) {
        expect(shipment.recipientPhone).toMatch(/^\+849\d{8}$/);
        expect(shipment.recipientName).toMatch(/^\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+$/u);
        expect(shipment.address.ward).toMatch(/^Phường /);
        expect(shipment.address.province).toMatch(/Hà Nội|Hồ Chí Minh|Đà Nẵng|Cần Thơ|Hải Phòng/);
      }
      // Only what a carrier reaches: the carrier schema has no customers to mock.
      expect((await ask(url, '{ customers { edges { node { email } } } }')).errors?.[0].message).toMatch(
        /Cannot query field "customers"/,
      );
    } finally {
      await stop(child);
    }
  });

  test('--schema full serves the whole schema, customers with their e-mail and phone', async () => {
    const { url, child } = await startMock(['--schema', 'full']);
    try {
      const reply = await ask(url, '{ customers(first: 3) { edges { node { fullName email phone } } } }');
      expect(reply.errors).toBeUndefined();
      for (const { node } of reply.data.customers.edges) {
        expect(node.phone).toMatch(/^\+849\d{8}$/);
        expect(node.email).toMatch(/^[a-z]+\.[a-z]+\d\d@example\.vn$/);
      }
    } finally {
      await stop(child);
    }
  });
});
