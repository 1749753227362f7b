// What a batch inference job does (training-rules.md §9 rules 109-112): answer each input line
// with the code GetRecommendations and GetPersonalizedRanking answer with (recommendations.ts,
// real-time-personalization.ts), for the job's solution version instead of a campaign, and write
// the answers as AWS's output files (batch-format.ts) through batch-job-run.ts. Per line [INF
// where noted]:
//  * the ids the recipe needs: userId (User-Personalization), itemId (related items), userId and
//    itemList (Personalized-Ranking); Popularity-Count needs none (a userId serves its filter);
//  * the job's filter with the line's filterValues, prepared per line against the group's data
//    now, as a runtime request prepares it; numResults is the job's;
//  * item exploration by batchInferenceJobConfig.itemExplorationConfig (absent: the defaults, as
//    for a campaign); the draw is seeded by the job and the line, so a file answered again after a
//    takeover gets the same answer. A job naming the solution's latest fully trained
//    User-Personalization version first makes its two-hourly update when one is due (rule 112: a
//    batch job counts as a use of the version, like a campaign deploying it);
//  * `scores` where the recipe scores (User-Personalization, Personalized-Ranking); an item
//    without a score (placeholders of v2, items a ranking model does not know) gets 0.0, since the
//    file's scores list is parallel to the items;
//  * THEME_GENERATION (Similar-Items): the line's items with a theme and their relevance to it
//    (batch-themes.ts); an input file holds at most 100 lines then (rule 110).
import { JobFailure } from '../jobs/job-failure.ts';
import type { JobKind } from '../jobs/job-runner.ts';
import { setJobState } from '../jobs/job-state.ts';
import {
  BATCH_INFERENCE_JOB_KIND,
  BATCH_INFERENCE_JOB_STATUSES,
  type BatchInferenceJobBody,
} from '../resources/batch-inference-jobs/batch-inference-job-record.ts';
import type { TrainingDeps } from '../training/solution-version-job-work.ts';
import { inferenceErrorLine, inferenceLine, type InferenceOutput } from './batch-format.ts';
import { filterValuesOf, itemListOf, lineErrorText, optionalId, parseLine, requiredId, type LineInput } from './batch-lines.ts';
import { runBatchFiles } from './batch-job-run.ts';
import { batchServingOf } from './batch-serving.ts';
import { ThemeMaker } from './batch-themes.ts';
import type { CompiledFilter } from './filters/filter-evaluator.ts';
import { groupSchemasOf } from './filters/filter-loading.ts';
import { EXPLORING_RECIPES } from './item-exploration.ts';
import { updateVersion } from './new-items-update-work.ts';
import type { RealTimePersonalization } from './real-time-personalization.ts';
import { withRankingInfluence } from './ranking-influence.ts';
import { rankItems, recommendItems, runtimeKindOf, type Deployed } from './recommendations.ts';
import type { Answered } from './user-lists.ts';

/** Rule 110: records per input file, and with themes. */
const MAX_LINES = 50_000_000;
const MAX_THEMED_LINES = 100;
/** Items a Personalized-Ranking line may rank, as GetPersonalizedRanking's inputList. */
const MAX_ITEM_LIST = 500;

interface InferenceJob {
  arn: string;
  body: BatchInferenceJobBody;
  deployed: Deployed;
  personalization: RealTimePersonalization;
  filter?: CompiledFilter;
  themes?: ThemeMaker;
}

async function themeMakerOf(deps: TrainingDeps, d: Deployed, account: string, region: string, itemName: string): Promise<ThemeMaker> {
  const schema = (await groupSchemasOf(deps.catalog, { account, region, arn: d.version.datasetGroupArn })).ITEMS;
  if (!schema)
    throw new JobFailure(`Themes are made from the Items dataset, and the dataset group ${d.version.datasetGroupArn} has none now.`);
  const strings = schema.fields.filter((f) => f.type === 'string' && f.name !== 'ITEM_ID');
  return new ThemeMaker(await d.data.items(), {
    categorical: strings.filter((f) => f.categorical && !f.textual).map((f) => f.name),
    textual: strings.filter((f) => f.textual).map((f) => f.name),
    itemName,
  });
}

const scoresOf = (items: Answered[]) => (items.some((s) => s.score !== undefined) ? items.map((s) => s.score ?? 0) : undefined);

