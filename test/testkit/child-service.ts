// The service as its own process (the CLI, from source through tsx), for tests that kill it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ChildService {
  endpoint: string;
  process: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  log(): string;
  /** The JSON log lines (the service's structured log) written so far. */
  logLines(): Record<string, unknown>[];
  kill9(): Promise<void>;
  stop(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  await once(server, 'close');
  return port;
}

/** Every child still running, so that a test that fails half-way can still end them all. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** SIGKILLs every service process this test file started that is still running. */
export async function killAllChildren(): Promise<void> {
  await Promise.all(
    [...live].map((c) => {
      const gone = once(c, 'exit');
      c.kill('SIGKILL');
      return gone;
    }),
  );
}

export type Role = 'all' | 'api' | 'worker';

/** A scale-out node: startChildService with OPENPERSONALIZE_ROLE set. */
export function startNode(role: Role, env: Record<string, string>): Promise<ChildService> {
  return startChildService({ ...env, OPENPERSONALIZE_ROLE: role });
}

export async function startChildService(env: Record<string, string>, port?: number): Promise<ChildService> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/main/cli.ts'), 'serve'], {
    cwd: root,
    env: { ...process.env, PORT: String(p), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: string) => {
      stderr += d;
      if (stderr.includes('listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the service exited (${code}) before listening:\n${stderr}`)));
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await ready.finally(() => clearTimeout(timer));
  const exited = once(child, 'exit');
  return {
    endpoint: `http://127.0.0.1:${p}`,
    process: child,
    log: () => stderr,
    logLines: () =>
      stderr.split('\n').flatMap((line) => {
        if (!line.startsWith('{')) return [];
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return []; // a line still being written
        }
      }),
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}
