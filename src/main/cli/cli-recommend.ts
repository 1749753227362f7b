// `openpersonalize recommend CAMPAIGN|RECOMMENDER --user-id U`: asks a running service for
// recommendations through its personalize-runtime API, as an application would, and prints the
// items with their scores and, when the campaign or recommender returns metadata
// (enableMetadataWithRecommendations, or a v2 recipe), the Items columns. Names are found through
// the control plane's List calls; everything shown is what the API answers.
import {
  DescribeCampaignCommand,
  DescribeDatasetCommand,
  DescribeRecommenderCommand,
  DescribeSchemaCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  paginateListCampaigns,
  paginateListDatasets,
  paginateListFilters,
  paginateListRecommenders,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { GetPersonalizedRankingCommand, GetRecommendationsCommand, type PredictedItem } from '@aws-sdk/client-personalize-runtime';
import { CliError, parseCommandArgs, type Io } from './cli-common.ts';
import { CREDENTIALS_HELP, personalizeClient, runtimeClient, SERVICE_OPTIONS_HELP, serviceError, serviceTarget } from './cli-service.ts';

export const RECOMMEND_HELP = `Usage: openpersonalize recommend CAMPAIGN|RECOMMENDER [--user-id U] [--item-id I] [options]

Asks a campaign or recommender of a running openpersonalize service for recommendations (the
personalize-runtime API) and prints the items with their scores and, when the campaign or
recommender returns metadata, their Items columns.

Options:
  CAMPAIGN|RECOMMENDER   its ARN or its name
  --user-id U            the user (User-Personalization, Personalized-Ranking, most use cases)
  --item-id I            the item (related-items recipes and use cases)
  --items I1,I2,...      the items to rank (Personalized-Ranking campaigns: GetPersonalizedRanking)
  --filter F             a filter of the dataset group: its ARN or its name
  --filter-values V      NAME=VALUE (repeatable) or a JSON object, values as the API takes them:
                         --filter-values 'GENRES="Comedy","Drama"'
  --num-results N        how many items, default 25
  --metadata COL,...     the Items columns to return (default: up to 10 when metadata is enabled)
${SERVICE_OPTIONS_HELP}
  --json                 print the API's answer as one JSON object instead of a table

${CREDENTIALS_HELP}
Exit status: 0 answered, 1 refused by the service, 2 usage.
`;

const OPTIONS = {
  'user-id': { type: 'string' },
  'item-id': { type: 'string' },
  items: { type: 'string' },
  filter: { type: 'string' },
  'filter-values': { type: 'string', multiple: true },
  'num-results': { type: 'string' },
  metadata: { type: 'string' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Recipes whose campaigns return metadata without enableMetadataWithRecommendations. */
const METADATA_ALWAYS = /\/aws-(user-personalization|personalized-ranking)-v2$|\/aws-semantic-similarity$/;
const RANKING = /\/aws-personalized-ranking(-v2)?$/;
const MAX_METADATA_COLUMNS = 10;
const CELL = 40;

export function parseFilterValues(list: string[] | undefined): Record<string, string> | undefined {
  if (!list || list.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const item of list) {
    if (item.trimStart().startsWith('{')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(item);
      } catch (e) {
        throw new CliError(`--filter-values is not a JSON object: ${(e as Error).message}`);
      }
      if (typeof parsed !== 'object' || parsed === null || Object.values(parsed).some((x) => typeof x !== 'string'))
        throw new CliError('--filter-values as JSON must map parameter names to strings, e.g. {"GENRES": "\\"Comedy\\""}');
      Object.assign(out, parsed);
      continue;
    }
    const at = item.indexOf('=');
    if (at <= 0) throw new CliError(`--filter-values ${item} must be NAME=VALUE or a JSON object`);
    out[item.slice(0, at).replace(/^\$/, '')] = item.slice(at + 1);
  }
  return out;
}

interface Target {
  kind: 'campaign' | 'recommender';
  arn: string;
  recipeArn: string;
  datasetGroupArn: string;
  metadata: boolean;
}

async function findByName(client: PersonalizeClient, name: string): Promise<{ kind: Target['kind']; arn: string }> {
  const found: { kind: Target['kind']; arn: string }[] = [];
  for await (const page of paginateListCampaigns({ client }, {}))
    for (const c of page.campaigns ?? []) if (c.name === name) found.push({ kind: 'campaign', arn: c.campaignArn! });
  for await (const page of paginateListRecommenders({ client }, {}))
    for (const r of page.recommenders ?? []) if (r.name === name) found.push({ kind: 'recommender', arn: r.recommenderArn! });
  if (found.length === 0) throw new Error(`there is no campaign or recommender named ${name} (give its name or ARN)`);
  if (found.length > 1) throw new Error(`${name} names a campaign and a recommender: give the ARN of the one you mean`);
  return found[0];
}

async function describeTarget(client: PersonalizeClient, given: string): Promise<Target> {
  const { kind, arn } = given.startsWith('arn:')
    ? { kind: given.includes(':recommender/') ? ('recommender' as const) : ('campaign' as const), arn: given }
    : await findByName(client, given);
  if (kind === 'recommender') {
    const r = (await client.send(new DescribeRecommenderCommand({ recommenderArn: arn }))).recommender!;
    const metadata = r.recommenderConfig?.enableMetadataWithRecommendations === true;
    return { kind, arn, recipeArn: r.recipeArn!, datasetGroupArn: r.datasetGroupArn!, metadata };
  }
  const c = (await client.send(new DescribeCampaignCommand({ campaignArn: arn }))).campaign!;
  const deployed = c.solutionVersionArn!;
  const from = deployed.endsWith('/$LATEST')
    ? (await client.send(new DescribeSolutionCommand({ solutionArn: deployed.slice(0, -'/$LATEST'.length) }))).solution!
    : (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn: deployed }))).solutionVersion!;
  const metadata = c.campaignConfig?.enableMetadataWithRecommendations === true || METADATA_ALWAYS.test(from.recipeArn!);
  return { kind, arn, recipeArn: from.recipeArn!, datasetGroupArn: from.datasetGroupArn!, metadata };
}