/** The output of one line (LineError or InvalidInputException when it cannot be answered). */
async function answerLine(job: InferenceJob, input: LineInput): Promise<InferenceOutput> {
  const d = job.deployed;
  const kind = runtimeKindOf(d.recipe);
  const why = `solution version ${job.body.solutionVersionArn} (${d.recipe.name})`;
  const userId =
    kind === 'USER' || kind === 'RANKING' ? requiredId(input, 'userId', `${why} recommends items for a user`) : optionalId(input, 'userId');
  const itemId = kind === 'RELATED' ? requiredId(input, 'itemId', `${why} recommends items related to an item`) : undefined;
  const itemList = kind === 'RANKING' ? itemListOf(input, MAX_ITEM_LIST, `${why} ranks the items of the line for its user`) : undefined;
  const values = filterValuesOf(input);
  // As the runtime does: the filter reads the group's data now, the model the histories of rule 120.
  const keep = job.filter && (await job.filter.prepare({ userId, currentItemId: itemId, values }, d.data));
  const p = await job.personalization.request(d);
  if (itemList) {
    const ranked = await rankItems(p.deployed, { userId: userId!, inputList: itemList, keep });
    return { recommendedItems: ranked.map((s) => s.item), scores: ranked.map((s) => s.score ?? 0) };
  }
  const numResults = job.body.numResults;
  const items = await p.finish(await recommendItems(p.deployed, { userId, itemId, numResults, keep }), {
    userId,
    numResults,
    keep,
    itemExplorationConfig: job.body.batchInferenceJobConfig?.itemExplorationConfig,
    seed: JSON.stringify([job.arn, job.body.filterArn, values]),
  });
  const ids = items.map((s) => s.item);
  if (job.themes && itemId !== undefined) {
    const t = job.themes.themeOf(itemId, ids);
    return { recommendedItems: t.items, theme: t.theme, itemsThemeRelevanceScores: t.itemsThemeRelevanceScores };
  }
  return { recommendedItems: ids, scores: scoresOf(items) };
}

export function batchInferenceJobKind(deps: TrainingDeps): JobKind {
  const serving = batchServingOf(deps);
  return {
    kind: BATCH_INFERENCE_JOB_KIND.kind,
    async run(queued, ctx) {
      const record = await deps.catalog.get(queued.arn);
      if (!record) return ctx.finish(async () => {});
      const body = record.body as unknown as BatchInferenceJobBody;
      await setJobState(deps.catalog, BATCH_INFERENCE_JOB_STATUSES, record.arn, deps.now(), 'CREATE IN_PROGRESS', {});
      if (EXPLORING_RECIPES.has(body.recipe)) {
        await updateVersion(deps, body.solutionVersionArn, deps.now(), 'batch').catch((e: unknown) =>
          deps.log({ level: 'warn', msg: 'model update failed', solutionVersion: body.solutionVersionArn, error: String(e) }),
        );
        serving.personalization.forgetVersion(body.solutionVersionArn);
      }
      const deployed = withRankingInfluence(
        await serving.deployment(body.solutionVersionArn),
        body.batchInferenceJobConfig?.rankingInfluence,
      );
      const themed = body.batchInferenceJobMode === 'THEME_GENERATION';
      const job: InferenceJob = {
        arn: record.arn,
        body,
        deployed,
        personalization: serving.personalization,
        filter: body.filterArn === undefined ? undefined : await serving.filter(deps.catalog, body.filterArn),
        themes: themed
          ? await themeMakerOf(deps, deployed, record.account, record.region, body.themeGenerationConfig!.fieldsForThemeGeneration.itemName)
          : undefined,
      };
      await runBatchFiles({
        deps,
        table: BATCH_INFERENCE_JOB_STATUSES,
        job: queued,
        ctx,
        record,
        maxLinesPerFile: themed ? MAX_THEMED_LINES : MAX_LINES,
        async answer(line) {
          let input: unknown = line;
          try {
            input = parseLine(line);
            return { text: inferenceLine(input, await answerLine(job, input as LineInput)), error: false };
          } catch (e) {
            const message = lineErrorText(e);
            if (message === undefined) throw e;
            return { text: inferenceErrorLine(input, message), error: true };
          }
        },
      });
    },
    async fail(tx, arn, reason) {
      await setJobState(tx, BATCH_INFERENCE_JOB_STATUSES, arn, deps.now(), 'CREATE FAILED', { failureReason: reason });
    },
  };
}
