// The embedded default (`all` on SQLite) must stay one process: a second process on the same
// SQLite file is refused through a pid lock file beside the catalog.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, type Config } from '../../config/config.ts';
import { parseDatabaseUrl } from '../../config/database-url.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files this process holds, with how many services of this process use each. */
const held = new Map<string, number>();

/**
 * Refuses a second process on one SQLite catalog file: takes `<catalog>.lock` (holding this
 * process's pid), or throws ConfigError naming the live process that holds it. A lock left by a
 * dead process (kill -9) is taken over. Several services in one process (tests) share the lock.
 * Returns the release function. No-op for PostgreSQL and in-memory SQLite.
 */
export function holdCatalogLock(config: Config): () => void {
  const location = parseDatabaseUrl(config.databaseUrl, config.dataDir);
  if (location.kind !== 'sqlite' || location.path === ':memory:') return () => {};
  const lockPath = `${location.path}.lock`;
  const count = held.get(lockPath);
  if (count !== undefined) {
    held.set(lockPath, count + 1);
    return release(lockPath);
  }
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let tries = 0; ; tries++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.set(lockPath, 1);
      return release(lockPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 0) throw e;
    }
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw new ConfigError(
        `the SQLite catalog ${location.path} is in use by process ${pid}; SQLite serves one openpersonalize process: run several on PostgreSQL (OPENPERSONALIZE_DATABASE_URL=postgres://...)`,
      );
    }
    rmSync(lockPath, { force: true });
  }
}

function release(lockPath: string): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const left = (held.get(lockPath) ?? 1) - 1;
    if (left > 0) return void held.set(lockPath, left);
    held.delete(lockPath);
    rmSync(lockPath, { force: true });
  };
}
