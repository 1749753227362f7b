// `openpersonalize train --dataset-group G [--recipe R]`: trains a model in a running service
// through its public AWS API, as any user would: finds or creates the solution (by name, with
// the recipe), creates a solution version, waits for its end with a progress line on a terminal
// (the status and the elapsed time: the API reports no progress within a training) and prints
// the offline metrics GetSolutionMetrics gives, or the failure reason.
import {
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
  paginateListSolutions,
  type PersonalizeClient,
  type SolutionVersion,
} from '@aws-sdk/client-personalize';
import { SOLUTION_STATUSES } from '../../resources/solutions/solution-record.ts';
import { SOLUTION_VERSION_STATUSES } from '../../resources/solution-versions/solution-version-record.ts';
import { hasStatus, isFinal } from '../../resources/shared/status-table.ts';
import { CliError, parseCommandArgs, ProgressLine, type Io } from './cli-common.ts';
import { waitActive } from './cli-import-resources.ts';
import {
  CREDENTIALS_HELP,
  findDatasetGroup,
  personalizeClient,
  pollUntil,
  SERVICE_OPTIONS_HELP,
  serviceError,
  serviceTarget,
} from './cli-service.ts';

export const TRAIN_HELP = `Usage: openpersonalize train --dataset-group NAME [--recipe RECIPE] [options]

Trains a model on a dataset group's data in a running openpersonalize service: creates the
solution when it is missing (with the recipe), creates a solution version, waits until it is
ACTIVE and prints its offline metrics (on failure: the reason).

Options:
  --dataset-group NAME   the dataset group holding the data (import it first)          required
  --recipe RECIPE        recipe name or ARN of a new solution, default aws-user-personalization
  --solution NAME        the solution to train (created if missing), default <group>-<recipe>
  --training-mode MODE   FULL (default) or UPDATE (User-Personalization, after a FULL version)
  --event-type TYPE      a new solution trains on the interactions of this event type only
  --hpo                  a new solution searches its hyperparameters (performHPO)
  --hyperparameter K=V   a new solution's algorithm hyperparameter (repeatable)
  --auto-training        a new solution also retrains by itself every 7 days (off by default)
${SERVICE_OPTIONS_HELP}
  --json                 print one JSON object with the outcome instead of text (no progress line)

${CREDENTIALS_HELP}
Exit status: 0 ACTIVE, 1 failed, 2 usage.
`;

