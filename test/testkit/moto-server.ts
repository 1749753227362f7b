// Runs a real S3 peer for tests: the machine's moto_server (python3 moto) on a free loopback port.
// A missing or silent moto_server is a failure, never a skip: a skipped S3 backend would rot unnoticed.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { S3Client } from '@aws-sdk/client-s3';

export interface MotoServer {
  endpoint: string;
  /** What a service started against this moto needs in its environment. */
  env: Record<string, string>;
  /** A new S3 client of this moto (path-style, its test credentials), for a test to put and read objects. */
  s3Client(): S3Client;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;

// moto runs under a small shell that holds the read end of a pipe from this process on fd 3. When
// this process goes away for any reason (even SIGKILL, which runs no 'exit' handler) the pipe
// closes, `cat` returns and the shell kills moto; a crashed test run cannot leave moto behind.
const WATCHDOG = [
  'exec 3<&0',
  'moto_server -H 127.0.0.1 -p "$1" </dev/null 3<&- & moto=$!',
  '(cat <&3 >/dev/null; kill $moto 2>/dev/null) >/dev/null 2>&1 &',
  'wait $moto',
].join('\n');

function onPath(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return join(dir, program);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startMotoServer(): Promise<MotoServer> {
  if (!onPath('moto_server')) {
    throw new Error(
      "moto_server is not on PATH; install it with `pip install 'moto[server]'`. The S3 object-store tests need it and do not skip.",
    );
  }
  let lastError = '';
  // A port found free can be taken before moto binds it; then moto exits and another port is tried.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const started = await launch(port);
    if ('server' in started) return started.server;
    lastError = started.error;
    if (!started.retry) break;
  }
  throw new Error(`moto_server did not come up: ${lastError}`);
}

async function launch(port: number): Promise<{ server: MotoServer } | { error: string; retry: boolean }> {
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('sh', ['-c', WATCHDOG, 'moto-watchdog', String(port)], { stdio: ['pipe', 'ignore', 'pipe'], detached: true });
  let output = '';
  // moto logs every request on stderr: keep draining it (a full pipe would stall moto), keep the tail for errors.
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killGroup);
  let gone = false;
  const done = exited(child).then(() => (gone = true));

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (gone) {
      child.stdin!.end(); // lets the watchdog's `cat` go too
      process.off('exit', killGroup);
      return {
        error: `it exited at start (${child.exitCode ?? child.signalCode}): ${output.trim()}`,
        retry: /address already in use/i.test(output),
      };
    }
    if (Date.now() > deadline) {
      killGroup();
      await done;
      process.off('exit', killGroup);
      return { error: `it did not answer on ${endpoint} within ${START_TIMEOUT_MS / 1000} s. Its output: ${output.trim()}`, retry: false };
    }
    const answered = await fetch(endpoint, { signal: AbortSignal.timeout(1000) }).then(
      async (r) => (await r.arrayBuffer(), true),
      () => false,
    );
    if (answered) break;
    await delay(100);
  }

  // A test file that forgets stop() still exits; the watchdog then takes moto down.
  child.unref();
  (child.stdin as unknown as { unref(): void }).unref();
  (child.stderr as unknown as { unref(): void }).unref();
  return {
    server: {
      endpoint,
      env: {
        AWS_ENDPOINT_URL_S3: endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        OPENPERSONALIZE_S3_FORCE_PATH_STYLE: 'true',
      },
      s3Client: () =>
        new S3Client({
          endpoint,
          region: 'us-east-1',
          forcePathStyle: true,
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        }),
      async stop() {
        child.stdin!.end(); // the watchdog kills moto and the shell exits
        const patience = new AbortController();
        delay(5000, undefined, { signal: patience.signal }).then(killGroup, () => undefined);
        await done;
        patience.abort();
        process.off('exit', killGroup);
      },
    },
  };
}
