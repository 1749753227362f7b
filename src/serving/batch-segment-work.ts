// What a batch segment job does (training-rules.md §9 rules 113-117): for each input line, the
// numResults users most likely to interact with an item (Item-Affinity, `{"itemId": "105"}`) or
// with the items having all the given attribute values (Item-Attribute-Affinity,
// `{"itemAttributes": "ITEMS.genres = \"Comedy\" AND ITEMS.genres = \"Action\""}`), best first,
// from the trained model (Model.segment: the data of its training, rule 117), written in the
// observed `usersList` form (batch-format.ts) through batch-job-run.ts. [INF] where noted:
//  * queries: at most 500 Item-Affinity lines or 10 Item-Attribute-Affinity lines over all the
//    input files (§11), counted before any output is written; more fails the job;
//  * itemAttributes: conditions `ITEMS.<column> = "<value>"` (the `ITEMS.` prefix and AND in any
//    case; a `"` inside a value written `\"`) joined by AND — only `=` and AND exist (rule 113);
//    a categorical value names one `|` part. Anything else is a line error;
//  * an item or attribute value the model did not see at training gives an empty usersList;
//  * the job's UserID filter, with the line's filterValues, drops users before the list is cut to
//    numResults: the model is asked for more users until enough pass or it has no more.
import { JobFailure } from '../jobs/job-failure.ts';
import type { JobKind } from '../jobs/job-runner.ts';
import { setJobState } from '../jobs/job-state.ts';
import {
  BATCH_SEGMENT_JOB_KIND,
  BATCH_SEGMENT_JOB_STATUSES,
  type BatchSegmentJobBody,
} from '../resources/batch-segment-jobs/batch-segment-job-record.ts';
import type { BatchProgress } from '../resources/batch-jobs/batch-job-record.ts';
import type { AttributeCondition, Model, SegmentQuery } from '../training/trainer.ts';
import type { TrainingDeps } from '../training/solution-version-job-work.ts';
import type { ObjectStore } from '../object-store/object-store.ts';
import { segmentErrorLine, segmentLine } from './batch-format.ts';
import { linesOf } from './batch-io.ts';
import { filterValuesOf, LineError, lineErrorText, parseLine, requiredId, type LineInput } from './batch-lines.ts';
import { runBatchFiles } from './batch-job-run.ts';
import { batchServingOf } from './batch-serving.ts';
import type { CompiledFilter } from './filters/filter-evaluator.ts';
import type { FilterDataSource } from './serving-data.ts';

/** §11: queries per job. */
const MAX_QUERIES: Record<string, number> = { 'aws-item-affinity': 500, 'aws-item-attribute-affinity': 10 };
/** The most users a filtered segment asks the model for before it settles for fewer. */
const MAX_CANDIDATES = 5_000_000;

/** One condition at the reading position, then AND or the end: a quoted value may hold " AND ". */
const CONDITION = /\s*(?:items\.)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(?:(AND)\b|$)/iy;

/** The conditions of an itemAttributes query (see the header). */
export function parseItemAttributes(text: string): AttributeCondition[] {
  const out: AttributeCondition[] = [];
  for (let at = 0; ; at = CONDITION.lastIndex) {
    CONDITION.lastIndex = at;
    const m = CONDITION.exec(text);
    if (!m) {
      const rest = text.slice(at).trim();
      throw new LineError(
        rest === ''
          ? 'itemAttributes ends with AND: a condition ITEMS.<column> = "<value>" must follow it.'
          : `itemAttributes must be conditions ITEMS.<column> = "<value>" joined by AND (only = and AND are supported); '${rest.split(/\s+AND\s+/i)[0]}' is not one.`,
      );
    }
    out.push({ name: m[1], value: m[2].replace(/\\(.)/g, '$1') });
    if (m[3] === undefined) return out;
  }
}

function queryOf(recipe: string, input: LineInput): SegmentQuery {
  if (recipe === 'aws-item-affinity') return { itemId: requiredId(input, 'itemId', 'an Item-Affinity segment is made for an item') };
  const text = input.itemAttributes;
  if (typeof text !== 'string' || text.trim() === '')
    throw new LineError(
      'itemAttributes is required: an Item-Attribute-Affinity segment is made for attribute values, e.g. "ITEMS.GENRES = \\"Comedy\\"".',
    );
  const [attribute, ...attributes] = parseItemAttributes(text);
  return { attribute, attributes };
}

/** The segment's users, the filter applied before the cut (see the header). */
async function usersOf(
  model: Model,
  q: SegmentQuery,
  k: number,
  filter: CompiledFilter | undefined,
  data: FilterDataSource,
  values: Record<string, string>,
) {
  if (!filter) return model.segment!(q, k).map((s) => s.item);
  for (let want = Math.min(Math.max(k * 2, 50), MAX_CANDIDATES); ; want = Math.min(want * 4, MAX_CANDIDATES)) {
    const got = model.segment!(q, want).map((s) => s.item);
    const keep = await filter.prepare({ values }, data, got);
    const kept = got.filter(keep);
    if (kept.length >= k || got.length < want || want === MAX_CANDIDATES) return kept.slice(0, k);
  }
}

/** Counts the query lines of every input file before any is answered; JobFailure beyond the recipe's limit. */
async function checkQueries(objects: ObjectStore, progress: BatchProgress, recipe: string): Promise<void> {
  const max = MAX_QUERIES[recipe] ?? Infinity;
  let n = 0;
  for (const file of progress.files) {
    const where = `s3://${progress.inputBucket}/${file.key}`;
    for await (const line of linesOf(await objects.read(progress.inputBucket, file.key), where)) {
      if (line.trim() !== '' && ++n > max)
        throw new JobFailure(
          `The input data holds more than ${max} queries, the most a batch segment job with the ${recipe} recipe takes.`,
        );
    }
  }
}

export function batchSegmentJobKind(deps: TrainingDeps): JobKind {
  const serving = batchServingOf(deps);
  return {
    kind: BATCH_SEGMENT_JOB_KIND.kind,
    async run(queued, ctx) {
      const record = await deps.catalog.get(queued.arn);
      if (!record) return ctx.finish(async () => {});
      const body = record.body as unknown as BatchSegmentJobBody;
      await setJobState(deps.catalog, BATCH_SEGMENT_JOB_STATUSES, record.arn, deps.now(), 'CREATE IN_PROGRESS', {});
      const d = await serving.deployment(body.solutionVersionArn);
      if (!d.model.segment) throw new Error(`Internal error: the ${d.recipe.name} model of ${body.solutionVersionArn} makes no segments`);
      const filter = body.filterArn === undefined ? undefined : await serving.filter(deps.catalog, body.filterArn);
      await runBatchFiles({
        deps,
        table: BATCH_SEGMENT_JOB_STATUSES,
        job: queued,
        ctx,
        record,
        maxLinesPerFile: Infinity,
        checkInput: (progress) => checkQueries(deps.objects, progress, body.recipe),
        async answer(line) {
          let input: unknown = line;
          try {
            input = parseLine(line);
            const q = queryOf(body.recipe, input as LineInput);
            const users = await usersOf(d.model, q, body.numResults, filter, d.data, filterValuesOf(input as LineInput));
            return { text: segmentLine(input, users), error: false };
          } catch (e) {
            const message = lineErrorText(e);
            if (message === undefined) throw e;
            return { text: segmentErrorLine(input, message), error: true };
          }
        },
      });
    },
    async fail(tx, arn, reason) {
      await setJobState(tx, BATCH_SEGMENT_JOB_STATUSES, arn, deps.now(), 'CREATE FAILED', { failureReason: reason });
    },
  };
}
