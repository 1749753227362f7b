// Configuration from the environment (and CLI flags, which override it). Every value is checked
// here so that a bad one stops the service at start with a one-line reason, not later.
import { parseDatabaseUrl } from './database-url.ts';

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  account: string;
}

export type QuotaMode = 'generous' | 'aws';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** undefined: SQLite file in dataDir. */
  databaseUrl: string | undefined;
  /** undefined: open mode (any well-formed signature, or none, is accepted). */
  credentials: Credential[] | undefined;
  quotas: QuotaMode;
  /** How long a dataset group / dataset stays in CREATE PENDING/IN_PROGRESS before ACTIVE. */
  provisioningMs: number;
  maxRequestBytes: number;
  /** Signs pagination tokens; when unset a random one is kept in the catalog. */
  secret: string | undefined;
  /** Region used for unsigned requests in open mode. */
  defaultRegion: string;
  /** Where s3:// locations are read and written: files under <dataDir>/buckets, or S3. */
  objectStore: 'local' | 's3';
  /** With objectStore=s3: the bucket that holds the datasets' own data (Parquet parts). */
  storageBucket: string;
  /** Hosts that http(s):// data locations may name; empty = http(s) refused. */
  httpAllowHosts: string[];
  /** Dataset import jobs pending or in progress per account and region (AWS: 5, not adjustable). */
  maxPendingImports: number;
  /** Jobs one process runs at once. */
  jobConcurrency: number;
  /** How many times a job whose run was interrupted (crash, kill) is started before it is failed. */
  jobMaxAttempts: number;
  /** DuckDB memory_limit per job, e.g. '1GB'. */
  duckdbMemoryLimit: string;
  /** What this process does: the AWS API, the jobs, or both (see checkDeployment). */
  role: Role;
  /** The job kinds this process runs when its role runs jobs (e.g. only 'dataset-import-job'); undefined: every kind. */
  jobKinds: string[] | undefined;
  /** How long a worker's claim on a job lasts without a heartbeat (a dead worker's job waits this long). */
  jobLeaseMs: number;
  /** On SIGTERM: how long running jobs may go on before they are handed back to the queue. */
  shutdownGraceMs: number;
}

export type Role = 'all' | 'api' | 'worker';

export class ConfigError extends Error {}

export const DEFAULT_ACCOUNT = '000000000000';