/** The Items columns to ask for: those that name an item first, then the schema's order. */
async function itemColumns(client: PersonalizeClient, groupArn: string): Promise<string[]> {
  for await (const page of paginateListDatasets({ client }, { datasetGroupArn: groupArn })) {
    const items = page.datasets?.find((d) => d.datasetType?.toUpperCase() === 'ITEMS');
    if (!items) continue;
    const { schemaArn } = (await client.send(new DescribeDatasetCommand({ datasetArn: items.datasetArn }))).dataset!;
    const { schema } = (await client.send(new DescribeSchemaCommand({ schemaArn }))).schema!;
    const names = ((JSON.parse(schema!) as { fields?: { name: string }[] }).fields ?? []).map((f) => f.name).filter((n) => n !== 'ITEM_ID');
    const naming = (n: string) => (/(TITLE|NAME)$/i.test(n) ? 0 : 1);
    return names.sort((a, b) => naming(a) - naming(b)).slice(0, MAX_METADATA_COLUMNS);
  }
  return [];
}

async function filterArnOf(client: PersonalizeClient, given: string, groupArn: string): Promise<string> {
  if (given.startsWith('arn:')) return given;
  for await (const page of paginateListFilters({ client }, { datasetGroupArn: groupArn })) {
    const f = page.Filters?.find((x) => x.name === given);
    if (f) return f.filterArn!;
  }
  throw new Error(`there is no filter named ${given} in the dataset group ${groupArn}`);
}

const cut = (s: string) => (s.length > CELL ? `${s.slice(0, CELL - 1)}…` : s);

