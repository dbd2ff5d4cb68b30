import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Another process (or this one) has the PGlite data folder open. */
export class DataFolderInUse extends Error {}

/** Inside the data folder, so that it moves with it; PostgreSQL ignores files it does not know. */
const LOCK_FILE = 'gateway.pid';

/** The lock files this process holds. */
const held = new Set<string>();

/** Whether process `pid` still runs. Our own pid in a file we do not hold is a previous run's (a container restarted). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderOf(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the lock file with our pid in it, all at once (a link fails when the name exists). */
function tryCreate(path: string): boolean {
  const draft = `${path}.${process.pid}`;
  writeFileSync(draft, `${process.pid}\n`);
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(draft);
  }
}

/**
 * Takes the PGlite data folder for this process, or refuses at once with the pid of the
 * process that has it: two PGlite instances on one folder corrupt it, and PGlite itself
 * fails only later, with pages of WebAssembly. A lock left by a process that no longer
 * runs (killed, or a container's previous life) is taken over. Released by the returned
 * function, and in any case when the process exits.
 */
export function lockDataFolder(folder: string): () => void {
  mkdirSync(folder, { recursive: true });
  const path = join(resolve(folder), LOCK_FILE);
  const inUse = (pid: number | undefined) =>
    new DataFolderInUse(`data folder ${folder} in use by process ${pid ?? 'unknown'}`);
  if (held.has(path)) throw inUse(process.pid);
  if (!tryCreate(path)) {
    const holder = holderOf(path);
    if (holder !== undefined && isRunning(holder)) throw inUse(holder);
    unlinkSync(path);
    if (!tryCreate(path)) throw inUse(holderOf(path));
  }
  held.add(path);
  const release = () => {
    if (!held.delete(path)) return;
    // Only our own: never a lock another process took over after a crash.
    if (holderOf(path) === process.pid) unlinkSync(path);
  };
  process.once('exit', release);
  return () => {
    process.off('exit', release);
    release();
  };
}
