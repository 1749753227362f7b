// What the CLI's commands that talk to a running service share (import, train, recommend): the
// service's address and region from the options or the environment, AWS SDK clients pointed at
// it, a one-line error when it cannot be reached, and finding resources by name through the API.
import { paginateListDatasetGroups, PersonalizeClient } from '@aws-sdk/client-personalize';
import { PersonalizeRuntimeClient } from '@aws-sdk/client-personalize-runtime';
import type { Io } from './cli-common.ts';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4580';

/** The options every service command takes, for its --help. */
export const SERVICE_OPTIONS_HELP = `  --endpoint URL         the service, default $OPENPERSONALIZE_ENDPOINT or ${DEFAULT_ENDPOINT}
  --region R             default $AWS_REGION, $AWS_DEFAULT_REGION or us-east-1`;

export const CREDENTIALS_HELP = `Credentials: the AWS SDK's usual chain when AWS_ACCESS_KEY_ID or AWS_PROFILE is set, else test/test
(accepted by a service without OPENPERSONALIZE_CREDENTIALS).`;

export interface ServiceTarget {
  endpoint: string;
  region: string;
}

export function serviceTarget(v: { endpoint?: string; region?: string }, io: Io): ServiceTarget {
  return {
    endpoint: v.endpoint ?? io.env.OPENPERSONALIZE_ENDPOINT ?? DEFAULT_ENDPOINT,
    region: v.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? 'us-east-1',
  };
}

function clientConfig(io: Io, t: ServiceTarget) {
  // The SDK warns on Node < 22 (its future versions' floor) in a multi-line block on stderr; this
  // project supports Node 20, and the CLI's stderr is for its own one-line messages.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const fromEnv = Boolean(io.env.AWS_ACCESS_KEY_ID || io.env.AWS_PROFILE);
  return {
    endpoint: t.endpoint,
    region: t.region,
    maxAttempts: 2,
    ...(fromEnv ? {} : { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
  };
}

export const personalizeClient = (io: Io, t: ServiceTarget) => new PersonalizeClient(clientConfig(io, t));
export const runtimeClient = (io: Io, t: ServiceTarget) => new PersonalizeRuntimeClient(clientConfig(io, t));

/** A connection failure as one line that says what to check; any other error unchanged. */
export function unreachable(e: unknown, endpoint: string): Error {
  const err = e as Error & { code?: string; cause?: unknown };
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH/.test(`${err.code ?? ''} ${err.message} ${String(err.cause ?? '')}`))
    return new Error(`cannot reach the service at ${endpoint} (is openpersonalize serve running? --endpoint URL)`);
  return err;
}

/** `<Operation>: <ErrorName>: <message>` for an error of the service (AWS's code and text), one line. */
export function serviceError(operation: string, e: unknown, endpoint: string): Error {
  const err = unreachable(e, endpoint);
  if (err !== e) return err;
  const named = e as Error & { $metadata?: unknown };
  return named.$metadata ? new Error(`${operation}: ${named.name}: ${named.message}`) : named;
}

/** Polls `describe` every `ms` until `done` says so; `tick` runs between polls (the progress line). */
export async function pollUntil<T>(describe: () => Promise<T>, done: (x: T) => boolean, tick: (x: T) => void, ms = 250): Promise<T> {
  for (;;) {
    const x = await describe();
    if (done(x)) return x;
    tick(x);
    await new Promise((r) => setTimeout(r, ms));
  }
}

export async function findDatasetGroup(client: PersonalizeClient, name: string): Promise<string | undefined> {
  for await (const page of paginateListDatasetGroups({ client }, {})) {
    const g = page.datasetGroups?.find((x) => x.name === name);
    if (g) return g.datasetGroupArn;
  }
  return undefined;
}
