// `openpersonalize <command>`: the command line entry point (serve; the data commands validate and
// import; train and recommend, which use a running service's API).
import { ConfigError, describeConfig, FLAG_TO_ENV, loadConfig } from '../config/config.ts';
import { startService } from '../composition/build-service.ts';
import { runCommand } from './cli/cli-common.ts';

const HELP = `openpersonalize — a self-hosted, wire-compatible Amazon Personalize

Usage:
  openpersonalize serve [options]     run the service (API and jobs) in this process
  openpersonalize validate FILE... --schema S.json   check CSV files as an import would (no server)
  openpersonalize import FILE|s3://... --dataset-group G --type T   import into a running service
  openpersonalize train --dataset-group G [--recipe R]   train a solution version, print its metrics
  openpersonalize recommend CAMPAIGN|RECOMMENDER --user-id U   ask it for recommendations
  openpersonalize --help              this text

Options of serve (each overrides the environment variable named after it):
  --port N                 PORT                           default 4580
  --host ADDR              HOST                           default 127.0.0.1
  --data-dir DIR           OPENPERSONALIZE_DATA_DIR       default ./openpersonalize-data
  --database-url URL       OPENPERSONALIZE_DATABASE_URL   default SQLite in the data dir; postgres://... for PostgreSQL
  --credentials LIST       OPENPERSONALIZE_CREDENTIALS    KEY:SECRET[:ACCOUNT],...; when set, SigV4 is enforced
  --quotas aws|generous    OPENPERSONALIZE_QUOTAS         default generous; aws = AWS's default quotas
  --provisioning-ms N      OPENPERSONALIZE_PROVISIONING_MS  time from CREATE PENDING to ACTIVE, default 200
  --object-store local|s3  OPENPERSONALIZE_OBJECT_STORE   default local: s3://B/K is <data dir>/buckets/B/K
  --storage-bucket B       OPENPERSONALIZE_S3_STORAGE_BUCKET  with s3: bucket of the datasets' data
  --http-allow-hosts H,..  OPENPERSONALIZE_HTTP_ALLOW_HOSTS  hosts http(s) data locations may name
  --max-pending-imports N  OPENPERSONALIZE_MAX_PENDING_IMPORTS  default 5 (AWS's limit)
  --job-concurrency N      OPENPERSONALIZE_JOB_CONCURRENCY  jobs run at once, default 2
  --job-max-attempts N     OPENPERSONALIZE_JOB_MAX_ATTEMPTS  starts of an interrupted job, default 3
  --role all|api|worker    OPENPERSONALIZE_ROLE           default all; api/worker: scale-out (PostgreSQL, S3, --secret)
  --job-kinds K,K          OPENPERSONALIZE_JOB_KINDS      job kinds this process runs (worker pools per kind), default all
  --job-lease-ms N         OPENPERSONALIZE_JOB_LEASE_MS   a dead worker's job is taken over after this, default 30000
  --shutdown-grace-ms N    OPENPERSONALIZE_SHUTDOWN_GRACE_MS  on SIGTERM, time to finish jobs before handing them back, default 20000
  --duckdb-memory-limit S  OPENPERSONALIZE_DUCKDB_MEMORY_LIMIT  default 1GB
  --max-request-bytes N    OPENPERSONALIZE_MAX_REQUEST_BYTES default 1048576
  --secret S               OPENPERSONALIZE_SECRET         signs pagination tokens (default: generated, kept)
  --default-region R       OPENPERSONALIZE_DEFAULT_REGION region of unsigned requests, default us-east-1

Point any AWS client at it, e.g.
  aws personalize list-schemas --endpoint-url http://127.0.0.1:4580 --region us-east-1
`;

function applyFlags(args: string[], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    const name = FLAG_TO_ENV[flag];
    if (!name) throw new ConfigError(`unknown option ${flag} (see openpersonalize --help)`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new ConfigError(`option ${flag} needs a value`);
    out[name] = value;
  }
  return out;
}

async function serve(args: string[]): Promise<void> {
  const config = loadConfig(applyFlags(args, process.env));
  const service = await startService(config);
  process.stderr.write(`openpersonalize: configuration ${JSON.stringify(describeConfig(config))}\n`);
  process.stderr.write(`openpersonalize: listening on ${service.endpoint}\n`);
  const stop = () => {
    process.stderr.write('openpersonalize: shutting down\n');
    service.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`openpersonalize: could not stop cleanly: ${e instanceof Error ? e.stack : String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return;
  }
  if (command === 'serve') {
    if (rest.includes('--help')) return void process.stdout.write(HELP);
    return serve(rest);
  }
  // The other commands' modules (the AWS SDK clients among them) are loaded only when they run.
  const commands = {
    validate: async () => (await import('./cli/cli-validate.ts')).validateCommand,
    import: async () => (await import('./cli/cli-import.ts')).importCommand,
    train: async () => (await import('./cli/cli-train.ts')).trainCommand,
    recommend: async () => (await import('./cli/cli-recommend.ts')).recommendCommand,
  };
  if (Object.hasOwn(commands, command)) {
    process.exitCode = await runCommand(await commands[command as keyof typeof commands](), rest);
    return;
  }
  throw new ConfigError(`unknown command '${command}' (see openpersonalize --help)`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`openpersonalize: ${e instanceof ConfigError ? e.message : e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