const OPTIONS = {
  'dataset-group': { type: 'string' },
  recipe: { type: 'string' },
  solution: { type: 'string' },
  'training-mode': { type: 'string' },
  'event-type': { type: 'string' },
  hpo: { type: 'boolean' },
  hyperparameter: { type: 'string', multiple: true },
  'auto-training': { type: 'boolean' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const RECIPE_PREFIX = 'arn:aws:personalize:::recipe/';
const SPINNER = '|/-\\';

/** AWS's metric names in reading order: coverage, MRR, NDCG@5/10/25, precision@5/10/25, then others. */
export function metricOrder(names: string[]): string[] {
  const families = ['coverage', 'mean_reciprocal_rank', 'normalized_discounted_cumulative_gain', 'precision'];
  const key = (n: string) => {
    const m = /^(.*?)(?:_at_(\d+).*)?$/.exec(n)!;
    const f = families.indexOf(m[1]);
    return { f: f < 0 ? families.length : f, k: Number(m[2] ?? 0) };
  };
  return [...names].sort((a, b) => key(a).f - key(b).f || key(a).k - key(b).k || (a < b ? -1 : 1));
}

function hyperParameters(list: string[] | undefined): Record<string, string> | undefined {
  if (!list || list.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const item of list) {
    const at = item.indexOf('=');
    if (at <= 0) throw new CliError(`--hyperparameter ${item} must be NAME=VALUE, e.g. --hyperparameter recency_mask=false`);
    out[item.slice(0, at)] = item.slice(at + 1);
  }
  return out;
}

async function findSolution(client: PersonalizeClient, groupArn: string, name: string) {
  for await (const page of paginateListSolutions({ client }, { datasetGroupArn: groupArn })) {
    const s = page.solutions?.find((x) => x.name === name);
    if (s) return s;
  }
  return undefined;
}

export async function trainCommand(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parseCommandArgs(args, OPTIONS, 'train');
  if (v.help) {
    io.out(TRAIN_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new CliError(`train takes no FILE (got ${positionals[0]}); see openpersonalize train --help`);
  const groupName = v['dataset-group'];
  if (!groupName) throw new CliError('train needs --dataset-group NAME');
  const mode = (v['training-mode'] ?? 'FULL').toUpperCase();
  if (mode !== 'FULL' && mode !== 'UPDATE') throw new CliError(`--training-mode ${v['training-mode']} must be FULL or UPDATE`);
  const recipeArn = v.recipe ? (v.recipe.startsWith('arn:') ? v.recipe : `${RECIPE_PREFIX}${v.recipe}`) : undefined;
  const hp = hyperParameters(v.hyperparameter);
  const target = serviceTarget(v, io);
  const log = (s: string) => io.err(`${s}\n`);
  const progress = new ProgressLine(v.json ? { ...io, tty: false } : io);
  const client = personalizeClient(io, target);
  const call = <T>(operation: string, p: Promise<T>) =>
    p.catch((e: unknown) => Promise.reject(serviceError(operation, e, target.endpoint)));

  const groupArn = await call('ListDatasetGroups', findDatasetGroup(client, groupName));
  if (!groupArn)
    throw new CliError(`there is no dataset group ${groupName} in ${target.region}: import data first (openpersonalize import --help)`);
  const recipeName = (recipeArn ?? `${RECIPE_PREFIX}aws-user-personalization`).slice(RECIPE_PREFIX.length);
  const solutionName = v.solution ?? `${groupName}-${recipeName.replace(/^aws-/, '')}`.slice(0, 63);
  const created: string[] = [];
  const solution = await call('ListSolutions', findSolution(client, groupArn, solutionName));
  let solutionArn: string;
  if (solution) {
    solutionArn = solution.solutionArn!;
    const described = (await call('DescribeSolution', client.send(new DescribeSolutionCommand({ solutionArn })))).solution!;
    if (recipeArn && described.recipeArn !== recipeArn)
      throw new CliError(
        `the solution ${solutionName} uses the recipe ${described.recipeArn}, not ${recipeArn}: give another --solution NAME`,
      );
    if (hp || v.hpo || v['event-type'] || v['auto-training']) log(`the solution ${solutionName} exists: its own settings apply`);
  } else {
    solutionArn = (
      await call(
        'CreateSolution',
        client.send(
          new CreateSolutionCommand({
            name: solutionName,
            datasetGroupArn: groupArn,
            recipeArn: recipeArn ?? `${RECIPE_PREFIX}${recipeName}`,
            performHPO: v.hpo ?? false,
            performAutoTraining: v['auto-training'] ?? false,
            ...(v['event-type'] ? { eventType: v['event-type'] } : {}),
            ...(hp ? { solutionConfig: { algorithmHyperParameters: hp } } : {}),
          }),
        ),
      )
    ).solutionArn!;
    created.push(`solution ${solutionName}`);
    log(`created solution ${solutionArn} (${recipeName})`);
  }
  await call(
    'DescribeSolution',
    waitActive(
      `solution ${solutionName}`,
      SOLUTION_STATUSES,
      async () => (await client.send(new DescribeSolutionCommand({ solutionArn }))).solution,
    ),
  );

  const started = Date.now();
  const { solutionVersionArn } = await call(
    'CreateSolutionVersion',
    client.send(new CreateSolutionVersionCommand({ solutionArn, trainingMode: mode })),
  );
  log(`training solution version ${solutionVersionArn}`);
  let turn = 0;
  const version: SolutionVersion = await call(
    'DescribeSolutionVersion',
    pollUntil(
      async () => (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion!,
      (x) => isFinal(SOLUTION_VERSION_STATUSES, x.status),
      (x) => {
        const s = Math.round((Date.now() - started) / 1000);
        progress.update(`${SPINNER[turn++ % SPINNER.length]} training (${x.status}) ${s}s`, null, {});
      },
    ),
  ).finally(() => progress.done());
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  const ok = hasStatus(SOLUTION_VERSION_STATUSES, version, 'ACTIVE');
  const metrics = ok
    ? ((await call('GetSolutionMetrics', client.send(new GetSolutionMetricsCommand({ solutionVersionArn })))).metrics ?? {})
    : undefined;
  const outcome = {
    status: version.status,
    datasetGroupArn: groupArn,
    solutionArn,
    solutionVersionArn,
    recipe: version.recipeArn?.slice(RECIPE_PREFIX.length),
    trainingMode: version.trainingMode,
    created,
    seconds,
    ...(ok ? { trainingHours: version.trainingHours, metrics } : { failureReason: version.failureReason ?? 'no reason given' }),
  };
  if (v.json) {
    io.out(`${JSON.stringify(outcome)}\n`);
    return ok ? 0 : 1;
  }
  if (!ok) {
    io.out(`${version.status}: ${version.failureReason ?? 'no reason given'}\n`);
    return 1;
  }
  io.out(`ACTIVE: trained ${solutionVersionArn} (${outcome.recipe}, ${version.trainingMode}) in ${seconds}s\n`);
  const names = metricOrder(Object.keys(metrics!));
  const w = Math.max(6, ...names.map((n) => n.length));
  io.out(`${'metric'.padEnd(w)}  value\n`);
  for (const n of names) io.out(`${n.padEnd(w)}  ${metrics![n].toFixed(4)}\n`);
  return 0;
}
