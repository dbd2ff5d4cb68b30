// One bench server in a process of its own, for `npm run bench:profile` (profile.ts): the
// gateway or the floor, on a database the profiler has already filled. A CPU profile of
// one process then holds one server's work only. The V8 profiler runs only between the
// parent's "start" and "stop <file>" lines on stdin, so that it covers the measured load,
// not the start-up.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { Pool } from 'pg';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/data-source';
import { keepRequestDataYoung } from '../../src/garbage-collection';
import { createGateway, listen } from '../../src/http/server';
import { startFloor } from './floor';
import { BENCH_GATEWAY_SETTINGS, SECRET } from './scenarios';

export type ServerKind = 'gateway' | 'floor';

/** Samples every 100 µs (V8's default is 1 ms): a `me` request takes about 300 µs. */
const SAMPLING_INTERVAL_MICROSECONDS = 100;

async function serve(kind: ServerKind, databaseUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  if (kind === 'floor') {
    const pool = new Pool({ connectionString: databaseUrl });
    const floor = await startFloor(async (sql, parameters) => (await pool.query(sql, parameters)).rows, SECRET);
    return {
      url: floor.url,
      close: async () => {
        await floor.close();
        await pool.end();
      },
    };
  }
  const database = await openDatabase({ url: databaseUrl, pgliteDir: 'memory://' });
  const gateway = await createGateway(database, loadConfig(BENCH_GATEWAY_SETTINGS));
  const server = await listen(gateway.app, 0);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: async () => {
      server.close();
      await gateway.stop();
      await database.close();
    },
  };
}

async function main(): Promise<void> {
  const [kind, databaseUrl] = process.argv.slice(2);
  if ((kind !== 'gateway' && kind !== 'floor') || !databaseUrl) {
    throw new Error('usage: serve.ts gateway|floor <database URL>');
  }
  // Both kinds, as `npm start` runs the gateway: the profiles compare code, not collector settings.
  keepRequestDataYoung();
  const server = await serve(kind, databaseUrl);
  const profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_MICROSECONDS });
  process.stdout.write(`listening ${server.url}\n`);

  for await (const line of createInterface({ input: process.stdin })) {
    const [command, file] = line.split(' ');
    if (command === 'start') {
      await profiler.post('Profiler.start');
      process.stdout.write('started\n');
    } else if (command === 'stop' && file) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      process.stdout.write('stopped\n');
    }
  }
  // The parent closed stdin: it is done with this server.
  profiler.disconnect();
  await server.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
