// Starts a real openpersonalize server on a loopback port for a test file, with its own data
// directory, and hands out AWS SDK clients pointed at it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { startService, type RunningService, type ServiceOptions } from '../../src/composition/build-service.ts';

export interface TestService extends RunningService {
  config: Config;
  dataDir: string;
  client(options?: { accessKeyId?: string; secretAccessKey?: string; region?: string }): PersonalizeClient;
}

/** `options`: the service's clock, and manual jobs (they run only when the test calls runner.drain()). */
export async function startTestService(env: Record<string, string> = {}, options: ServiceOptions = {}): Promise<TestService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'openpersonalize-test-'));
  const fullEnv = { PORT: '0', OPENPERSONALIZE_DATA_DIR: dataDir, OPENPERSONALIZE_PROVISIONING_MS: '60', ...env };
  const config = loadConfig(fullEnv);
  const errors: unknown[] = [];
  const service = await startService(
    config,
    (f) => {
      if (f.level === 'error') errors.push(f);
    },
    { ...process.env, ...fullEnv },
    options,
  );
  return {
    ...service,
    config,
    dataDir,
    client: (o = {}) =>
      new PersonalizeClient({
        endpoint: service.endpoint,
        region: o.region ?? 'us-east-1',
        credentials: { accessKeyId: o.accessKeyId ?? 'AKIDTEST', secretAccessKey: o.secretAccessKey ?? 'secret' },
        maxAttempts: 1,
      }),
    async close() {
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (errors.length > 0) throw new Error(`the service logged internal errors: ${JSON.stringify(errors)}`);
    },
  };
}

/** Polls until fn returns a truthy value (or throws after timeoutMs). */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
  what = 'condition',
  pollMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Runs fn and returns the error it throws, failing if it does not. */
export async function errorOf(fn: () => Promise<unknown>): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await fn();
  } catch (e) {
    return e as Error & { name: string };
  }
  throw new Error('expected an error, but the call succeeded');
}

let counter = 0;
/** A name unique within the test run. */
export const uniqueName = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