/** The items as an aligned table: rank, item, score (when any), reason (when any), metadata columns. */
function table(items: PredictedItem[], columns: string[]): string {
  const scored = items.some((i) => i.score !== undefined);
  const reasons = items.some((i) => i.reason?.length || i.promotionName);
  const head = ['#', 'ITEM', ...(scored ? ['SCORE'] : []), ...columns, ...(reasons ? ['REASON'] : [])];
  const rows = items.map((it, i) => [
    String(i + 1),
    it.itemId ?? '',
    ...(scored ? [it.score === undefined ? '-' : String(it.score)] : []),
    ...columns.map((c) => cut(it.metadata?.[c] ?? '')),
    ...(reasons ? [[it.promotionName && `promoted (${it.promotionName})`, ...(it.reason ?? [])].filter(Boolean).join('; ')] : []),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((x, c) => (c === 0 ? x.padStart(widths[c]) : c === cells.length - 1 ? x : x.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

export async function recommendCommand(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parseCommandArgs(args, OPTIONS, 'recommend');
  if (v.help) {
    io.out(RECOMMEND_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new CliError('recommend takes one CAMPAIGN or RECOMMENDER (its name or ARN); see openpersonalize recommend --help');
  const numResults = v['num-results'] === undefined ? undefined : Number(v['num-results']);
  if (numResults !== undefined && !(Number.isInteger(numResults) && numResults > 0))
    throw new CliError(`--num-results ${v['num-results']} must be a whole number above 0`);
  const filterValues = parseFilterValues(v['filter-values']);
  if (filterValues && !v.filter) throw new CliError('--filter-values needs --filter');
  const inputList = v.items?.split(/[\s,]+/).filter(Boolean);
  const target = serviceTarget(v, io);
  const client = personalizeClient(io, target);
  const call = <T>(operation: string, p: Promise<T>) =>
    p.catch((e: unknown) => Promise.reject(serviceError(operation, e, target.endpoint)));

  const t = await call('Describe', describeTarget(client, positionals[0]));
  const ranking = t.kind === 'campaign' && RANKING.test(t.recipeArn);
  if (ranking && !inputList) throw new CliError(`${positionals[0]} ranks items (${t.recipeArn.split('/').pop()}): give --items I1,I2,...`);
  if (!ranking && inputList)
    throw new CliError(`--items is for Personalized-Ranking campaigns; ${positionals[0]} recommends (${t.recipeArn.split('/').pop()})`);
  const filterArn = v.filter ? await call('ListFilters', filterArnOf(client, v.filter, t.datasetGroupArn)) : undefined;
  const columns = v.metadata
    ? v.metadata
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean)
    : t.metadata
      ? await call('DescribeSchema', itemColumns(client, t.datasetGroupArn))
      : [];
  const common = {
    ...(v['user-id'] !== undefined ? { userId: v['user-id'] } : {}),
    ...(filterArn ? { filterArn } : {}),
    ...(filterValues ? { filterValues } : {}),
    ...(columns.length > 0 ? { metadataColumns: { ITEMS: columns } } : {}),
  };
  const runtime = runtimeClient(io, target);
  let items: PredictedItem[];
  let recommendationId: string | undefined;
  const operation = ranking ? 'GetPersonalizedRanking' : 'GetRecommendations';
  if (ranking) {
    const r = await call(
      operation,
      runtime.send(new GetPersonalizedRankingCommand({ campaignArn: t.arn, userId: v['user-id']!, inputList: inputList!, ...common })),
    );
    items = r.personalizedRanking ?? [];
    recommendationId = r.recommendationId;
  } else {
    const r = await call(
      operation,
      runtime.send(
        new GetRecommendationsCommand({
          [t.kind === 'campaign' ? 'campaignArn' : 'recommenderArn']: t.arn,
          ...(v['item-id'] !== undefined ? { itemId: v['item-id'] } : {}),
          ...(numResults !== undefined ? { numResults } : {}),
          ...common,
        }),
      ),
    );
    items = r.itemList ?? [];
    recommendationId = r.recommendationId;
  }
  if (v.json) {
    io.out(
      `${JSON.stringify({ [t.kind === 'campaign' ? 'campaignArn' : 'recommenderArn']: t.arn, operation, [ranking ? 'personalizedRanking' : 'itemList']: items, recommendationId })}\n`,
    );
    return 0;
  }
  io.out(items.length === 0 ? 'no items (the filter or the data left nothing to recommend)\n' : table(items, columns));
  io.err(`${items.length} item(s) from ${t.kind} ${t.arn} (${recommendationId})\n`);
  if (!t.metadata && !v.metadata) io.err(`(no metadata: the ${t.kind} does not enable enableMetadataWithRecommendations)\n`);
  return 0;
}