/** Maps CLI flags to the environment variables they override. */
export const FLAG_TO_ENV: Record<string, string> = {
  '--port': 'PORT',
  '--host': 'HOST',
  '--data-dir': 'OPENPERSONALIZE_DATA_DIR',
  '--database-url': 'OPENPERSONALIZE_DATABASE_URL',
  '--credentials': 'OPENPERSONALIZE_CREDENTIALS',
  '--quotas': 'OPENPERSONALIZE_QUOTAS',
  '--provisioning-ms': 'OPENPERSONALIZE_PROVISIONING_MS',
  '--max-request-bytes': 'OPENPERSONALIZE_MAX_REQUEST_BYTES',
  '--secret': 'OPENPERSONALIZE_SECRET',
  '--default-region': 'OPENPERSONALIZE_DEFAULT_REGION',
  '--object-store': 'OPENPERSONALIZE_OBJECT_STORE',
  '--storage-bucket': 'OPENPERSONALIZE_S3_STORAGE_BUCKET',
  '--http-allow-hosts': 'OPENPERSONALIZE_HTTP_ALLOW_HOSTS',
  '--max-pending-imports': 'OPENPERSONALIZE_MAX_PENDING_IMPORTS',
  '--job-concurrency': 'OPENPERSONALIZE_JOB_CONCURRENCY',
  '--job-max-attempts': 'OPENPERSONALIZE_JOB_MAX_ATTEMPTS',
  '--duckdb-memory-limit': 'OPENPERSONALIZE_DUCKDB_MEMORY_LIMIT',
  '--role': 'OPENPERSONALIZE_ROLE',
  '--job-kinds': 'OPENPERSONALIZE_JOB_KINDS',
  '--job-lease-ms': 'OPENPERSONALIZE_JOB_LEASE_MS',
  '--shutdown-grace-ms': 'OPENPERSONALIZE_SHUTDOWN_GRACE_MS',
};

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name}=${raw} is not a whole number from ${min} to ${max}`);
  }
  return Number(raw);
}

export function parseCredentials(raw: string): Credential[] {
  return raw.split(',').map((entry) => {
    const [accessKeyId, secretAccessKey, account, ...rest] = entry.trim().split(':');
    if (!accessKeyId || !secretAccessKey || rest.length > 0) {
      throw new ConfigError(`OPENPERSONALIZE_CREDENTIALS: '${accessKeyId ?? ''}:...' is not KEY:SECRET[:ACCOUNT]`);
    }
    if (account !== undefined && !/^\d{12}$/.test(account)) {
      throw new ConfigError(`OPENPERSONALIZE_CREDENTIALS: account '${account}' of key ${accessKeyId} is not 12 digits`);
    }
    return { accessKeyId, secretAccessKey, account: account ?? accountForKey(accessKeyId) };
  });
}

/** An access key of 12 digits names its account (as moto and LocalStack do); others share the default. */
export function accountForKey(accessKeyId: string): string {
  return /^\d{12}$/.test(accessKeyId) ? accessKeyId : DEFAULT_ACCOUNT;
}

/** Who may call the API (the protocol's AuthPolicy): the keys, and open mode's account and region. */
export function authPolicyOf(config: Config) {
  return {
    credentials: config.credentials,
    defaultRegion: config.defaultRegion,
    openAccount: (key: string | undefined) => (key ? accountForKey(key) : DEFAULT_ACCOUNT),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const quotas = env.OPENPERSONALIZE_QUOTAS || 'generous';
  if (quotas !== 'generous' && quotas !== 'aws') throw new ConfigError(`OPENPERSONALIZE_QUOTAS=${quotas} must be 'aws' or 'generous'`);
  const host = env.HOST || '127.0.0.1';
  const region = env.OPENPERSONALIZE_DEFAULT_REGION || 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new ConfigError(`OPENPERSONALIZE_DEFAULT_REGION=${region} is not a region name like us-east-1`);
  const databaseUrl = env.OPENPERSONALIZE_DATABASE_URL || undefined;
  if (databaseUrl && !/^(postgres|postgresql|sqlite|file):/.test(databaseUrl)) {
    throw new ConfigError(`OPENPERSONALIZE_DATABASE_URL must start with postgres://, postgresql://, sqlite: or file:`);
  }
  const objectStore = env.OPENPERSONALIZE_OBJECT_STORE || 'local';
  if (objectStore !== 'local' && objectStore !== 's3')
    throw new ConfigError(`OPENPERSONALIZE_OBJECT_STORE=${objectStore} must be 'local' or 's3'`);
  const storageBucket = env.OPENPERSONALIZE_S3_STORAGE_BUCKET || 'openpersonalize-data';
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(storageBucket))
    throw new ConfigError(`OPENPERSONALIZE_S3_STORAGE_BUCKET=${storageBucket} is not a valid bucket name`);
  const memory = env.OPENPERSONALIZE_DUCKDB_MEMORY_LIMIT || '1GB';
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(memory))
    throw new ConfigError(`OPENPERSONALIZE_DUCKDB_MEMORY_LIMIT=${memory} must be a size like 1GB or 512MB`);
  const role = env.OPENPERSONALIZE_ROLE || 'all';
  if (role !== 'all' && role !== 'api' && role !== 'worker')
    throw new ConfigError(`OPENPERSONALIZE_ROLE=${role} must be 'all', 'api' or 'worker'`);
  const kinds = (env.OPENPERSONALIZE_JOB_KINDS || '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  if (kinds.some((k) => !/^[a-z][a-z-]*$/.test(k)))
    throw new ConfigError(
      `OPENPERSONALIZE_JOB_KINDS=${env.OPENPERSONALIZE_JOB_KINDS} must be job kinds separated by commas, like dataset-import-job,dataset-export-job`,
    );
  const config: Config = {
    port: integer(env, 'PORT', 4580, 0, 65535),
    host,
    dataDir: env.OPENPERSONALIZE_DATA_DIR || './openpersonalize-data',
    databaseUrl,
    credentials: env.OPENPERSONALIZE_CREDENTIALS ? parseCredentials(env.OPENPERSONALIZE_CREDENTIALS) : undefined,
    quotas,
    provisioningMs: integer(env, 'OPENPERSONALIZE_PROVISIONING_MS', 200, 0, 600_000),
    maxRequestBytes: integer(env, 'OPENPERSONALIZE_MAX_REQUEST_BYTES', 1_048_576, 1024, 1_073_741_824),
    secret: env.OPENPERSONALIZE_SECRET || undefined,
    defaultRegion: region,
    objectStore,
    storageBucket,
    httpAllowHosts: (env.OPENPERSONALIZE_HTTP_ALLOW_HOSTS || '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    maxPendingImports: integer(env, 'OPENPERSONALIZE_MAX_PENDING_IMPORTS', 5, 1, 10_000),
    jobConcurrency: integer(env, 'OPENPERSONALIZE_JOB_CONCURRENCY', 2, 1, 64),
    jobMaxAttempts: integer(env, 'OPENPERSONALIZE_JOB_MAX_ATTEMPTS', 3, 1, 100),
    duckdbMemoryLimit: memory,
    role,
    jobKinds: kinds.length > 0 ? kinds : undefined,
    jobLeaseMs: integer(env, 'OPENPERSONALIZE_JOB_LEASE_MS', 30_000, 300, 3_600_000),
    shutdownGraceMs: integer(env, 'OPENPERSONALIZE_SHUTDOWN_GRACE_MS', 20_000, 0, 3_600_000),
  };
  checkDeployment(config);
  return config;
}

/** The effective configuration as printed at start: secrets masked. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    databaseUrl: config.databaseUrl?.replace(/:\/\/([^:@/]+):([^@/]+)@/, '://$1:***@') ?? '(SQLite in data dir)',
    credentials: config.credentials?.map((c) => `${c.accessKeyId}:***:${c.account}`) ?? '(open: any signature accepted)',
    secret: config.secret ? '***' : '(generated, kept in the catalog)',
  };
}

// Which deployments are allowed, decided at start so that a bad one stops with a one-line reason
// instead of corrupting data later.
//
// `api` and `worker` exist to run as several processes, possibly on several machines. That needs
// a catalog several processes can share (PostgreSQL: SQLite is one process's file, and a worker
// on SQLite takes over every lease it finds at start, assuming their holders died), an object
// store every machine sees (S3: the local store is this machine's disk), and one pagination-token
// secret for all api nodes (a token issued by one must be accepted by the next).
export function checkDeployment(config: Config): void {
  if (config.role === 'all') return;
  const what = `OPENPERSONALIZE_ROLE=${config.role}`;
  if (!config.secret) {
    throw new ConfigError(`${what} needs OPENPERSONALIZE_SECRET: every api node must sign pagination tokens with the same secret`);
  }
  let backend: string;
  try {
    backend = parseDatabaseUrl(config.databaseUrl, config.dataDir).kind;
  } catch (e) {
    throw new ConfigError(`OPENPERSONALIZE_DATABASE_URL: ${(e as Error).message}`);
  }
  if (backend !== 'postgres') {
    throw new ConfigError(
      `${what} needs a PostgreSQL catalog (OPENPERSONALIZE_DATABASE_URL=postgres://...): separate api and worker processes cannot share a SQLite catalog`,
    );
  }
  if (config.objectStore !== 's3') {
    throw new ConfigError(
      `${what} needs OPENPERSONALIZE_OBJECT_STORE=s3: with the local object store the data is on this machine's disk, which other nodes cannot read`,
    );
  }
}
