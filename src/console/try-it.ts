// The console's "try it" panel: POST /console/api/try-it asks a campaign or recommender for
// recommendations through the personalize-runtime pipeline itself (parse, validate against the
// model, the runtime handler, serialize), as the caller's account and region, so the panel shows
// exactly what GetRecommendations / GetPersonalizedRanking answer, errors included. The items'
// metadata (titles, genres, ...) is then read from the group's Items data as serving reads it
// (the same cached rows that metadataColumns and filters use), whatever the campaign's
// enableMetadataWithRecommendations says: the panel is for looking, not an API answer.
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../protocol/handler-types.ts';
import type { ProtocolResponse } from '../protocol/json-protocol.ts';
import { CAMPAIGN_KIND, type CampaignBody } from '../resources/campaigns/campaign-record.ts';
import { RECOMMENDER_KIND } from '../resources/recommenders/recommender-record.ts';
import type { TryItAnswer, TryItRequest } from './console-training-types.ts';
import { ConsoleError, type ConsoleCaller } from './console-session.ts';
import type { ConsoleReads } from './model-pages.ts';
import { itemColumns, runtimeShapeOf } from './serving-pages.ts';

/** What the console needs of the serving plane (wired in composition/build-service.ts). */
export interface ConsoleRuntime {
  /** The personalize-runtime pipeline, as the API's route calls it after authentication. */
  invoke(operation: string, body: Buffer, ctx: RequestContext): Promise<ProtocolResponse>;
  /** A dataset group's Items rows by ITEM_ID, as serving reads them. */
  items(datasetGroupArn: string, account: string, region: string): Promise<ReadonlyMap<string, Readonly<Record<string, unknown>>>>;
}

/** Metadata values are cut to this many characters (long descriptions). */
const MAX_VALUE_CHARS = 300;

const optionalString = (v: unknown, name: string): string | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new ConsoleError(400, `${name} must be a string.`);
  return v;
};

/** The request body, checked for its JSON types (the runtime's model checks the rest). */
export function parseTryIt(body: Buffer): TryItRequest {
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new ConsoleError(400, 'The body is not JSON.');
  }
  if (typeof input !== 'object' || input === null) throw new ConsoleError(400, 'The body must be a JSON object.');
  const arn = optionalString(input.arn, 'arn');
  if (!arn) throw new ConsoleError(400, 'arn (a campaign or recommender) is required.');
  const filterValues = input.filterValues;
  if (
    filterValues !== undefined &&
    (typeof filterValues !== 'object' || filterValues === null || Object.values(filterValues).some((v) => typeof v !== 'string'))
  )
    throw new ConsoleError(400, 'filterValues must map parameter names to strings.');
  const inputList = input.inputList;
  if (inputList !== undefined && (!Array.isArray(inputList) || inputList.some((v) => typeof v !== 'string')))
    throw new ConsoleError(400, 'inputList must be a list of item ids.');
  if (input.numResults !== undefined && typeof input.numResults !== 'number') throw new ConsoleError(400, 'numResults must be a number.');
  return {
    arn,
    userId: optionalString(input.userId, 'userId'),
    itemId: optionalString(input.itemId, 'itemId'),
    filterArn: optionalString(input.filterArn, 'filterArn'),
    filterValues: filterValues as Record<string, string> | undefined,
    inputList: inputList as string[] | undefined,
    numResults: input.numResults as number | undefined,
  };
}

export async function tryIt(reads: ConsoleReads, runtime: ConsoleRuntime, c: ConsoleCaller, q: TryItRequest): Promise<TryItAnswer> {
  const kind = q.arn.includes(':recommender/') ? RECOMMENDER_KIND : q.arn.includes(':campaign/') ? CAMPAIGN_KIND : undefined;
  if (!kind) throw new ConsoleError(400, `${q.arn} is neither a campaign nor a recommender ARN.`);
  const target = await reads.load(c, kind, q.arn);
  const groupArn = kind === CAMPAIGN_KIND ? (target.body as unknown as CampaignBody).datasetGroupArn : target.parentArn!;
  const { operation } = runtimeShapeOf(target);
  const hasValues = q.filterValues && Object.keys(q.filterValues).length > 0;
  const request: Record<string, unknown> = {
    [kind === CAMPAIGN_KIND ? 'campaignArn' : 'recommenderArn']: q.arn,
    ...(q.userId !== undefined ? { userId: q.userId } : {}),
    ...(operation === 'GetRecommendations' && q.itemId !== undefined ? { itemId: q.itemId } : {}),
    ...(operation === 'GetRecommendations' && q.numResults !== undefined ? { numResults: q.numResults } : {}),
    ...(operation === 'GetPersonalizedRanking' ? { inputList: q.inputList ?? [] } : {}),
    ...(q.filterArn !== undefined ? { filterArn: q.filterArn } : {}),
    ...(q.filterArn !== undefined && hasValues ? { filterValues: q.filterValues } : {}),
  };
  const started = performance.now();
  // Errors are the runtime's own ServiceErrors (status and code as the API gives them).
  const response = await runtime.invoke(operation, Buffer.from(JSON.stringify(request)), {
    account: c.account,
    region: c.region,
    requestId: randomUUID(),
  });
  const ms = Math.round((performance.now() - started) * 10) / 10;
  const answer = JSON.parse(String(response.body)) as {
    itemList?: TryItAnswer['items'];
    personalizedRanking?: TryItAnswer['items'];
    recommendationId?: string;
  };
  const listed = answer.itemList ?? answer.personalizedRanking ?? [];
  const [columns, rows] = await Promise.all([itemColumns(reads, c, groupArn), runtime.items(groupArn, c.account, c.region)]);
  const items = listed.map((it) => {
    const found = rows.get(it.itemId);
    const metadata: Record<string, string> = {};
    for (const col of columns) {
      const v = found?.[col];
      if (v === null || v === undefined) continue;
      const text = String(v);
      metadata[col] = text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
    }
    return {
      itemId: it.itemId,
      ...(it.score !== undefined ? { score: it.score } : {}),
      ...(it.reason !== undefined ? { reason: it.reason } : {}),
      ...(it.promotionName !== undefined ? { promotionName: it.promotionName } : {}),
      metadata,
    };
  });
  return { operation, request, recommendationId: answer.recommendationId, items, metadataColumns: columns, ms };
}
